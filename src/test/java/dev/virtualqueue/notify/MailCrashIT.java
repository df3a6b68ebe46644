package dev.virtualqueue.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.ChildServer;
import dev.virtualqueue.testing.MailSink;
import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
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
    ChildServer first = ChildServer.start(server, SINK.env(), "mail-crash-first.log");
    try {
      for (int i = 0; i < 5; i++) {
        assertThat(join(first.base(), "k" + i + "@example.test")).isEqualTo(201);
      }
      Poll.until(() -> server.count("SELECT count(*) FROM outbox WHERE channel = 'mail' AND attempts > 0"),
          n -> n > 0, "the first process tried (the mail server is down)");
    } finally {
      first.kill(); // SIGKILL: no shutdown hook, no drain
    }
    assertThat(server.count("SELECT count(*) FROM outbox WHERE channel = 'mail'")).isEqualTo(5);
    assertThat(SINK.messages()).isEmpty();

    SINK.start();
    try (ChildServer second = ChildServer.start(server, SINK.env(), "mail-crash-second.log")) {
      // rows the killed process had claimed but not tried yet stay leased until the lease runs out
      // (a loaded machine kills it mid-batch): the second process takes them after that
      long deadline = MailDrain.LEASE.toMillis() + Poll.DEADLINE_MILLIS;
      for (int i = 0; i < 5; i++) {
        String to = "k" + i + "@example.test";
        Poll.until(() -> SINK.to(to), l -> !l.isEmpty(), deadline, "mail to " + to);
      }
      Poll.until(() -> server.count("SELECT count(*) FROM outbox WHERE channel = 'mail'"), n -> n == 0, 60_000,
          "every row handled");
      assertThat(SINK.messages()).hasSize(5);
      List<String> ids = SINK.messages().stream().map(m -> MailSink.header(m, "Message-ID")).distinct().toList();
      assertThat(ids).hasSize(5);
      assertThat(server.count("SELECT count(*) FROM ticket_mails WHERE kind = 'joined' AND state = 'sent'")).isEqualTo(5);
    }
  }
}
