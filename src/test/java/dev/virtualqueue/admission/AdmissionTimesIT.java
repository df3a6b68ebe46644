package dev.virtualqueue.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sessions' times tell the cap's truth, so a checker can prove the cap from them alone
 * (scripts/check-admission-cap.sh sweeps every [admitted_at, ended_at)): an admission is stamped
 * after the count of active sessions it was made on, not when its transaction began. Here the
 * admitter's transaction starts, then waits on the queue's lock (held by the test) while the one
 * admitted holder leaves; once the lock is let go the admitter counts the room empty and admits
 * the next person, whose session must start after the leaver's ended.
 */
class AdmissionTimesIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static long count(String where) {
    return server.count("SELECT count(*) FROM " + where);
  }

  @Test
  void anAdmissionMadeAfterALeaveIsStampedAfterIt() throws Exception {
    Staff staff = server.tenant("times-room");
    String q = staff.queue("one", AdmissionIT.room(new JsonObject().put("maxActiveUsers", 1))).getString("id");
    JsonObject first = staff.join("one");
    String session = "admission_sessions WHERE queue_id = '" + q + "'";
    Poll.until(() -> count(session), n -> n == 1, "the first person is admitted");
    JsonObject second = staff.join("one");

    try (Connection lock = server.database()) {
      lock.setAutoCommit(false);
      try (PreparedStatement ps = lock.prepareStatement("SELECT id FROM queues WHERE id = ? FOR NO KEY UPDATE")) {
        ps.setObject(1, UUID.fromString(q));
        ps.executeQuery().close();
      }
      // the admitter's next look at the full room begins its transaction and waits for the lock
      Poll.until(() -> count("pg_stat_activity WHERE wait_event_type = 'Lock'"
          + " AND state = 'active' AND query LIKE '%FROM queues WHERE id = $1 FOR NO KEY UPDATE%'"), n -> n >= 1, 10_000,
          "the admitter waits on the queue's lock");
      Resp left = server.http("DELETE", "/api/v1/tickets/" + first.getString("id"), null, "X-Ticket-Token",
          first.getString("token"));
      assertThat(left.status()).as(left.body()).isEqualTo(200);
      lock.rollback();
    }

    Poll.until(() -> count(session), n -> n == 2, 5_000, "the freed slot goes to the next person");
    String gap = server.scalar("SELECT extract(epoch FROM b.admitted_at - a.ended_at) FROM admission_sessions a,"
        + " admission_sessions b WHERE a.ticket_id = '" + first.getString("id") + "' AND b.ticket_id = '"
        + second.getString("id") + "'");
    assertThat(Double.parseDouble(gap)).as("seconds from the leave to the next admission").isGreaterThanOrEqualTo(0);
  }
}
