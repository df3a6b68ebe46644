package dev.virtualqueue.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.MailSink;
import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A tenant's hourly send budget (2 here): the third message waits (deferred, not failed, not
 * dropped) until the hour of the oldest send is over, and other tenants are not held up; and the
 * owners of a tenant are told when the webhook side disabled one of its endpoints.
 */
class MailBudgetIT {
  private static final MailSink SINK = MailSink.onFreePort();

  @RegisterExtension
  static final TestServer server = TestServer.perClass(SINK.env("VQ_MAIL_TENANT_PER_HOUR", "2"));
  private static Staff busy;
  private static Staff calm;

  @BeforeAll
  static void setUp() {
    SINK.start();
    busy = server.tenant("busyco");
    calm = server.tenant("calmco");
    busy.queue("q");
    calm.queue("q");
  }

  @AfterAll
  static void tearDown() {
    SINK.close();
  }

  @Test
  void beyondTheBudgetAMessageWaitsForTheNextHourAndIsThenSent() {
    busy.join("q", new JsonObject().put("email", "b1@example.test"));
    busy.join("q", new JsonObject().put("email", "b2@example.test"));
    JsonObject third = busy.join("q", new JsonObject().put("email", "b3@example.test"));
    SINK.await("b1@example.test", 1);
    SINK.await("b2@example.test", 1);
    String row = "SELECT count(*) FROM outbox WHERE channel = 'mail' AND ticket_id = '" + third.getString("id") + "'";
    Poll.until(() -> server.count(row + " AND available_at > now() + interval '55 minutes' AND attempts = 0"),
        n -> n == 1, "the third message deferred by about an hour");
    calm.join("q", new JsonObject().put("email", "c1@example.test"));
    SINK.await("c1@example.test", 1); // another tenant's budget is its own
    assertThat(SINK.to("b3@example.test")).isEmpty();

    // an hour later
    server.sql("UPDATE ticket_mails SET sent_at = sent_at - interval '61 minutes' WHERE state = 'sent'");
    server.sql("UPDATE outbox SET available_at = now() WHERE channel = 'mail'");
    SINK.await("b3@example.test", 1);
    assertThat(server.count(row)).isZero();
  }

  @Test
  void theOwnersAreToldOfADisabledWebhook() {
    Staff owned = server.tenant("hookco");
    // a second owner, and an owner account that was disabled
    server.sql("INSERT INTO staff_users (id, tenant_id, email, display_name, role, password_hash)"
        + " SELECT gen_random_uuid(), id, 'second-owner@hookco.test', 'Two', 'owner', 'x' FROM tenants WHERE slug = 'hookco'");
    server.sql("INSERT INTO staff_users (id, tenant_id, email, display_name, role, password_hash, disabled)"
        + " SELECT gen_random_uuid(), id, 'gone@hookco.test', 'Gone', 'owner', 'x', true FROM tenants WHERE slug = 'hookco'");
    server.sql("INSERT INTO staff_users (id, tenant_id, email, display_name, role, password_hash)"
        + " SELECT gen_random_uuid(), id, 'agent@hookco.test', 'Agent', 'agent', 'x' FROM tenants WHERE slug = 'hookco'");
    server.sql("INSERT INTO outbox (channel, tenant_id, type, data) SELECT 'mail', id, 'webhook.disabled',"
        + " '{\"endpointId\": \"6f1f7a52-3c1e-4e38-9d5c-1b0c3f7a9e10\", \"url\": \"https://hooks.example.test/<in>\","
        + " \"reason\": \"failing for 5 days\", \"failingSince\": \"2025-01-01T00:00:00Z\"}'::jsonb"
        + " FROM tenants WHERE slug = 'hookco'");
    List<MimeMessage> got = SINK.await("owner@hookco.test", 1);
    MimeMessage m = got.get(0);
    assertThat(MailSink.subject(m)).isEqualTo("Webhook disabled for Tenant hookco: https://hooks.example.test/<in>");
    assertThat(MailSink.part(m, "text/plain")).contains("Endpoint: https://hooks.example.test/<in>",
        "Why: failing for 5 days", "Failing since: 2025-01-01T00:00:00Z",
        "PATCH /api/v1/webhooks/6f1f7a52-3c1e-4e38-9d5c-1b0c3f7a9e10");
    assertThat(MailSink.part(m, "text/html")).contains("https://hooks.example.test/&lt;in&gt;");
    // one message to both owners (GreenMail keeps a copy per recipient, stored one after the other)
    assertThat(MailSink.header(m, "To")).contains("owner@hookco.test", "second-owner@hookco.test");
    SINK.await("second-owner@hookco.test", 1);
    assertThat(SINK.messages().stream().filter(x -> MailSink.subject(x).startsWith("Webhook disabled"))).hasSize(2);
    Poll.until(() -> server.count("SELECT count(*) FROM outbox WHERE type = 'webhook.disabled'"), n -> n == 0,
        "row handled");
    assertThat(SINK.to("gone@hookco.test")).isEmpty();
    assertThat(SINK.to("agent@hookco.test")).isEmpty();
    assertThat(owned.tenant()).isEqualTo("hookco");
  }
}
