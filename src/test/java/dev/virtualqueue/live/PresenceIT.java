package dev.virtualqueue.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.LiveClient;
import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Redis;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Presence and the absent policy. "Absent" is someone who used the live page and is no longer
 * connected; the test drops the presence key instead of waiting for it to expire. Every wait is
 * for a state (the snapshot, the presence entry, the server letting a socket go), never a fixed
 * time: the first run on a loaded machine once missed a 5-s wait.
 */
class PresenceIT {
  private static final long WAIT = Poll.DEADLINE_MILLIS;
  private static final Pattern TICKET_SOCKETS = Pattern.compile("(?m)^vq_ws_connections\\{kind=\"ticket\"[^}]*} (\\S+)$");
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static Staff staff;
  static Vertx vertx;
  static WebSocketClient ws;

  @BeforeAll
  static void start() {
    staff = server.tenant("presence");
    vertx = Vertx.vertx();
    ws = LiveClient.client(vertx);
  }

  @AfterAll
  static void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  /** Opens the live page of a ticket, then leaves it (the holder is now absent). */
  private void visitThenLeave(JsonObject t) {
    try (LiveClient c = live(t)) {
      c.await(m -> m.getString("type").equals("ticket"), WAIT);
      awaitPresence(t, "seen");
    }
    // once the server has let the socket go, no heartbeat renews its presence
    Poll.until(PresenceIT::ticketSockets, n -> n == 0, "the server closed the ticket socket");
    Redis.command(TestServer.REDIS_URL, "ZREM", server.prefix() + ":presence:live", t.getString("id"));
  }

  private LiveClient live(JsonObject t) {
    return LiveClient.connect(ws, server.app().httpPort(), "/ws/tickets/" + t.getString("id")
        + "?token=" + t.getString("token"));
  }

  /** Waits until the ticket is in {@code presence:<set>} (the socket's first touch landed). */
  private static void awaitPresence(JsonObject t, String set) {
    Poll.until(() -> Redis.command(TestServer.REDIS_URL, "ZSCORE", server.prefix() + ":presence:" + set,
        t.getString("id")), score -> score != null, "ticket in presence:" + set);
  }

  /** The server's count of open ticket sockets, from its metrics. */
  private static double ticketSockets() {
    Resp r = server.send("GET", server.management() + "/metrics", null);
    Matcher m = TICKET_SOCKETS.matcher(r.body());
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  @Test
  void skipPolicyPassesOverAbsentPeopleAndExpiresThemAfterTheHold() {
    JsonObject q = staff.queue("skip", new JsonObject().put("absentPolicy",
        new JsonObject().put("mode", "skip").put("holdMinutes", 1)));
    assertThat(q.getJsonObject("absentPolicy").getString("mode")).isEqualTo("skip");
    String counter = staff.openCounter(q.getString("id"), "C");
    JsonObject gone = staff.join("skip");
    JsonObject watching = staff.join("skip");
    JsonObject paper = staff.join("skip");
    visitThenLeave(gone);
    try (LiveClient here = live(watching)) {
      here.await(m -> m.getString("type").equals("ticket"), WAIT);
      Resp first = staff.callNext(counter);
      assertThat(first.json().getString("id")).isEqualTo(watching.getString("id"));
      assertThat(staff.ticket(gone).getString("status")).isEqualTo("waiting");
      assertThat(staff.ticket(gone).getLong("position")).isEqualTo(1);
      staff.call("POST", "/api/v1/tickets/" + watching.getString("id") + "/no-show");

      // never opened the live page (a printed ticket): always treated as present
      assertThat(staff.callNext(counter).json().getString("id")).isEqualTo(paper.getString("id"));
      staff.call("POST", "/api/v1/tickets/" + paper.getString("id") + "/no-show");

      // the hold has run out: the absent ticket expires instead of being called
      Redis.command(TestServer.REDIS_URL, "SET", server.prefix() + ":skipped:" + gone.getString("id"),
          String.valueOf(System.currentTimeMillis() - 120_000));
      assertThat(staff.callNext(counter).status()).isEqualTo(204);
      assertThat(staff.ticket(gone).getString("status")).isEqualTo("expired");
      assertThat(server.count("SELECT count(*) FROM ticket_events WHERE action = 'expire' AND actor_kind = 'system'"
          + " AND ticket_id = '" + gone.getString("id") + "'")).isEqualTo(1);
    }
  }

  @Test
  void gracePolicyMarksAbsentCalledPeopleNoShow() {
    JsonObject q = staff.queue("grace", new JsonObject().put("absentPolicy",
        new JsonObject().put("mode", "grace").put("graceSeconds", 10)));
    String counter = staff.openCounter(q.getString("id"), "C");
    JsonObject gone = staff.join("grace");
    visitThenLeave(gone);
    assertThat(staff.callNext(counter).json().getString("id")).isEqualTo(gone.getString("id"));
    server.sql("UPDATE tickets SET called_at = now() - interval '1 minute' WHERE id = '" + gone.getString("id") + "'");
    Poll.until(() -> staff.ticket(gone).getString("status"), "no_show"::equals, "the absent called person marked no-show");
  }

  @Test
  void connectedPeopleArePresentAndAreCalled() {
    JsonObject q = staff.queue("present", new JsonObject().put("absentPolicy", new JsonObject().put("mode", "skip")));
    String counter = staff.openCounter(q.getString("id"), "C");
    JsonObject t = staff.join("present");
    try (LiveClient c = live(t)) {
      c.await(m -> m.getString("type").equals("ticket"), WAIT);
      awaitPresence(t, "live");
      assertThat(staff.callNext(counter).json().getString("id")).isEqualTo(t.getString("id"));
      c.awaitLast(m -> "called".equals(m.getString("status")), WAIT);
    }
  }
}
