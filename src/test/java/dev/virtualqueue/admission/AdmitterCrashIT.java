package dev.virtualqueue.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.ChildServer;
import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A process that dies while it admits for a room (SIGKILL: it gives nothing back) hands the room
 * over within a few seconds: its lease runs out and another server takes the room under a new fence.
 */
class AdmitterCrashIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void aKilledAdmitterHandsOverWithinSeconds() throws Exception {
    Staff staff = server.tenant("crash-room");
    String q = staff.queue("drop", AdmissionIT.room(new JsonObject().put("newUsersPerMinute", 6000))).getString("id");
    String state = "SELECT %s FROM waiting_room_state WHERE queue_id = '" + q + "'";
    server.stop();
    long fence;
    try (ChildServer child = ChildServer.start(server, Map.of(), "admitter-crash-child.log")) {
      Poll.until(() -> server.count(state.formatted("count(*)")), n -> n == 1, "the child holds the room");
      fence = server.count(state.formatted("fence"));
      child.kill();
    }
    long killedAt = System.currentTimeMillis();
    server.restart();
    Poll.until(() -> server.count(state.formatted("fence")), f -> f > fence, 15_000, "a new holder, a new fence");
    long handOver = System.currentTimeMillis() - killedAt;
    // the lease's rest (at most 5 s) and one renewal (1 s), plus this server's own start
    assertThat(handOver).as("ms from the kill to the new holder").isLessThan(AdmissionVerticle.RENEW_MILLIS
        + (long) (AdmissionVerticle.LEASE_SECONDS * 1000) + 5_000);
    System.out.println("admitter hand-over after kill -9: " + handOver + " ms");
    for (int i = 0; i < 3; i++) {
      assertThat(server.http("POST", "/api/v1/public/crash-room/queues/drop/tickets", "{}").status()).isEqualTo(201);
    }
    Poll.until(() -> server.count("SELECT count(*) FROM tickets WHERE queue_id = '" + q + "' AND status = 'admitted'"),
        n -> n == 3, 10_000, "the new holder admits");
  }
}
