package dev.virtualqueue.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A test WebSocket client that records every message it receives and how the socket closed. */
public final class LiveClient implements AutoCloseable {
  private final WebSocket ws;
  public final List<JsonObject> messages = new CopyOnWriteArrayList<>();
  public final List<Long> receivedAt = new CopyOnWriteArrayList<>();
  /** The close frame's status code, once the close handler ran (null: closed without a close frame). */
  public volatile Short closeCode;
  private volatile boolean closeHandled;

  private LiveClient(WebSocket ws) {
    this.ws = ws;
    ws.textMessageHandler(t -> {
      receivedAt.add(System.currentTimeMillis());
      messages.add(new JsonObject(t));
    });
    ws.closeHandler(v -> {
      closeCode = ws.closeStatusCode();
      closeHandled = true;
    });
  }

  /** Opens a socket; fails with the handshake status on rejection. */
  public static LiveClient connect(WebSocketClient client, int port, String uri, String... headers) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri);
    for (int i = 0; i < headers.length; i += 2) {
      o.addHeader(headers[i], headers[i + 1]);
    }
    try {
      // handlers are installed on the event loop as the connection completes, before any message
      return client.connect(o).map(LiveClient::new).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getCause() != null ? e.getCause().getMessage() : e.getMessage(), e);
    }
  }

  public static WebSocketClient client(Vertx vertx) {
    return vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(10_000));
  }

  public JsonObject last() {
    return messages.isEmpty() ? null : messages.get(messages.size() - 1);
  }

  /** Waits until some message satisfies {@code p}; returns it. */
  public JsonObject await(Predicate<JsonObject> p, long millis) {
    long end = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < end) {
      for (JsonObject m : messages) {
        if (p.test(m)) {
          return m;
        }
      }
      sleep(10);
    }
    throw new AssertionError("no matching message within " + millis + " ms; got " + messages);
  }

  /** Waits until the latest message satisfies {@code p}. */
  public JsonObject awaitLast(Predicate<JsonObject> p, long millis) {
    long end = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < end) {
      JsonObject m = last();
      if (m != null && p.test(m)) {
        return m;
      }
      sleep(10);
    }
    throw new AssertionError("latest message never matched within " + millis + " ms; last " + last());
  }

  /**
   * Whether the socket closed and its close handler ran, so {@link #closeCode} is final: the client's
   * own {@code isClosed()} turns true a moment before, and a test that read the code then saw null.
   */
  public boolean closed() {
    return closeHandled;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (!ws.isClosed()) {
      ws.close();
    }
  }
}
