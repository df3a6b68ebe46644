package dev.virtualqueue.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.LiveClient;
import dev.virtualqueue.testing.Redis;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Presence and the absent policy. "Absent" is someone who used the live page and is no longer
 * connected; the test drops the presence key instead of waiting for it to expire.
 */
class PresenceIT {
  static TestServer server;
  static Staff staff;
  static Vertx vertx;
  static WebSocketClient ws;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    staff = server.tenant("presence");
    vertx = Vertx.vertx();
    ws = LiveClient.client(vertx);
  }

  @AfterAll
  static void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
    server.close();
  }

  /** Opens the live page of a ticket, then leaves it (the holder is now absent). */
  private void visitThenLeave(JsonObject t) {
    try (LiveClient c = LiveClient.connect(ws, server.app().httpPort(), "/ws/tickets/" + t.getString("id")
        + "?token=" + t.getString("token"))) {
      c.await(m -> m.getString("type").equals("ticket"), 5_000);
      sleep(200);
    }
    sleep(200);
    Redis.command(TestServer.REDIS_URL, "ZREM", server.prefix() + ":presence:live", t.getString("id"));
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
    try (LiveClient here = LiveClient.connect(ws, server.app().httpPort(), "/ws/tickets/"
        + watching.getString("id") + "?token=" + watching.getString("token"))) {
      here.await(m -> m.getString("type").equals("ticket"), 5_000);
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
    String status = "called";
    for (int i = 0; i < 100 && status.equals("called"); i++) {
      sleep(100);
      status = staff.ticket(gone).getString("status");
    }
    assertThat(status).isEqualTo("no_show");
  }

  @Test
  void connectedPeopleArePresentAndAreCalled() {
    JsonObject q = staff.queue("present", new JsonObject().put("absentPolicy", new JsonObject().put("mode", "skip")));
    String counter = staff.openCounter(q.getString("id"), "C");
    JsonObject t = staff.join("present");
    try (LiveClient c = LiveClient.connect(ws, server.app().httpPort(), "/ws/tickets/" + t.getString("id")
        + "?token=" + t.getString("token"))) {
      c.await(m -> m.getString("type").equals("ticket"), 5_000);
      sleep(200);
      assertThat(staff.callNext(counter).json().getString("id")).isEqualTo(t.getString("id"));
      c.awaitLast(m -> "called".equals(m.getString("status")), 2_000);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
