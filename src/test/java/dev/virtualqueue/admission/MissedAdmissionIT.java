package dev.virtualqueue.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.LiveClient;
import dev.virtualqueue.testing.Redis;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import dev.virtualqueue.testing.TicketSockets;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A socket that missed its own admission still gets the token. In the spike load test one person
 * in a few thousand was admitted between the socket's handshake and its snapshot: the admission's
 * event came while the snapshot was pending, the snapshot (from the handshake's read) said
 * waiting, and the next recompute reread the ticket and showed "admitted", but no "admitted"
 * message with the token ever followed. Here the missed event is made on purpose: the ticket is
 * admitted in Postgres and taken out of the line in Redis with no event, and someone else's join
 * makes the queue recompute.
 */
class MissedAdmissionIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  @RegisterExtension
  static final TicketSockets sockets = new TicketSockets(server);

  @Test
  void theRereadThatShowsTheAdmissionSendsTheToken() {
    Staff staff = server.tenant("missed-room");
    // held: the admitter itself admits nobody here
    String q = staff.queue("drop", AdmissionIT.room(new JsonObject().put("newUsersPerMinute", 6000)
        .put("queueAll", true))).getString("id");
    JsonObject person = staff.join("drop");
    String id = person.getString("id");
    try (LiveClient live = sockets.open(person)) {
      assertThat(live.await(m -> "ticket".equals(m.getString("type")), 5_000).getString("status"))
          .isEqualTo("waiting");
      server.sql("UPDATE tickets SET status = 'admitted', version = version + 1 WHERE id = '" + id + "'");
      server.sql("INSERT INTO admission_sessions (ticket_id, tenant_id, queue_id, jti, fence, issued_at, expires_at,"
          + " max_expires_at) SELECT id, tenant_id, queue_id, gen_random_uuid(), 1, now(), now() + interval '10 min',"
          + " now() + interval '10 min' FROM tickets WHERE id = '" + id + "'");
      Redis.command(TestServer.REDIS_URL, "ZREM", server.prefix() + ":q:" + q + ":c:0", id);

      staff.join("drop");
      JsonObject status = live.await(m -> "admitted".equals(m.getString("status")), 5_000);
      JsonObject token = live.await(m -> "admitted".equals(m.getString("type")), 3_000);
      assertThat(token.getLong("seq")).as("after the status message").isGreaterThan(status.getLong("seq"));
      assertThat(token.getString("id")).isEqualTo(id);
      assertThat(token.getString("accessToken")).isNotBlank();
    }
  }
}
