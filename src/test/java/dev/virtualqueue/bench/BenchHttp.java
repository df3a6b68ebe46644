package dev.virtualqueue.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The benchmarks' JSON calls over a pooled Vert.x HTTP client, safe to start from any thread.
 *
 * <p>Why it is built this way: the Vert.x client drops a response's body events that arrive before a
 * body handler is set (eclipse-vertx/vert.x#5904), so {@code body()} asked for even one turn of the
 * event loop after the head came never completes. Composing {@code request().compose(send)
 * .compose(body)} from a non-Vert.x thread leaves such a turn now and then: the live benchmark's
 * exactness check hung on a page whose head came in 1 ms and whose every byte reached the client
 * (ss: bytes sent by the server = bytes received by the client, both queues empty), while the same
 * request on a fresh connection was answered in 5 ms. So each call starts on one event-loop context,
 * and the body is asked for in the very callback that receives the head.
 *
 * <p>Every unanswered call is kept with what happened to it so far, for a hang's diagnosis.
 */
final class BenchHttp {
  private final HttpClient client;
  private final Context context;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, StringBuilder> inFlight = new ConcurrentHashMap<>();
  private final Consumer<String> onError;
  private volatile String token;

  /** {@code onError} hears of every 4xx/5xx answer. */
  BenchHttp(Vertx vertx, HttpClient client, Consumer<String> onError) {
    this.client = client;
    this.context = vertx.getOrCreateContext();
    this.onError = onError;
  }

  void token(String token) {
    this.token = token;
  }

  /** The answer's JSON (null for 204); fails on a 4xx or 5xx. */
  Future<JsonObject> call(HttpMethod method, String path, JsonObject body) {
    return call(method, path, body, Map.of());
  }

  /** The same with extra request headers (a ticket's {@code X-Ticket-Token}, say). */
  Future<JsonObject> call(HttpMethod method, String path, JsonObject body, Map<String, String> headers) {
    long id = ids.incrementAndGet();
    long began = System.currentTimeMillis();
    StringBuilder what = new StringBuilder(method + " " + path);
    inFlight.put(id, what);
    // a Promise, not the call's own future: the call must start on the context, whatever thread asks
    Promise<JsonObject> answer = Promise.promise();
    context.runOnContext(v -> send(method, path, body, headers, what, began).onComplete(answer));
    return answer.future().onComplete(ar -> inFlight.remove(id));
  }

  /** What each unanswered call got so far: its connection, its head, how much of its body. */
  void printInFlight(String prefix) {
    inFlight.values().forEach(what -> {
      synchronized (what) {
        System.out.println(prefix + what);
      }
    });
  }

  private Future<JsonObject> send(HttpMethod method, String path, JsonObject body, Map<String, String> headers,
                                  StringBuilder what, long began) {
    RequestOptions o = new RequestOptions().setMethod(method).setURI(path).putHeader("Content-Type", "application/json");
    headers.forEach(o::putHeader);
    if (token != null) {
      o.putHeader("Authorization", "Bearer " + token);
    }
    return client.request(o).compose(req -> {
      note(what, ", connection " + req.connection().localAddress() + " at +" + (System.currentTimeMillis() - began)
          + " ms");
      Future<HttpClientResponse> sent = body == null ? req.send() : req.send(Buffer.buffer(body.encode()));
      // the body is asked for in the callback that gets the head, never a turn later
      return sent.compose(resp -> {
        note(what, ", head " + resp.statusCode() + " at +" + (System.currentTimeMillis() - began)
            + " ms, content-length " + resp.getHeader("content-length") + ", body bytes: ");
        return readBody(resp, what).map(b -> json(method, path, resp.statusCode(), b));
      });
    });
  }

  private JsonObject json(HttpMethod method, String path, int status, Buffer b) {
    if (status == 204) {
      return null;
    }
    if (status >= 400) {
      String problem = method + " " + path + " -> " + status + " " + b;
      onError.accept(problem);
      throw new IllegalStateException(problem);
    }
    return b.length() == 0 ? new JsonObject() : new JsonObject(b);
  }

  /** The body chunk by chunk, so that a diagnosis can say how much of it came. */
  private static Future<Buffer> readBody(HttpClientResponse resp, StringBuilder what) {
    Promise<Buffer> done = Promise.promise();
    Buffer body = Buffer.buffer();
    int mark;
    synchronized (what) {
      mark = what.length();
      what.append(0);
    }
    resp.handler(chunk -> {
      body.appendBuffer(chunk);
      synchronized (what) {
        what.setLength(mark);
        what.append(body.length());
      }
    });
    resp.exceptionHandler(done::tryFail);
    resp.endHandler(v -> done.tryComplete(body));
    return done.future();
  }

  private static void note(StringBuilder what, String text) {
    synchronized (what) {
      what.append(text);
    }
  }
}
