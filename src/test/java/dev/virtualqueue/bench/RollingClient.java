package dev.virtualqueue.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One person's live ticket page, as src/main/resources/web/assets/live.js behaves: it reconnects
 * by itself (exponential backoff with jitter, 0.5 s doubling to 30 s), honours the server's
 * {@code bye} (comes back after {@code reconnectInMs} plus up to 1 s of jitter) and resumes with
 * {@code ?since=<last seq>}. It keeps what the page would show and how long it was without a socket.
 */
final class RollingClient {
  private static final long BASE_MS = 500;
  private static final long MAX_MS = 30_000;

  /** What all clients count together. */
  static final class Counters {
    final AtomicLong byes = new AtomicLong();
    final AtomicLong closes = new AtomicLong();
    final AtomicLong closesWithoutBye = new AtomicLong();
    final AtomicLong failedConnects = new AtomicLong();
    final LiveBench.Stats connect = new LiveBench.Stats();
    final LiveBench.Stats reconnect = new LiveBench.Stats();
    final LiveBench.Stats delivery = new LiveBench.Stats();
  }

  final String id;
  private final String token;
  private final Vertx vertx;
  private final WebSocketClient client;
  private final int port;
  private final Counters counters;
  private volatile WebSocket ws;
  private volatile long lastSeq;
  private volatile Long position;
  private volatile String status;
  private volatile long offlineSince = -1;
  private volatile long lastMessageAt;
  private volatile boolean stopped;
  private volatile boolean everLive;
  private volatile Long byeDelay;
  private volatile int attempt;

  RollingClient(String id, String token, Vertx vertx, WebSocketClient client, int port, Counters counters) {
    this.id = id;
    this.token = token;
    this.vertx = vertx;
    this.client = client;
    this.port = port;
    this.counters = counters;
  }

  /**
   * Opens the socket (the page's first connect). The connect starts on an event loop: from another
   * thread, the handlers could be set one turn after the socket opened, and the snapshot it sent
   * first would be dropped (the same race as in {@link BenchHttp}).
   */
  void start() {
    offlineSince = System.currentTimeMillis();
    vertx.runOnContext(v -> connect());
  }

  private void connect() {
    if (stopped) {
      return;
    }
    String uri = "/ws/tickets/" + id + "?token=" + token + (lastSeq > 0 ? "&since=" + lastSeq : "");
    byeDelay = null;
    client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri).setTimeout(10_000))
        .onSuccess(this::opened)
        .onFailure(t -> {
          counters.failedConnects.incrementAndGet();
          schedule();
        });
  }

  private void opened(WebSocket socket) {
    ws = socket;
    attempt = 0;
    socket.textMessageHandler(this::onMessage);
    socket.closeHandler(v -> {
      ws = null;
      counters.closes.incrementAndGet();
      if (byeDelay == null) {
        counters.closesWithoutBye.incrementAndGet();
      }
      offlineSince = System.currentTimeMillis();
      schedule();
    });
  }

  private void onMessage(String text) {
    long now = System.currentTimeMillis();
    JsonObject m = new JsonObject(text);
    Long seq = m.getLong("seq");
    if (seq != null) {
      lastSeq = seq;
    }
    if ("bye".equals(m.getString("type"))) {
      byeDelay = m.getLong("reconnectInMs", 0L);
      counters.byes.incrementAndGet();
      return;
    }
    if (!"ticket".equals(m.getString("type"))) {
      return;
    }
    status = m.getString("status");
    position = m.getLong("position");
    lastMessageAt = now;
    if (offlineSince >= 0) {
      // the first state after a (re)connect: how long the page showed "Connecting…" or "Reconnecting…"
      (everLive ? counters.reconnect : counters.connect).add(now - offlineSince);
      offlineSince = -1;
      everLive = true;
    } else if (m.getLong("changedAt", 0L) > 0) {
      counters.delivery.add(now - m.getLong("changedAt"));
    }
  }

  private void schedule() {
    if (stopped) {
      return;
    }
    long delay;
    if (byeDelay != null) {
      delay = byeDelay + ThreadLocalRandom.current().nextLong(1_000);
      attempt = 1;
    } else {
      long cap = Math.min(MAX_MS, BASE_MS << Math.min(attempt, 10));
      delay = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
      attempt++;
    }
    vertx.setTimer(Math.max(1, delay), t -> connect());
  }

  /** Open and showing a state received on its current socket. */
  boolean live() {
    return ws != null && offlineSince < 0;
  }

  Long position() {
    return position;
  }

  String status() {
    return status;
  }

  long lastMessageAt() {
    return lastMessageAt;
  }

  void stop() {
    stopped = true;
    WebSocket s = ws;
    if (s != null) {
      s.close();
    }
  }
}
