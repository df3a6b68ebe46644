package dev.virtualqueue.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualqueue.testing.LiveClient;
import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Live ticket and board sockets on one server: snapshots, updates, calls, access rules. A snapshot
 * or a final state is awaited with a generous deadline; the short deadlines left are the product's
 * own latency rule (a change is pushed within a second).
 */
class LiveIT {
  private static final long WAIT = Poll.DEADLINE_MILLIS;
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static Staff staff;
  static Vertx vertx;
  static WebSocketClient ws;

  @BeforeAll
  static void start() {
    staff = server.tenant("live");
    vertx = Vertx.vertx();
    ws = LiveClient.client(vertx);
  }

  @AfterAll
  static void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private LiveClient ticketSocket(JsonObject t) {
    return LiveClient.connect(ws, server.app().httpPort(), "/ws/tickets/" + t.getString("id") + "?token="
        + t.getString("token"));
  }

  @Test
  void snapshotThenPositionUpdatesThenImmediateCall() {
    JsonObject q = staff.queue("watch");
    String counter = staff.openCounter(q.getString("id"), "Counter 3");
    JsonObject a = staff.join("watch");
    JsonObject b = staff.join("watch");
    try (LiveClient sa = ticketSocket(a); LiveClient sb = ticketSocket(b)) {
      JsonObject snap = sb.await(m -> m.getString("type").equals("ticket"), WAIT);
      assertThat(snap.getLong("position")).isEqualTo(2);
      assertThat(snap.getLong("seq")).isEqualTo(1);
      assertThat(snap.getJsonObject("eta").getLong("p50")).isPositive();

      long before = System.currentTimeMillis();
      staff.callNext(counter);
      JsonObject called = sa.awaitLast(m -> "called".equals(m.getString("status")), 2_000);
      assertThat(called.getJsonObject("counter").getString("name")).isEqualTo("Counter 3");
      assertThat(called.containsKey("position")).isFalse();
      JsonObject moved = sb.awaitLast(m -> m.getLong("position") == 1L, 2_000);
      assertThat(System.currentTimeMillis() - before).isLessThan(1_500);
      assertThat(moved.getLong("seq")).isEqualTo(sb.messages.size());
      for (int i = 0; i < sb.messages.size(); i++) {
        assertThat(sb.messages.get(i).getLong("seq")).isEqualTo(i + 1);
      }
    }
  }

  @Test
  void burstsAreCoalescedAndTheLastMessageIsExact() {
    JsonObject q = staff.queue("burst");
    String counter = staff.openCounter(q.getString("id"), "C");
    for (int i = 0; i < 30; i++) {
      staff.join("burst");
    }
    JsonObject me = staff.join("burst");
    try (LiveClient s = ticketSocket(me)) {
      s.await(m -> m.getLong("position") == 31L, WAIT);
      for (int i = 0; i < 20; i++) {
        String id = staff.callNext(counter).json().getString("id");
        staff.call("POST", "/api/v1/tickets/" + id + "/no-show");
      }
      long truth = staff.ticket(me).getLong("position");
      assertThat(truth).isEqualTo(11);
      s.awaitLast(m -> m.getLong("position") == truth, WAIT); // the coalesced last message is exact
      assertThat(s.messages.size()).as("coalesced: far fewer messages than changes").isLessThan(20);
    }
  }

  @Test
  void upgradeIsRefusedWithHttpStatusesNotAProxyError() {
    JsonObject t = staff.join(staff.queue("guard").getString("slug"));
    int port = server.app().httpPort();
    assertThatThrownBy(() -> LiveClient.connect(ws, port, "/ws/tickets/" + t.getString("id")))
        .hasMessageContaining("401");
    assertThatThrownBy(() -> LiveClient.connect(ws, port, "/ws/tickets/" + t.getString("id") + "?token=wrong"))
        .hasMessageContaining("403");
    assertThatThrownBy(() -> LiveClient.connect(ws, port, "/ws/nothing")).hasMessageContaining("404");
    assertThatThrownBy(() -> LiveClient.connect(ws, port, "/ws/tickets/" + t.getString("id") + "?token="
        + t.getString("token"), "Origin", "https://evil.example")).hasMessageContaining("403");
    try (LiveClient ok = LiveClient.connect(ws, port, "/ws/tickets/" + t.getString("id") + "?token="
        + t.getString("token"), "Origin", "http://127.0.0.1:" + port)) {
      ok.await(m -> m.getString("type").equals("ticket"), WAIT);
    }
  }

  @Test
  void reconnectWithSinceGetsAFreshSnapshotContinuingTheSequence() {
    staff.queue("again");
    JsonObject t = staff.join("again");
    try (LiveClient s = LiveClient.connect(ws, server.app().httpPort(), "/ws/tickets/" + t.getString("id")
        + "?token=" + t.getString("token") + "&since=41")) {
      JsonObject snap = s.await(m -> true, WAIT);
      assertThat(snap.getLong("seq")).isEqualTo(42);
      assertThat(snap.getLong("position")).isEqualTo(1);
    }
  }

  @Test
  void boardGetsSnapshotCallsAndCounts() {
    JsonObject q = staff.queue("board");
    String counter = staff.openCounter(q.getString("id"), "Desk 7");
    JsonObject a = staff.join("board");
    staff.join("board");
    try (LiveClient board = LiveClient.connect(ws, server.app().httpPort(), "/ws/queues/" + q.getString("id") + "/board")) {
      JsonObject snap = board.await(m -> m.getString("type").equals("board"), WAIT);
      assertThat(snap.getLong("waiting")).isEqualTo(2);
      assertThat(snap.getString("queueName")).isEqualTo(q.getString("name"));
      staff.callNext(counter);
      JsonObject call = board.await(m -> m.getString("type").equals("call"), 2_000);
      assertThat(call.getJsonObject("call").getString("code")).isEqualTo(a.getString("code"));
      assertThat(call.getJsonObject("call").getJsonObject("counter").getString("name")).isEqualTo("Desk 7");
      assertThat(call.getJsonArray("nowServing").getJsonObject(0).getString("code")).isEqualTo(a.getString("code"));
      board.awaitLast(m -> m.getLong("waiting") == 1L, 2_000);
    }
  }

  @Test
  void privateBoardNeedsTheDisplayKey() {
    JsonObject q = staff.queue("private-board");
    String key = staff.call("POST", "/api/v1/queues/" + q.getString("id") + "/display-key").json().getString("key");
    int port = server.app().httpPort();
    String path = "/ws/queues/" + q.getString("id") + "/board";
    assertThatThrownBy(() -> LiveClient.connect(ws, port, path)).hasMessageContaining("401");
    assertThatThrownBy(() -> LiveClient.connect(ws, port, path + "?key=nope")).hasMessageContaining("403");
    try (LiveClient ok = LiveClient.connect(ws, port, path + "?key=" + key)) {
      ok.await(m -> m.getString("type").equals("board"), WAIT);
    }
  }
}
