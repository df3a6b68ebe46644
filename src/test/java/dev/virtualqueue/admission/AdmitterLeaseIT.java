package dev.virtualqueue.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly one admitter per room across processes: one server holds the lease; a stopped holder
 * hands over; and a holder whose lease was taken from it (it paused past its end) admits nobody
 * under its old fence.
 */
class AdmitterLeaseIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  private static long admitted(String q) {
    return server.count("SELECT count(*) FROM tickets WHERE queue_id = '" + q + "' AND status = 'admitted'");
  }

  @Test
  void oneHolderAtATimeAndAHandOverWhenItStops() {
    Staff staff = server.tenant("lease-room");
    String q = staff.queue("drop", AdmissionIT.room(new JsonObject().put("newUsersPerMinute", 600))).getString("id");
    TestServer twin = server.sibling();
    try {
      Poll.until(() -> server.count("SELECT count(*) FROM waiting_room_state WHERE queue_id = '" + q + "'"), n -> n == 1,
          "someone holds the room");
      String holder = server.scalar("SELECT owner FROM waiting_room_state WHERE queue_id = '" + q + "'");
      AdmissionIT.sleep(2_500);
      assertThat(server.scalar("SELECT owner FROM waiting_room_state WHERE queue_id = '" + q + "'"))
          .as("renewals keep the same holder").isEqualTo(holder);
      long fence = server.count("SELECT fence FROM waiting_room_state WHERE queue_id = '" + q + "'");

      TestServer stopping = holder.equals(server.app().modules().admission().owner()) ? server : twin;
      TestServer staying = stopping == server ? twin : server;
      stopping.stop();
      Poll.until(() -> server.scalar("SELECT owner FROM waiting_room_state WHERE queue_id = '" + q + "'"),
          o -> o.equals(staying.app().modules().admission().owner()), 10_000, "the other server takes over");
      assertThat(server.count("SELECT fence FROM waiting_room_state WHERE queue_id = '" + q + "'"))
          .as("a new holder, a new fence").isGreaterThan(fence);
      AdmissionIT.join(staff, "drop", 5);
      Poll.until(() -> admitted(q), n -> n == 5, 10_000, "the new holder admits");
      if (stopping == server) {
        server.restart();
      }
    } finally {
      twin.close();
    }
  }

  @Test
  void aHolderWhoseLeaseWasTakenAdmitsNobody() {
    Staff staff = server.tenant("fenced-room");
    String q = staff.queue("drop", AdmissionIT.room(new JsonObject().put("newUsersPerMinute", 6000))).getString("id");
    Poll.until(() -> server.count("SELECT count(*) FROM waiting_room_state WHERE queue_id = '" + q + "'"), n -> n == 1,
        "the server holds the room");
    // another process took the room while this one was paused: its fence moved on
    server.sql("UPDATE waiting_room_state SET owner = 'elsewhere', fence = fence + 1,"
        + " lease_until = now() + interval '1 hour' WHERE queue_id = '" + q + "'");
    AdmissionIT.join(staff, "drop", 3);
    AdmissionIT.sleep(1_500);
    assertThat(admitted(q)).as("nobody admitted under a stale fence").isZero();
    server.sql("UPDATE waiting_room_state SET lease_until = now() WHERE queue_id = '" + q + "'");
    Poll.until(() -> admitted(q), n -> n == 3, 10_000, "admitted once the lease is free again");
  }
}
