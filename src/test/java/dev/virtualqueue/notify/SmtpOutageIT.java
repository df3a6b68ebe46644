package dev.virtualqueue.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.MailSink;
import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The mail server down, then up: while it takes connections and never answers (the worst kind of
 * down), joins with an address stay as fast as ever - nothing is sent on the request path - and
 * their messages are retried; once a real server listens there, every message arrives, once (but
 * one made older than a day, which is given up). The
 * notification meters exist at 0 before the first message and count the failures and the sends.
 */
class SmtpOutageIT {
  private static final MailSink SINK = MailSink.onFreePort();

  @RegisterExtension
  static final TestServer server = TestServer.perClass(SINK.env());

  /** Accepts SMTP connections and never says a word. */
  private static final class Silent implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> held = new ArrayList<>();
    private final Thread acceptor;

    Silent(int port) throws IOException {
      socket = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
      acceptor = new Thread(() -> {
        try {
          while (true) {
            Socket s = socket.accept();
            synchronized (held) {
              held.add(s);
            }
          }
        } catch (IOException closed) {
          // closed: stop accepting
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
    }

    @Override
    public void close() throws Exception {
      socket.close();
      synchronized (held) {
        for (Socket s : held) {
          s.close();
        }
      }
      acceptor.join(5_000);
    }
  }

  @Test
  void joinsStayFastWhileSmtpHangsAndEveryMessageArrivesOnceItIsBack() throws Exception {
    metersAtZero(scrape());
    Staff staff = server.tenant("outage");
    staff.queue("q");
    staff.join("q"); // warm the queue's caches: the timed joins below measure the join, not the first load
    long slowest = 0;
    try (Silent silent = new Silent(SINK.port())) {
      for (int i = 0; i < 20; i++) {
        long start = System.nanoTime();
        staff.join("q", new JsonObject().put("email", "p" + i + "@example.test"));
        slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
      }
      // the first send is stuck on the silent server by now
      Thread.sleep(1_000);
      long start = System.nanoTime();
      staff.join("q", new JsonObject().put("email", "p20@example.test"));
      slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
    }
    assertThat(slowest).as("slowest join (ms) while SMTP hangs").isLessThan(1_000);
    assertThat(SINK.messages()).isEmpty();
    // down for good for a moment: retried with backoff, nothing lost
    Poll.until(() -> server.count("SELECT count(*) FROM outbox WHERE channel = 'mail' AND attempts > 0"), n -> n > 0,
        "a failed attempt recorded");
    giveUpOn("p20@example.test");
    SINK.start();
    for (int i = 0; i < 20; i++) {
      SINK.await("p" + i + "@example.test", 1);
    }
    Poll.until(() -> server.count("SELECT count(*) FROM outbox WHERE channel = 'mail'"), n -> n == 0, 60_000,
        "outbox empty");
    assertThat(SINK.messages()).hasSize(20);
    assertThat(SINK.to("p20@example.test")).isEmpty();
    String after = scrape();
    assertThat(value(after, "vq_notifications_sent_total", "kind=\"joined\"")).isEqualTo(20.0);
    assertThat(value(after, "vq_notifications_failed_total", "reason=\"gave_up\"")).isEqualTo(1.0);
    double failures = NotifyMetrics.REASONS.stream()
        .mapToDouble(r -> value(after, "vq_notifications_failed_total", "reason=\"" + r + "\"")).sum();
    assertThat(failures).isGreaterThan(0);
    assertThat(value(after, "vq_notification_send_seconds_count", "channel=\"email\"")).isGreaterThan(20.0);
  }

  /** Makes that address's message older than a day: it is given up, not retried for ever. */
  private static void giveUpOn(String email) {
    server.sql("UPDATE outbox SET occurred_at = now() - interval '25 hours', available_at = now()"
        + " WHERE ticket_id = (SELECT id FROM tickets WHERE email = '" + email + "')");
    Poll.until(() -> server.count("SELECT count(*) FROM ticket_mails m JOIN tickets t ON t.id = m.ticket_id"
        + " WHERE t.email = '" + email + "' AND m.state = 'failed'"), n -> n == 1, email + "'s message given up");
  }

  private static void metersAtZero(String scrape) {
    for (String kind : NotifyMetrics.KINDS) {
      assertThat(value(scrape, "vq_notifications_sent_total", "kind=\"" + kind + "\"")).as(kind).isEqualTo(0.0);
    }
    for (String reason : NotifyMetrics.REASONS) {
      assertThat(value(scrape, "vq_notifications_failed_total", "reason=\"" + reason + "\"")).as(reason).isEqualTo(0.0);
    }
  }

  private static String scrape() {
    return server.send("GET", server.management() + "/metrics", null).body();
  }

  /** The value of the one sample of {@code name} whose labels contain every {@code label="value"}, or null. */
  static Double value(String scrape, String name, String... labels) {
    Double found = null;
    for (String line : scrape.split("\n")) {
      if (line.startsWith(name + "{") && Arrays.stream(labels).allMatch(line.substring(0, line.lastIndexOf(' '))::contains)) {
        assertThat(found).as("one series of %s with %s", name, List.of(labels)).isNull();
        found = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return found;
  }
}
