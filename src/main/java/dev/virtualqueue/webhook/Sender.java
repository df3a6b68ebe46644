package dev.virtualqueue.webhook;

import dev.virtualqueue.webhook.UrlVerdict.Allowed;
import dev.virtualqueue.webhook.WebhookSigner.SignedHeaders;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;

/**
 * One delivery attempt over HTTP: a POST to the address the guard pinned (Host and SNI of the URL's
 * host), redirects not followed, the whole exchange bounded by the timeout, and at most
 * {@value #READ_CAP} bytes of the answer read (an excerpt of {@value #EXCERPT} characters is kept).
 */
final class Sender {
  static final int READ_CAP = 4096;
  static final int EXCERPT = 500;
  static final String USER_AGENT = "virtual-queue-webhooks/1";

  private final Vertx vertx;
  private final HttpClient client;
  private final long timeoutMillis;

  Sender(Vertx vertx, HttpClient client, long timeoutMillis) {
    this.vertx = vertx;
    this.client = client;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Sends {@code body}; never fails: a connection error or timeout is a result with status 0. The
   * timeout bounds the whole attempt, from asking the pool for a connection to the end of the answer.
   */
  Future<AttemptResult> send(Allowed target, SignedHeaders signed, String body) {
    long start = System.nanoTime();
    Promise<AttemptResult> done = Promise.promise();
    // the idle timeout is a backstop: the timer below bounds the whole exchange and names the cause
    RequestOptions options = target.requestOptions().setConnectTimeout(timeoutMillis)
        .setIdleTimeout(timeoutMillis + 1000);
    signed.asMap().forEach(options::putHeader);
    options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").putHeader(HttpHeaders.USER_AGENT, USER_AGENT);
    HttpClientRequest[] sent = new HttpClientRequest[1];
    long timer = vertx.setTimer(timeoutMillis, id -> {
      if (done.tryComplete(AttemptResult.failed("no answer within " + timeoutMillis / 1000 + " s", millis(start)))
          && sent[0] != null) {
        sent[0].reset(0, new TimeoutException());
      }
    });
    done.future().onComplete(x -> vertx.cancelTimer(timer));
    client.request(options).onComplete(ar -> {
      if (ar.failed()) {
        done.tryComplete(AttemptResult.failed(describe(ar.cause()), millis(start)));
      } else if (done.future().isComplete()) {
        ar.result().reset(); // the time ran out while waiting for a connection
      } else {
        sent[0] = ar.result();
        ar.result().send(Buffer.buffer(body))
            .onSuccess(resp -> read(resp, ar.result(), start, done))
            .onFailure(t -> done.tryComplete(AttemptResult.failed(describe(t), millis(start))));
      }
    });
    return done.future();
  }

  /** Reads up to the cap, then gives up on the rest (the connection is reset rather than drained). */
  private static void read(HttpClientResponse resp, HttpClientRequest req, long start, Promise<AttemptResult> done) {
    Buffer head = Buffer.buffer();
    resp.handler(chunk -> {
      if (head.length() < READ_CAP) {
        head.appendBuffer(chunk, 0, Math.min(chunk.length(), READ_CAP - head.length()));
      }
      if (head.length() >= READ_CAP && done.tryComplete(result(resp, head, start))) {
        req.reset();
      }
    });
    resp.exceptionHandler(t -> done.tryComplete(result(resp, head, start)));
    resp.endHandler(v -> done.tryComplete(result(resp, head, start)));
  }

  private static AttemptResult result(HttpClientResponse resp, Buffer head, long start) {
    int status = resp.statusCode();
    String error = null;
    if (status >= 300 && status < 400) {
      error = "redirect not followed" + (resp.getHeader("Location") == null ? "" : " (to " + cut(resp.getHeader(
          "Location"), 200) + ")");
    } else if (status < 200 || status >= 300) {
      error = "HTTP " + status;
    }
    return new AttemptResult(status, resp.getHeader("Retry-After"), excerpt(head), error, millis(start));
  }

  /** The first {@value #EXCERPT} characters as text, without NUL (Postgres text refuses it). */
  static String excerpt(Buffer head) {
    if (head.length() == 0) {
      return null;
    }
    return cut(head.toString(StandardCharsets.UTF_8).replace('\u0000', '?'), EXCERPT);
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  private static String describe(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return cut(m.replace('\u0000', '?'), 300);
  }

  private static long millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
