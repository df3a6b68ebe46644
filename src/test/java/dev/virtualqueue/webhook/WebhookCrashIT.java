package dev.virtualqueue.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.virtualqueue.testing.ChildServer;
import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import dev.virtualqueue.webhook.Receiver.Received;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nothing committed is lost to a crash: a server process (a child JVM) commits joins whose webhooks
 * cannot be delivered yet (the receiver is down), is killed with {@code destroyForcibly} (SIGKILL),
 * and a new server delivers every one of them once the receiver is up.
 */
class WebhookCrashIT {
  static final Map<String, String> ENV = Map.of("VQ_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true",
      "VQ_WEBHOOK_TIMEOUT_SECONDS", "2");
  @RegisterExtension
  static final TestServer server = TestServer.perClass(ENV);

  @Test
  void aKilledServersUndeliveredEventsAreDeliveredAfterRestart() throws Exception {
    Staff staff = server.tenant("crashy");
    staff.queue("q");
    int receiverPort = ChildServer.freePort();
    Resp hook = staff.call("POST", "/api/v1/webhooks", new JsonObject()
        .put("url", "http://127.0.0.1:" + receiverPort + "/crash").put("events", new JsonArray().add("ticket.created"))
        .encode());
    assertThat(hook.status()).isEqualTo(201);
    String secret = hook.json().getString("secret");
    server.stop();

    ChildServer child = ChildServer.start(server, ENV, "webhook-crash-child.log");
    Set<String> joined = new HashSet<>();
    try {
      for (int i = 0; i < 5; i++) {
        Resp r = server.send("POST", child.base() + "/api/v1/public/crashy/queues/q/tickets", "{}".getBytes());
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        joined.add(r.json().getString("id"));
      }
      // committed, fanned out and tried once against the receiver that is not there
      Poll.until(() -> server.count("SELECT count(*) FROM webhook_deliveries WHERE attempts >= 1"), n -> n == 5,
          60_000, "five failed first attempts");
    } finally {
      child.kill();
    }
    assertThat(server.count("SELECT count(*) FROM webhook_deliveries WHERE status = 'succeeded'")).isZero();

    try (Receiver receiver = new Receiver(receiverPort)) {
      server.restart();
      List<Received> got = Poll.until(() -> receiver.at("/crash"), l -> ticketIds(l).containsAll(joined), 60_000,
          "every join delivered after the restart");
      got.forEach(r -> assertThatCode(() -> r.verify(secret)).doesNotThrowAnyException());
      assertThat(ticketIds(got)).isEqualTo(joined);
    }
  }

  private static Set<String> ticketIds(List<Received> l) {
    Set<String> out = new HashSet<>();
    l.forEach(r -> out.add(r.json().getJsonObject("data").getString("id")));
    return out;
  }
}
