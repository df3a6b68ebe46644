package dev.virtualqueue.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.LiveClient;
import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two server instances on one Postgres and Redis: changes made through one reach sockets held by
 * the other, and after a storm of random joins, leaves and calls through both, every socket's
 * last message is the ticket's true state.
 */
class LiveScaleOutIT {
  @RegisterExtension
  static final TestServer a = TestServer.perClass();
  static TestServer b;
  static Staff staffA;
  static Staff staffB;
  static Vertx vertx;
  static WebSocketClient ws;

  @BeforeAll
  static void start() {
    // fan-outs in chunks of 16 messages: the exactness check then crosses many chunk boundaries,
    // with calls and leaves landing between chunks (production writes 500 per turn)
    LiveQueue.fanOutChunk = 16;
    b = a.sibling();
    staffA = a.tenant("scale");
    staffB = new Staff(b, "scale", staffA.token());
    vertx = Vertx.vertx();
    ws = LiveClient.client(vertx);
  }

  @AfterAll
  static void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
    b.close();
    LiveQueue.fanOutChunk = 500;
  }

  @Test
  void aCallThroughOneInstanceReachesSocketsOnTheOther() {
    JsonObject q = staffA.queue("cross");
    String counter = staffA.openCounter(q.getString("id"), "C");
    JsonObject first = staffA.join("cross");
    JsonObject second = staffA.join("cross");
    try (LiveClient onB = LiveClient.connect(ws, b.app().httpPort(), "/ws/tickets/" + second.getString("id")
        + "?token=" + second.getString("token"));
         LiveClient firstOnB = LiveClient.connect(ws, b.app().httpPort(), "/ws/tickets/" + first.getString("id")
             + "?token=" + first.getString("token"))) {
      onB.await(m -> m.getLong("position") == 2L, Poll.DEADLINE_MILLIS);
      long t0 = System.currentTimeMillis();
      staffA.callNext(counter);
      firstOnB.awaitLast(m -> "called".equals(m.getString("status")), 1_000);
      onB.awaitLast(m -> m.getLong("position") != null && m.getLong("position") == 1L, 1_500);
      assertThat(System.currentTimeMillis() - t0).isLessThan(1_500);
    }
  }

  @Test
  void everySocketEndsOnTheTruthAfterRandomChangesThroughBothInstances() {
    JsonObject q = staffA.queue("storm", "strict", "fast", "normal");
    String counterA = staffA.openCounter(q.getString("id"), "A");
    String counterB = staffA.openCounter(q.getString("id"), "B");
    Random rnd = new Random(7);
    List<JsonObject> tickets = new ArrayList<>();
    Map<String, LiveClient> sockets = new HashMap<>();
    try {
      for (int i = 0; i < 200; i++) {
        Staff via = i % 2 == 0 ? staffA : staffB;
        JsonObject t = via.join("storm", new JsonObject().put("priority", rnd.nextInt(4) == 0 ? "fast" : "normal"));
        tickets.add(t);
        TestServer holder = rnd.nextBoolean() ? a : b;
        sockets.put(t.getString("id"), LiveClient.connect(ws, holder.app().httpPort(), "/ws/tickets/"
            + t.getString("id") + "?token=" + t.getString("token")));
      }
      for (int step = 0; step < 150; step++) {
        stormStep(rnd, tickets, sockets, counterA, counterB);
      }
      // the storm is over, so each ticket's truth is fixed: its socket must end on it
      int checked = 0;
      long deadline = System.currentTimeMillis() + Poll.DEADLINE_MILLIS;
      for (JsonObject t : tickets) {
        JsonObject truth = staffA.ticket(t);
        LiveClient socket = sockets.get(t.getString("id"));
        Poll.until(socket::last, last -> last != null && Objects.equals(last.getString("status"), truth.getString("status"))
                && Objects.equals(last.getLong("position"), truth.getLong("position")),
            Math.max(0, deadline - System.currentTimeMillis()), "socket of " + t.getString("code") + " ends on " + truth);
        checked++;
      }
      assertThat(checked).isGreaterThan(200);
    } finally {
      sockets.values().forEach(LiveClient::close);
    }
  }

  /** One random change through either instance: a join watched on either, a leave, or a call and no-show. */
  private static void stormStep(Random rnd, List<JsonObject> tickets, Map<String, LiveClient> sockets,
      String counterA, String counterB) {
    Staff via = rnd.nextBoolean() ? staffA : staffB;
    int dice = rnd.nextInt(10);
    if (dice < 4) {
      JsonObject t = via.join("storm");
      tickets.add(t);
      TestServer holder = rnd.nextBoolean() ? a : b;
      sockets.put(t.getString("id"), LiveClient.connect(ws, holder.app().httpPort(), "/ws/tickets/"
          + t.getString("id") + "?token=" + t.getString("token")));
    } else if (dice < 6) {
      JsonObject t = tickets.get(rnd.nextInt(tickets.size()));
      via.server().http("DELETE", "/api/v1/tickets/" + t.getString("id"), null, "X-Ticket-Token", t.getString("token"));
    } else {
      String counter = rnd.nextBoolean() ? counterA : counterB;
      Resp called = via.callNext(counter);
      if (called.status() == 200) {
        via.call("POST", "/api/v1/tickets/" + called.json().getString("id") + "/no-show");
      }
    }
  }
}
