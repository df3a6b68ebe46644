package dev.virtualqueue.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Redis;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Acknowledged tickets and their positions survive a server restart and the loss of all Redis
 * state, with and without a restart. The server runs on its own Redis database (index 9) so that
 * FLUSHDB there is exactly what a FLUSHALL does to it, without touching other users of Redis.
 */
class DurabilityIT {
  private static final String REDIS = TestServer.REDIS_URL.replaceAll("/\\d+$", "") + "/9";
  TestServer server;
  Staff staff;
  List<JsonObject> tickets;
  String counter;

  @BeforeEach
  void start() {
    server = TestServer.start(REDIS, Map.of());
    staff = server.tenant("durable");
    JsonObject q = staff.queue("line", "strict", "first", "second");
    counter = staff.openCounter(q.getString("id"), "C");
    tickets = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      tickets.add(staff.join("line", new JsonObject().put("priority", i % 3 == 0 ? "first" : "second")));
    }
    // a few changes so the line is not just the join order
    staff.callNext(counter);
    staff.call("POST", "/api/v1/tickets/" + tickets.get(0).getString("id") + "/no-show");
    server.http("DELETE", "/api/v1/tickets/" + tickets.get(5).getString("id"), null,
        "X-Ticket-Token", tickets.get(5).getString("token"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private List<String> views() {
    List<String> out = new ArrayList<>();
    for (JsonObject t : tickets) {
      JsonObject v = staff.ticket(t);
      out.add(v.getString("id") + " " + v.getString("status") + " " + v.getString("code") + " " + v.getLong("position"));
    }
    return out;
  }

  @Test
  void restartKeepsEveryTicketAndPosition() {
    List<String> before = views();
    server.restart();
    assertThat(views()).isEqualTo(before);
    assertNextJoinContinuesNumbering();
  }

  @Test
  void flushedRedisIsRebuiltWithoutARestart() {
    List<String> before = views();
    Redis.command(REDIS, "FLUSHDB");
    assertThat(views()).isEqualTo(before);
    assertNextJoinContinuesNumbering();
    assertThat(staff.callNext(counter).json().getString("id")).isEqualTo(tickets.get(3).getString("id"));
  }

  @Test
  void flushedRedisWhileStoppedIsRebuiltAtStartUp() {
    List<String> before = views();
    server.stop();
    Redis.command(REDIS, "FLUSHDB");
    server.restart();
    assertThat(views()).isEqualTo(before);
    assertNextJoinContinuesNumbering();
  }

  @Test
  void staleMirrorEntriesAreRepairedAtStartUp() {
    List<String> before = views();
    String queueId = staff.ticket(tickets.get(0)).getString("queueId");
    server.stop();
    // as if the server crashed between committing a call and updating Redis: put a called ticket back
    String calledId = tickets.get(0).getString("id");
    Redis.command(REDIS, "ZADD", server.prefix() + ":q:" + queueId + ":c:0", "0", calledId);
    server.restart();
    assertThat(views()).isEqualTo(before);
  }

  @Test
  void waitingTicketsMissingFromTheMirrorAreAddedBackWhileRunning() throws Exception {
    List<String> before = views();
    String queueId = staff.ticket(tickets.get(1)).getString("queueId");
    // as if two joins committed but their answers (and mirror updates) were lost in a Postgres crash
    for (int i : new int[] {1, 2}) {
      Redis.command(REDIS, "ZREM", server.prefix() + ":q:" + queueId + ":c:1", tickets.get(i).getString("id"));
    }
    assertThat(views()).isNotEqualTo(before);
    server.app().modules().line().rebuilder().reconcile().toCompletionStage().toCompletableFuture().get();
    assertThat(views()).isEqualTo(before);
  }

  @Test
  void aRepairNeverPutsBackATicketCalledSinceItReadPostgres() throws Exception {
    String queueId = staff.ticket(tickets.get(3)).getString("queueId");
    JsonObject called = staff.callNext(counter).json();
    assertThat(called.getString("id")).isEqualTo(tickets.get(3).getString("id"));
    List<String> before = views();
    // a repair that read Postgres before that call now tries to add the ticket back
    var line = server.app().modules().line().store();
    int added = line.addMissing(server.prefix() + ":q:" + queueId + ":c:0", UUID.fromString(queueId),
            List.of(UUID.fromString(called.getString("id"))), List.of(4L))
        .toCompletionStage().toCompletableFuture().get();
    assertThat(added).isZero();
    assertThat(views()).isEqualTo(before);
  }

  private void assertNextJoinContinuesNumbering() {
    JsonObject next = staff.join("line");
    assertThat(next.getString("code")).isEqualTo("A031");
    assertThat(server.count("SELECT count(*) FROM tickets")).isEqualTo(31);
  }
}
