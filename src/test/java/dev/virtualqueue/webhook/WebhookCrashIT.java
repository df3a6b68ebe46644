package dev.virtualqueue.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import dev.virtualqueue.webhook.Receiver.Received;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
    int receiverPort = freePort();
    Resp hook = staff.call("POST", "/api/v1/webhooks", new JsonObject()
        .put("url", "http://127.0.0.1:" + receiverPort + "/crash").put("events", new JsonArray().add("ticket.created"))
        .encode());
    assertThat(hook.status()).isEqualTo(201);
    String secret = hook.json().getString("secret");
    server.stop();

    int httpPort = freePort();
    Process child = child(httpPort, freePort());
    Set<String> joined = new HashSet<>();
    try {
      awaitUp(httpPort);
      for (int i = 0; i < 5; i++) {
        Resp r = server.send("POST", "http://127.0.0.1:" + httpPort + "/api/v1/public/crashy/queues/q/tickets",
            "{}".getBytes());
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        joined.add(r.json().getString("id"));
      }
      // committed, fanned out and tried once against the receiver that is not there
      Poll.until(() -> server.count("SELECT count(*) FROM webhook_deliveries WHERE attempts >= 1"), n -> n == 5,
          60_000, "five failed first attempts");
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
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

  /** The server as its own process, on the test's database and Redis prefix (the env TestServer sets). */
  private static Process child(int httpPort, int managementPort) throws IOException {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(ENV);
    env.put("VQ_CONFIG", "conf/virtual-queue.json");
    env.put("VQ_PROFILE", "dev");
    env.put("VQ_HTTP_PORT", String.valueOf(httpPort));
    env.put("VQ_MANAGEMENT_PORT", String.valueOf(managementPort));
    env.put("VQ_HTTP_HOST", "127.0.0.1");
    env.put("VQ_MANAGEMENT_HOST", "127.0.0.1");
    env.put("VQ_PG_URL", server.pgUrl());
    env.put("VQ_REDIS_URL", TestServer.REDIS_URL);
    env.put("VQ_REDIS_KEY_PREFIX", server.prefix());
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", System.getProperty("java.class.path"), "dev.virtualqueue.Main")
        .redirectErrorStream(true).redirectOutput(new File("target/webhook-crash-child.log"));
    pb.environment().clear();
    pb.environment().putAll(env);
    return pb.start();
  }

  private static void awaitUp(int httpPort) {
    Poll.until(() -> {
      try {
        return server.send("GET", "http://127.0.0.1:" + httpPort + "/api/v1/openapi.json", null).status();
      } catch (IllegalStateException e) {
        return 0;
      }
    }, s -> s == 200, 90_000, "the child server answers");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
