package dev.virtualqueue.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.LiveClient;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What one live socket may cost the server. A client that stops reading: the server keeps only its newest pending message, closes it with
 * 1013 once it has been blocked longer than the slow-consumer limit, and other sockets of the same
 * queue carry on. The client is a raw TCP socket with a small receive buffer that never reads
 * after the handshake, so the kernel buffers and then the per-socket write queue fill up. And no
 * socket gets a compression context, even when the client offers one.
 */
class LiveSocketLimitsIT {
  private static final int MAX_QUEUED_BYTES = 1024;
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of(
      "VQ_LIVE_MAX_QUEUED_BYTES", String.valueOf(MAX_QUEUED_BYTES),
      "VQ_LIVE_SLOW_CONSUMER_SECONDS", "1",
      "VQ_LIVE_PING_SECONDS", "1",
      // a fixed kernel send buffer: autotuning would let the kernel take megabytes first
      "VQ_HTTP_SEND_BUFFER_BYTES", "8192"));
  static Staff staff;
  static Vertx vertx;

  @BeforeAll
  static void start() {
    staff = server.tenant("slow");
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void aBoardThatStopsReadingIsCoalescedThenClosedWith1013() throws Exception {
    JsonObject q = staff.queue("slow-board");
    String queueId = q.getString("id");
    String counter = staff.openCounter(queueId, "Desk");
    String path = "/ws/queues/" + queueId + "/board";
    double closesBefore = meter("vq_ws_slow_consumer_closes_total");
    double coalescedBefore = meter("vq_ws_updates_coalesced_total");

    try (Socket raw = new Socket(); LiveClient healthy = LiveClient.connect(LiveClient.client(vertx),
        server.app().httpPort(), path)) {
      raw.setReceiveBufferSize(4096);
      raw.connect(new InetSocketAddress("127.0.0.1", server.app().httpPort()), 5_000);
      raw.setSoTimeout(15_000);
      handshake(raw, path);
      healthy.await(m -> "board".equals(m.getString("type")), 5_000);

      // every call goes to every board at once; the raw client never reads, so its buffers fill
      int calls = 0;
      while (meter("vq_ws_slow_consumer_closes_total") == closesBefore && calls < 600) {
        for (int i = 0; i < 20; i++, calls++) {
          staff.join("slow-board");
          String id = staff.callNext(counter).json().getString("id");
          staff.call("POST", "/api/v1/tickets/" + id + "/no-show");
        }
      }
      assertThat(meter("vq_ws_slow_consumer_closes_total")).as("slow socket closed after %d calls", calls)
          .isEqualTo(closesBefore + 1);
      assertThat(meter("vq_ws_updates_coalesced_total")).isGreaterThan(coalescedBefore);

      // the healthy board saw every call and is still open
      long deadline = System.currentTimeMillis() + 5_000;
      while (callsSeen(healthy) < calls && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertThat(callsSeen(healthy)).isEqualTo(calls);
      assertThat(healthy.closed()).isFalse();

      assertQueuedThenClosedWith1013(raw, calls);
    }
  }

  /** Once the slow client reads again it finds what was queued for it, then the 1013 close. */
  private static void assertQueuedThenClosedWith1013(Socket raw, int calls) throws IOException {
    List<Frame> frames = readUntilClose(raw.getInputStream());
    Frame close = frames.get(frames.size() - 1);
    assertThat(close.opcode()).isEqualTo(0x8);
    assertThat(((close.payload()[0] & 0xff) << 8) | (close.payload()[1] & 0xff)).isEqualTo(1013);
    List<JsonObject> texts = frames.stream().filter(f -> f.opcode() == 0x1)
        .map(f -> new JsonObject(new String(f.payload(), StandardCharsets.UTF_8))).toList();
    // far fewer messages than calls reached it (the rest were folded), and seq never skips back
    assertThat(texts.size()).isLessThan(calls);
    for (int i = 1; i < texts.size(); i++) {
      assertThat(texts.get(i).getLong("seq")).isEqualTo(texts.get(i - 1).getLong("seq") + 1);
    }
  }

  @Test
  void compressionOfferedByTheClientIsDeclined() throws Exception {
    JsonObject q = staff.queue("no-deflate");
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress("127.0.0.1", server.app().httpPort()), 5_000);
      raw.setSoTimeout(15_000);
      String head = handshake(raw, "/ws/queues/" + q.getString("id") + "/board",
          "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");
      assertThat(head.toLowerCase(Locale.ROOT)).doesNotContain("sec-websocket-extensions");
      // and the snapshot arrives as a plain text frame (RSV1 clear: not compressed)
      DataInputStream in = new DataInputStream(raw.getInputStream());
      int b0 = in.readUnsignedByte();
      assertThat(b0 & 0x0f).isEqualTo(0x1);
      assertThat(b0 & 0x40).isZero();
    }
  }

  private static long callsSeen(LiveClient c) {
    return c.messages.stream().filter(m -> "call".equals(m.getString("type"))).count();
  }

  private static String handshake(Socket raw, String path) throws IOException {
    return handshake(raw, path, "");
  }

  /** Sends the upgrade request (with {@code extraHeaders}, CRLF-terminated) and returns the 101 head. */
  private static String handshake(Socket raw, String path, String extraHeaders) throws IOException {
    byte[] nonce = new byte[16];
    new SecureRandom().nextBytes(nonce);
    String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.app().httpPort()
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
        + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
    OutputStream out = raw.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = raw.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("handshake cut off: " + head);
      }
      head.write(b);
    }
    assertThat(head.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
    return head.toString(StandardCharsets.US_ASCII);
  }

  private record Frame(int opcode, byte[] payload) {
  }

  /** Reads server frames (never masked) up to and including the close frame. */
  private static List<Frame> readUntilClose(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    List<Frame> frames = new ArrayList<>();
    while (true) {
      int b0 = in.readUnsignedByte();
      int b1 = in.readUnsignedByte();
      long len = b1 & 0x7f;
      if (len == 126) {
        len = in.readUnsignedShort();
      } else if (len == 127) {
        len = in.readLong();
      }
      byte[] payload = new byte[(int) len];
      in.readFully(payload);
      Frame f = new Frame(b0 & 0x0f, payload);
      frames.add(f);
      if (f.opcode() == 0x8) {
        return frames;
      }
    }
  }

  private static double meter(String name) {
    String text = server.send("GET", server.management() + "/metrics", null).body();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }
}
