package dev.virtualqueue.webhook;

import com.standardwebhooks.Webhook;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A real webhook receiver for the tests: a Vert.x HTTP server on 127.0.0.1 that records every
 * request (path, headers, body, time) and answers each path as the test scripted it (status,
 * headers, body, delay), 200 by default.
 */
final class Receiver implements AutoCloseable {
  /** One request received. */
  record Received(String path, Map<String, String> headers, String body, long atMillis) {
    JsonObject json() {
      return new JsonObject(body);
    }

    String header(String name) {
      return headers.get(name.toLowerCase());
    }

    /** Verifies the signature with the reference library; throws when it does not verify. */
    void verify(String secret) throws Exception {
      verify(secret, header("webhook-signature"));
    }

    /** Verifies with {@code signature} in place of the header as sent (e.g. one of two signatures). */
    void verify(String secret, String signature) throws Exception {
      new Webhook(secret).verify(body, Map.of("webhook-id", List.of(header("webhook-id")),
          "webhook-timestamp", List.of(header("webhook-timestamp")), "webhook-signature", List.of(signature)));
    }
  }

  /** How a path answers its n-th request (0-based). */
  record Answer(int status, Map<String, String> headers, String body, long delayMillis) {
    static Answer of(int status) {
      return new Answer(status, Map.of(), "", 0);
    }
  }

  /** A scripted path: the answer of each request by its number. */
  interface Script {
    Answer answer(int n);
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Script> scripts = new ConcurrentHashMap<>();
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();

  Receiver() {
    this(0);
  }

  Receiver(int port) {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      String path = req.path();
      received.add(new Received(path, lower(req.headers()), body.toString(), System.currentTimeMillis()));
      int n = counts.merge(path, 1, Integer::sum) - 1;
      Answer a = scripts.getOrDefault(path, i -> Answer.of(200)).answer(n);
      Runnable reply = () -> {
        var resp = req.response().setStatusCode(a.status());
        a.headers().forEach(resp::putHeader);
        resp.putHeader("content-type", "text/plain").end(a.body())
            .onFailure(t -> { });
      };
      if (a.delayMillis() > 0) {
        vertx.setTimer(a.delayMillis(), id -> reply.run());
      } else {
        reply.run();
      }
    })).listen(port, "127.0.0.1").await();
  }

  private static Map<String, String> lower(MultiMap headers) {
    Map<String, String> out = new ConcurrentHashMap<>();
    headers.forEach(e -> out.merge(e.getKey().toLowerCase(), e.getValue(), (a, b) -> a + "," + b));
    return out;
  }

  int port() {
    return server.actualPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  void script(String path, Script script) {
    scripts.put(path, script);
  }

  List<Received> at(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  List<Received> matching(Predicate<Received> p) {
    return received.stream().filter(p).toList();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
