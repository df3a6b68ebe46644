package dev.virtualqueue.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every server's copy of who wants which webhook events follows endpoint changes made anywhere:
 * through another server's API, or by SQL behind every server's back, and across a lost LISTEN
 * connection. Where the copy says "no", a change carries no webhook CTE; where it may be stale, it
 * says "yes".
 */
class WebhookInterestIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("VQ_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true"));

  private static WebhookInterest interest(TestServer s) {
    return s.app().modules().webhooks().interest();
  }

  private static UUID tenantId(Staff staff) {
    String q = staff.queue("q").getString("id");
    return UUID.fromString(server.scalar("SELECT tenant_id::text FROM queues WHERE id = '" + q + "'"));
  }

  private static void awaitFresh(TestServer s) {
    Poll.until(() -> interest(s).fresh(), f -> f, "the interest copy is loaded");
  }

  @Test
  void anotherServersChangesReachThisOne() {
    Staff staff = server.tenant("twin-hooks");
    UUID tenant = tenantId(staff);
    try (TestServer twin = server.sibling()) {
      awaitFresh(twin);
      assertThat(interest(twin).wants(tenant, "ticket.called")).as("no endpoint yet").isFalse();

      Resp made = staff.call("POST", "/api/v1/webhooks", new JsonObject().put("url", "http://127.0.0.1:9/hook")
          .put("events", new JsonArray().add("ticket.called")).encode());
      assertThat(made.status()).isEqualTo(201);
      String id = made.json().getString("id");
      assertThat(interest(server).wants(tenant, "ticket.called")).as("the server that made it: at once").isTrue();
      Poll.until(() -> interest(twin).fresh() && interest(twin).wants(tenant, "ticket.called"), ok -> ok, 5_000,
          "the twin hears of the new endpoint");
      assertThat(interest(twin).wants(tenant, "ticket.created")).as("a type it does not subscribe to").isFalse();

      assertThat(staff.call("PATCH", "/api/v1/webhooks/" + id, "{\"enabled\":false}").status()).isEqualTo(200);
      Poll.until(() -> interest(twin).fresh() && !interest(twin).wants(tenant, "ticket.called"), ok -> ok, 5_000,
          "the twin hears it was disabled");

      assertThat(staff.call("PATCH", "/api/v1/webhooks/" + id, "{\"enabled\":true,\"events\":[\"*\"]}").status())
          .isEqualTo(200);
      Poll.until(() -> interest(twin).fresh() && interest(twin).wants(tenant, "queue.paused"), ok -> ok, 5_000,
          "the twin hears of the wildcard");

      assertThat(staff.call("DELETE", "/api/v1/webhooks/" + id).status()).isEqualTo(204);
      Poll.until(() -> interest(twin).fresh() && !interest(twin).wants(tenant, "ticket.called"), ok -> ok, 5_000,
          "the twin hears it was deleted");
    }
  }

  @Test
  void aLostListenConnectionReloadsWhenItIsBack() {
    Staff staff = server.tenant("lost-listen");
    UUID tenant = tenantId(staff);
    awaitFresh(server);
    assertThat(interest(server).wants(tenant, "ticket.created")).isFalse();
    String listener = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'vq-webhook-interest'"
        + " AND datname = current_database()";
    assertThat(server.count(listener)).isEqualTo(1);

    server.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'vq-webhook-interest'"
        + " AND datname = current_database()");
    // made while nobody may be listening: the notification can be lost, the reload after reconnecting is not
    server.sql("INSERT INTO webhook_endpoints (id, tenant_id, url, events, secret_sealed) VALUES ('" + UUID.randomUUID()
        + "', '" + tenant + "', 'http://127.0.0.1:9/none', ARRAY['ticket.created'], '\\x00')");
    Poll.until(() -> server.count(listener), n -> n == 1, 10_000, "a new LISTEN connection");
    Poll.until(() -> interest(server).fresh() && interest(server).wants(tenant, "ticket.created"), ok -> ok, 10_000,
        "the copy is reloaded after the reconnect");
  }
}
