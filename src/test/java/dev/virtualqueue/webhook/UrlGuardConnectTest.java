package dev.virtualqueue.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.webhook.UrlVerdict.Allowed;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pinned options really connect to the checked address, with the registered Host header. */
@ExtendWith(VertxExtension.class)
class UrlGuardConnectTest {

  @Test
  void theDeliveryGoesToThePinnedAddressNotToWhatDnsSaysLater(Vertx vertx) throws Exception {
    AtomicReference<String> seenHost = new AtomicReference<>();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      seenHost.set(req.getHeader("Host"));
      req.response().setStatusCode(204).end();
    }).listen(0, "127.0.0.1").await();
    // the name resolves to this machine once; any later lookup would say a TEST-NET address
    List<String> answers = new ArrayList<>(List.of("127.0.0.1", "192.0.2.1", "192.0.2.1"));
    UrlGuard guard = new UrlGuard(host -> List.of(InetAddress.getByName(answers.remove(0))), true);
    String url = "http://hooks.invalid:" + server.actualPort() + "/in";

    Allowed allowed = (Allowed) guard.check(vertx, url).await();
    HttpClient client = vertx.createHttpClient();
    int status = client.request(allowed.requestOptions())
        .compose(req -> req.send("{}"))
        .map(HttpClientResponse::statusCode)
        .await();

    assertThat(status).isEqualTo(204);
    assertThat(seenHost.get()).isEqualTo("hooks.invalid:" + server.actualPort());
    assertThat(answers).as("resolved once").hasSize(2);
    client.close().await();
    server.close().await();
  }

  @Test
  void theFutureFormResolvesOnAWorkerNeverOnTheEventLoop(Vertx vertx) {
    AtomicReference<Boolean> onEventLoop = new AtomicReference<>();
    AtomicReference<String> thread = new AtomicReference<>();
    UrlGuard guard = new UrlGuard(host -> {
      onEventLoop.set(Context.isOnEventLoopThread());
      thread.set(Thread.currentThread().getName());
      return List.of(InetAddress.getByName("93.184.216.34"));
    }, false);
    Context ctx = vertx.getOrCreateContext();
    // the compose step runs on ctx's event loop: the check is started from there, as a route would
    UrlVerdict v = ctx.<UrlVerdict>executeBlocking(() -> null)
        .compose(x -> guard.check(vertx, "https://hooks.example.com/"))
        .await();
    assertThat(v).isInstanceOf(Allowed.class);
    assertThat(onEventLoop.get()).isFalse();
    assertThat(thread.get()).contains("worker");
  }
}
