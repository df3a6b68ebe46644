package dev.virtualqueue.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.line.LineKeys;
import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Redis;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Abandonment is the default case: a person whose live page is gone is passed over and keeps
 * their place; once gone longer than the hold, their ticket expires; someone who never opened the
 * live page counts as present.
 */
class AdmissionAbsentIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  private static String status(JsonObject joined) {
    return server.scalar("SELECT status FROM tickets WHERE id = '" + joined.getString("id") + "'");
  }

  @Test
  void theAbsentArePassedOverAndExpireAfterTheHold() {
    Staff staff = server.tenant("absent-room");
    String q = staff.queue("drop", AdmissionIT.room(new JsonObject().put("newUsersPerMinute", 6000)
        .put("queueAll", true))).getString("id");
    List<JsonObject> people = AdmissionIT.join(staff, "drop", 3);
    JsonObject gone = people.get(0);
    JsonObject present = people.get(1);
    JsonObject goneLong = people.get(2);
    LineKeys keys = server.app().modules().line().keys();
    long now = System.currentTimeMillis();
    for (JsonObject p : List.of(gone, goneLong)) {
      // used the live page, and its presence ran out a second ago
      Redis.command(TestServer.REDIS_URL, "ZADD", keys.presenceSeen(), Long.toString(now - 60_000), p.getString("id"));
      Redis.command(TestServer.REDIS_URL, "ZADD", keys.presenceLive(), Long.toString(now - 1_000), p.getString("id"));
    }
    // passed over for the first time eleven minutes ago: past the default hold of ten
    Redis.command(TestServer.REDIS_URL, "SET", keys.skipped(UUID.fromString(goneLong.getString("id"))),
        Long.toString(now - 11 * 60_000));

    assertThat(staff.call("PATCH", "/api/v1/queues/" + q,
        AdmissionIT.room(new JsonObject().put("queueAll", false)).encode()).status()).isEqualTo(200);
    Poll.until(() -> status(present), "admitted"::equals, 5_000, "the present person goes in");
    Poll.until(() -> status(goneLong), "expired"::equals, 5_000, "gone past the hold: expired");
    AdmissionIT.sleep(1_000);
    assertThat(status(gone)).as("gone for a moment: passed over, place kept").isEqualTo("waiting");
    assertThat(staff.ticket(gone).getLong("position")).isEqualTo(1);

    // back on the page: admitted at the next run
    Redis.command(TestServer.REDIS_URL, "ZADD", keys.presenceLive(), Long.toString(System.currentTimeMillis() + 60_000),
        gone.getString("id"));
    Poll.until(() -> status(gone), "admitted"::equals, 5_000, "admitted once back");
  }
}
