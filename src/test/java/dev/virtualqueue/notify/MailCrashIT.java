package dev.virtualqueue.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.MailSink;
import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kill -9 between commit and delivery: a server process (a child JVM running dev.virtualqueue.Main)
 * commits joins while the mail server is down, and is killed with SIGKILL before it could deliver;
 * a new process, the mail server back, sends every message, once each.
 */
class MailCrashIT {
  private static final MailSink SINK = MailSink.onFreePort();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Owns the database (created and dropped); stopped before the child processes start. */
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @AfterAll
  static void tearDown() {
    SINK.close();
  }

  /** A server in its own JVM, with the settings TestServer uses plus e-mail to the sink's port. */
  private static Process child(int httpPort, String log) throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("VQ_CONFIG", "conf/virtual-queue.json");
    env.put("VQ_PROFILE", "dev");
    env.put("VQ_HTTP_PORT", String.valueOf(httpPort));
    env.put("VQ_MANAGEMENT_PORT", String.valueOf(MailSink.freePort()));
    env.put("VQ_HTTP_HOST", "127.0.0.1");
    env.put("VQ_MANAGEMENT_HOST", "127.0.0.1");
    env.put("VQ_PG_URL", server.pgUrl());
    env.put("VQ_REDIS_URL", TestServer.REDIS_URL);
    env.put("VQ_REDIS_KEY_PREFIX", server.prefix());
    env.putAll(SINK.env());
    ProcessBuilder pb = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
        "dev.virtualqueue.Main").redirectErrorStream(true).redirectOutput(new File("target/" + log));
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    String base = "http://127.0.0.1:" + httpPort;
    Poll.until(() -> status(base + "/api/v1/openapi.json"), s -> s == 200 || !p.isAlive(), 60_000, "child up");
    assertThat(p.isAlive()).as("child server started (see target/" + log + ")").isTrue();
    return p;
  }

  /** The java launcher of this JVM. */
  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int status(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static int join(String base, String email) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/public/crashco/queues/q/tickets"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("email", email).encode())).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void messagesCommittedBeforeAKillAreSentOnceByTheNextProcess() throws Exception {
    server.tenant("crashco").queue("q");
    server.stop();
    int port = MailSink.freePort();
    Process first = child(port, "mail-crash-first.log");
    try {
      for (int i = 0; i < 5; i++) {
        assertThat(join("http://127.0.0.1:" + port, "k" + i + "@example.test")).isEqualTo(201);
      }
      Poll.until(() -> server.count("SELECT count(*) FROM outbox WHERE channel = 'mail' AND attempts > 0"),
          n -> n > 0, "the first process tried (the mail server is down)");
    } finally {
      first.destroyForcibly(); // SIGKILL: no shutdown hook, no drain
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(server.count("SELECT count(*) FROM outbox WHERE channel = 'mail'")).isEqualTo(5);
    assertThat(SINK.messages()).isEmpty();

    SINK.start();
    Process second = child(port, "mail-crash-second.log");
    try {
      for (int i = 0; i < 5; i++) {
        SINK.await("k" + i + "@example.test", 1);
      }
      Poll.until(() -> server.count("SELECT count(*) FROM outbox WHERE channel = 'mail'"), n -> n == 0, 60_000,
          "every row handled");
      assertThat(SINK.messages()).hasSize(5);
      List<String> ids = SINK.messages().stream().map(m -> MailSink.header(m, "Message-ID")).distinct().toList();
      assertThat(ids).hasSize(5);
      assertThat(server.count("SELECT count(*) FROM ticket_mails WHERE kind = 'joined' AND state = 'sent'")).isEqualTo(5);
    } finally {
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);
      second.destroyForcibly();
    }
  }
}
