package dev.virtualqueue.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.LiveClient;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP/1.1 framing over raw sockets: a request whose body length is ambiguous is refused and its
 * connection closed, so nothing after it is ever served as a request (RFC 9112 §6.1); and a request
 * head dripped a byte at a time is cut off after {@code http.requestHeadTimeoutSeconds} (1 s here),
 * while idle keep-alive connections and WebSockets are left alone.
 */
class StrictHttpIT {
  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("VQ_HTTP_REQUEST_HEAD_TIMEOUT_SECONDS", "1"));
  static Staff staff;
  static String queueId;
  static String join;

  @BeforeAll
  static void start() {
    staff = server.tenant("strict");
    queueId = staff.queue("line").getString("id");
    join = "/api/v1/public/strict/queues/line/tickets";
  }

  /** What came back on one connection: every byte until the server closed it (or the wait ran out). */
  record Answer(String text, boolean closed, long millis) {
    List<Integer> statuses() {
      List<Integer> out = new ArrayList<>();
      Matcher m = STATUS_LINE.matcher(text);
      while (m.find()) {
        out.add(Integer.parseInt(m.group(1)));
      }
      return out;
    }
  }

  private static Answer exchange(String request, long waitMillis) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.app().httpPort())) {
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return readUntilClosed(s, waitMillis);
    }
  }

  private static Answer readUntilClosed(Socket s, long waitMillis) throws IOException {
    long start = System.currentTimeMillis();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[8192];
    while (System.currentTimeMillis() - start < waitMillis) {
      s.setSoTimeout((int) Math.max(1, waitMillis - (System.currentTimeMillis() - start)));
      try {
        int n = in.read(buf);
        if (n < 0) {
          return new Answer(got.toString(StandardCharsets.ISO_8859_1), true, System.currentTimeMillis() - start);
        }
        got.write(buf, 0, n);
      } catch (SocketTimeoutException e) {
        break;
      } catch (IOException e) { // reset by the server: closed too
        return new Answer(got.toString(StandardCharsets.ISO_8859_1), true, System.currentTimeMillis() - start);
      }
    }
    return new Answer(got.toString(StandardCharsets.ISO_8859_1), false, System.currentTimeMillis() - start);
  }

  private static String post(String path, String framing, String body) {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + framing
        + "\r\n" + body;
  }

  @Test
  void contentLengthWithTransferEncodingIsRefusedAndNothingAfterItIsServed() throws Exception {
    long tickets = server.count("SELECT count(*) FROM tickets");
    // a proxy trusting Content-Length forwards all of this as one request; a server trusting the chunked
    // framing would end the body at "0" and serve the join hidden behind it as a second request
    String hidden = "POST " + join + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: 2\r\n\r\n{}";
    String chunkedBody = "2\r\n{}\r\n0\r\n\r\n" + hidden;
    Answer a = exchange(post(join, "Content-Length: " + chunkedBody.length() + "\r\nTransfer-Encoding: chunked\r\n",
        chunkedBody), 5_000);

    assertThat(a.statuses()).as(a.text()).containsExactly(400);
    assertThat(a.text()).contains("application/problem+json").contains("\"code\":\"http.ambiguous_length\"")
        .contains("\"instance\":\"" + join + "\"");
    assertThat(a.closed()).as("connection closed by the server").isTrue();
    assertThat(server.count("SELECT count(*) FROM tickets")).as("neither join ran").isEqualTo(tickets);
  }

  @Test
  void onlyASingleChunkedTransferCodingIsAccepted() throws Exception {
    long tickets = server.count("SELECT count(*) FROM tickets");
    for (String te : List.of("gzip", "chunked, chunked", "gzip, chunked", "xchunked", "chunked\r\nTransfer-Encoding: identity")) {
      Answer a = exchange(post(join, "Transfer-Encoding: " + te + "\r\n", "2\r\n{}\r\n0\r\n\r\n"), 5_000);
      assertThat(a.statuses()).as("%s: %s", te, a.text()).containsExactly(400);
      assertThat(a.text()).as(te).contains("\"code\":\"http.");
      assertThat(a.closed()).as(te).isTrue();
    }
    assertThat(server.count("SELECT count(*) FROM tickets")).isEqualTo(tickets);

    // the honest framings still work, and keep the connection for the next request
    String chunked = post(join, "Transfer-Encoding: chunked\r\n", "2\r\n{}\r\n0\r\n\r\n");
    String sized = post(join, "Content-Length: 2\r\n", "{}");
    Answer ok = exchange(chunked + sized, 3_000);
    assertThat(ok.statuses()).as(ok.text()).containsExactly(201, 201);
    assertThat(ok.closed()).isFalse();
    assertThat(server.count("SELECT count(*) FROM tickets")).isEqualTo(tickets + 2);
  }

  @Test
  void aRequestHeadDrippedByteByByteIsCutOffWhileIdleConnectionsAndSocketsStay() throws Exception {
    String head = "GET /api/v1/queues/" + queueId + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + "a".repeat(200)
        + "\r\n\r\n";
    List<Socket> drips = dripConnections();
    // an idle keep-alive connection: it sent a whole request and then waits longer than the head timeout
    Socket idle = new Socket("127.0.0.1", server.app().httpPort());
    idle.getOutputStream().write(("GET /api/v1/public/strict/queues/line HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    Vertx vertx = Vertx.vertx();
    WebSocketClient ws = LiveClient.client(vertx);
    try (LiveClient board = LiveClient.connect(ws, server.app().httpPort(), "/ws/queues/" + queueId + "/board")) {
      long start = System.currentTimeMillis();
      List<Long> closedAfter = dripUntilClosed(drips, head, start);
      assertThat(closedAfter).as("every dripping connection was closed").hasSize(drips.size());
      assertThat(closedAfter).allSatisfy(ms -> assertThat(ms).isBetween(500L, 4_000L));

      // the idle keep-alive connection still answers its next request at once
      Thread.sleep(Math.max(0, 2_500 - (System.currentTimeMillis() - start))); // idle past the head timeout
      OutputStream out = idle.getOutputStream();
      out.write(("GET /api/v1/public/strict/queues/line HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      Answer a = readUntilClosed(idle, 5_000);
      assertThat(a.statuses()).as(a.text()).containsExactly(200, 200);

      // and the board socket, open far longer than the head timeout, still gets the next change
      staff.join("line");
      JsonObject update = board.await(m -> m.getInteger("waiting", 0) >= 1, 5_000);
      assertThat(update).as("board update after %s", board.messages).isNotNull();
      assertThat(board.closeCode).isNull();
    } finally {
      for (Socket s : drips) {
        s.close();
      }
      idle.close();
      vertx.close().await();
    }
    // the server still serves
    Resp r = staff.call("GET", "/api/v1/queues/" + queueId);
    assertThat(r.status()).isEqualTo(200);
  }

  /**
   * Twenty slowloris connections, which will each send a byte every 100 ms (far inside the 120 s
   * idle timeout), and one that sends a request at once, then drips its second one.
   */
  private static List<Socket> dripConnections() throws IOException {
    List<Socket> drips = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      drips.add(new Socket("127.0.0.1", server.app().httpPort()));
    }
    Socket second = new Socket("127.0.0.1", server.app().httpPort());
    second.getOutputStream().write(("GET /api/v1/public/strict/queues/line HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    drips.add(second);
    return drips;
  }

  /** Drips {@code head} into every connection for up to 6 s: how long after {@code start} each was closed. */
  private static List<Long> dripUntilClosed(List<Socket> drips, String head, long start) throws InterruptedException {
    int[] sent = new int[drips.size()];
    List<Long> closedAfter = new ArrayList<>();
    while (System.currentTimeMillis() - start < 6_000 && closedAfter.size() < drips.size()) {
      for (int i = 0; i < drips.size(); i++) {
        if (sent[i] >= 0 && !drip(drips.get(i), head.charAt(sent[i] % head.length()))) {
          sent[i] = -1;
          closedAfter.add(System.currentTimeMillis() - start);
        } else if (sent[i] >= 0) {
          sent[i]++;
        }
      }
      Thread.sleep(100);
    }
    return closedAfter;
  }

  /** Sends one byte; false when the server has closed the connection. */
  private static boolean drip(Socket s, char c) {
    try {
      s.setSoTimeout(1);
      try {
        if (s.getInputStream().read(new byte[65_536]) < 0) {
          return false;
        }
      } catch (SocketTimeoutException e) {
        // nothing to read: still open
      }
      s.getOutputStream().write(c);
      s.getOutputStream().flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
