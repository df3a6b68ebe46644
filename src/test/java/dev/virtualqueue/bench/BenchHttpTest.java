package dev.virtualqueue.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live benchmark's hang, reproduced: the request was answered in full, and the client lost the
 * end of the body because it asked for the body a turn of the event loop after the head.
 */
class BenchHttpTest {
  static Vertx vertx;
  static HttpServer server;
  static JsonObject page;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    JsonArray items = new JsonArray();
    for (int i = 0; i < 50; i++) {
      items.add(new JsonObject().put("id", "ticket-" + i).put("position", i + 1));
    }
    page = new JsonObject().put("items", items); // a page of some KB, which arrives in one read
    server = vertx.createHttpServer().requestHandler(req -> req.response()
            .putHeader("Content-Type", "application/json").end(page.toBuffer()))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static HttpClient client() {
    return vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(server.actualPort()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(4));
  }

  @Test
  void aBodyAskedForOneTurnAfterItsHeadNeverCompletes() throws Exception {
    HttpClient http = client();
    Promise<Future<Buffer>> late = Promise.promise();
    http.request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/page"))
        .compose(req -> req.send())
        .onSuccess(resp -> vertx.runOnContext(v -> late.complete(resp.body())));
    Future<Buffer> body = late.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Thread.sleep(1_000);
    assertThat(body.isComplete()).as("the server sent the whole page; the client dropped its end").isFalse();
    http.close();
  }

  @Test
  void everyCallGetsItsWholeBodyFromAnyThread() throws Exception {
    HttpClient http = client();
    AtomicInteger errors = new AtomicInteger();
    BenchHttp calls = new BenchHttp(vertx, http, problem -> errors.incrementAndGet());
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      answers.add(calls.call(HttpMethod.GET, "/page?n=" + i, null));
    }
    answers.add(vertx.executeBlocking(() -> calls.call(HttpMethod.POST, "/page", new JsonObject()))
        .compose(f -> f));
    for (Future<JsonObject> a : answers) {
      assertThat(a.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(page);
    }
    assertThat(errors).hasValue(0);
    http.close();
  }
}
