package dev.virtualqueue.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import dev.virtualqueue.webhook.Receiver.Answer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An endpoint that has failed for 5 days without a success is disabled ('failing') by its next
 * failure, and its tenant is told: a mail outbox row 'webhook.disabled' in the same transaction (e-mail
 * is configured here; nothing here sends it, the mail side does).
 */
class WebhookDisableIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("VQ_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true",
      "VQ_MAIL_HOST", "127.0.0.1", "VQ_MAIL_PORT", "9", "VQ_MAIL_FROM", "queue@example.test",
      "VQ_HTTP_PUBLIC_URL", "http://127.0.0.1:8080"));
  static final Receiver receiver = new Receiver();

  @AfterAll
  static void closeReceiver() {
    receiver.close();
  }

  @Test
  void fiveDaysOfFailuresDisableTheEndpointAndTellTheTenant() throws Exception {
    Staff staff = server.tenant("failing");
    receiver.script("/down", n -> Answer.of(500));
    Resp r = staff.call("POST", "/api/v1/webhooks", new JsonObject().put("url", receiver.url("/down"))
        .put("events", new JsonArray().add("ticket.created")).encode());
    String id = r.json().getString("id");
    server.sql("UPDATE webhook_endpoints SET failing_since = now() - interval '5 days 1 minute' WHERE id = '" + id + "'");
    staff.queue("q");
    staff.join("q");
    JsonObject endpoint = Poll.until(() -> staff.call("GET", "/api/v1/webhooks/" + id).json(),
        e -> !e.getBoolean("enabled"), "endpoint disabled");
    assertThat(endpoint.getString("disabledReason")).isEqualTo("failing");
    assertThat(receiver.at("/down")).hasSize(1);

    try (Connection c = server.database(); ResultSet rs = c.createStatement().executeQuery(
        "SELECT tenant_id::text, ticket_id, data::text FROM outbox WHERE channel = 'mail' AND type = 'webhook.disabled'")) {
      assertThat(rs.next()).as("a mail outbox row").isTrue();
      JsonObject data = new JsonObject(rs.getString(3));
      assertThat(rs.getString(2)).isNull();
      assertThat(data.getString("endpointId")).isEqualTo(id);
      assertThat(data.getString("url")).isEqualTo(receiver.url("/down"));
      assertThat(data.getString("reason")).isEqualTo("failing");
      assertThat(data.getString("failingSince")).endsWith("Z");
      assertThat(rs.next()).as("one row").isFalse();
    }
    String scrape = server.send("GET", server.management() + "/metrics", null).body();
    assertThat(scrape).contains("vq_webhook_endpoints_disabled_total{reason=\"failing\"} 1.0");
  }
}
