package dev.virtualqueue.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.virtualqueue.testing.LiveClient;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import dev.virtualqueue.testing.TicketSockets;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The live ticket socket of a person in a waiting room: their place while they wait, then at
 * admission the "ticket" message saying admitted followed by the "admitted" message with a token
 * that verifies offline against the JWKS; a socket that connects to an admitted ticket gets both
 * again; and after the session ends, no token.
 */
class AdmittedSocketIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  @RegisterExtension
  static final TicketSockets sockets = new TicketSockets(server);

  private static LiveClient socket(JsonObject t) {
    return sockets.open(t);
  }

  @Test
  void theSocketGetsTheTokenAtAdmissionAndOnReconnect() throws Exception {
    Staff staff = server.tenant("socket-room");
    String q = staff.queue("drop", AdmissionIT.room(new JsonObject().put("newUsersPerMinute", 6000)
        .put("queueAll", true).put("audience", "https://shop.example.test")
        .put("targetUrl", "https://shop.example.test/in"))).getString("id");
    JsonObject person = staff.join("drop");
    try (LiveClient live = socket(person)) {
      JsonObject snapshot = live.await(m -> "ticket".equals(m.getString("type")), 5_000);
      assertThat(snapshot.getString("status")).isEqualTo("waiting");
      assertThat(snapshot.getLong("position")).isEqualTo(1);

      assertThat(staff.call("PATCH", "/api/v1/queues/" + q,
          AdmissionIT.room(new JsonObject().put("queueAll", false)).encode()).status()).isEqualTo(200);
      JsonObject status = live.await(m -> "admitted".equals(m.getString("status")), 5_000);
      JsonObject admitted = live.await(m -> "admitted".equals(m.getString("type")), 2_000);
      assertThat(admitted.getLong("seq")).as("after the status message").isGreaterThan(status.getLong("seq"));
      assertThat(admitted.getString("id")).isEqualTo(person.getString("id"));
      assertThat(admitted.getString("targetUrl")).isEqualTo("https://shop.example.test/in");
      long receivedAt = live.receivedAt.get(live.messages.indexOf(admitted));
      assertThat(receivedAt - status.getLong("changedAt")).as("ms from the admission's commit to the token")
          .isLessThan(1_000);
      JWTClaimsSet claims = AccessFixtures.offline(server, admitted.getString("accessToken"),
          "http://localhost", "https://shop.example.test");
      assertThat(claims.getSubject()).isEqualTo(person.getString("id"));
      assertThat(claims.getExpirationTime().toInstant()).isEqualTo(Instant.parse(admitted.getString("expiresAt"))
          .truncatedTo(ChronoUnit.SECONDS));
    }
    reconnects(staff, person);
  }

  /** An admitted ticket's new socket gets the token after its snapshot, until the session ends. */
  private static void reconnects(Staff staff, JsonObject person) {
    try (LiveClient again = socket(person)) {
      again.await(m -> "admitted".equals(m.getString("status")), 5_000);
      JsonObject token = again.await(m -> "admitted".equals(m.getString("type")), 5_000);
      assertThat(token.getString("accessToken")).isNotBlank();
    }

    server.sql("UPDATE admission_sessions SET ended_at = now(), end_reason = 'released' WHERE ticket_id = '"
        + person.getString("id") + "'");
    try (LiveClient ended = socket(person)) {
      ended.await(m -> "admitted".equals(m.getString("status")), 5_000);
      AdmissionIT.sleep(1_000);
      assertThat(ended.messages).as("no token once the session ended")
          .noneMatch(m -> "admitted".equals(m.getString("type")));
    }
    assertThat(staff.ticket(person).getValue("access")).isNull();
  }
}
