package dev.virtualqueue.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import dev.virtualqueue.webhook.Receiver.Received;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two servers on one database share the outbox and the deliveries (SKIP LOCKED and leases): each
 * event reaches each endpoint exactly once, whichever server took the change or sent it.
 */
class WebhookScaleOutIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("VQ_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true"));
  static final Receiver receiver = new Receiver();

  @AfterAll
  static void closeReceiver() {
    receiver.close();
  }

  @Test
  void twoServersDeliverEachEventOncePerEndpoint() {
    Staff staff = server.tenant("twins");
    staff.queue("q");
    for (String path : List.of("/one", "/two")) {
      Resp r = staff.call("POST", "/api/v1/webhooks", new JsonObject().put("url", receiver.url(path))
          .put("events", new JsonArray().add("ticket.created")).encode());
      assertThat(r.status()).isEqualTo(201);
    }
    int joins = 60;
    try (TestServer twin = server.sibling()) {
      for (int i = 0; i < joins; i++) {
        TestServer via = i % 2 == 0 ? server : twin;
        assertThat(via.http("POST", "/api/v1/public/twins/queues/q/tickets", "{}").status()).isEqualTo(201);
      }
      for (String path : List.of("/one", "/two")) {
        Poll.until(() -> receiver.at(path).size(), n -> n >= joins, path + " got every event");
      }
      Poll.until(() -> server.count("SELECT count(*) FROM outbox"), n -> n == 0, "outbox drained");
    }
    for (String path : List.of("/one", "/two")) {
      Map<String, Integer> perEvent = new HashMap<>();
      for (Received r : receiver.at(path)) {
        perEvent.merge(r.header("webhook-id"), 1, Integer::sum);
      }
      assertThat(perEvent).as(path).hasSize(joins);
      assertThat(perEvent.values()).as("%s: each event once", path).containsOnly(1);
    }
    assertThat(server.count("SELECT count(*) FROM webhook_deliveries WHERE status = 'succeeded'")).isEqualTo(2L * joins);
  }
}
