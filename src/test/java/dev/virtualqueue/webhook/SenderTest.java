package dev.virtualqueue.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.webhook.UrlVerdict.Allowed;
import dev.virtualqueue.webhook.WebhookSigner.SignedHeaders;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One attempt over a real socket: over TLS to the pinned address, the URL's host is the SNI name and
 * the name the certificate is checked against; a huge answer is read only up to the cap.
 */
@ExtendWith(VertxExtension.class)
class SenderTest {
  private static final SignedHeaders HEADERS = new SignedHeaders("msg_1", "1700000000", "v1,x");

  @Test
  void overTlsThePinnedAddressIsReachedUnderTheUrlsNameAndItsCertificateIsVerified(Vertx vertx) {
    SelfSignedCertificate cert = SelfSignedCertificate.create("hooks.test");
    AtomicReference<String> sni = new AtomicReference<>();
    AtomicReference<String> host = new AtomicReference<>();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setSni(true)
        .setKeyCertOptions(cert.keyCertOptions())).requestHandler(req -> {
          sni.set(req.connection().indicatedServerName());
          host.set(req.getHeader("Host"));
          req.response().end("ok");
        }).listen(0, "127.0.0.1").await();
    UrlGuard guard = new UrlGuard(h -> List.of(InetAddress.getByName("127.0.0.1")), true);
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setTrustOptions(cert.trustOptions()));
    Sender sender = new Sender(vertx, client, 5_000);

    Allowed named = (Allowed) guard.check("https://hooks.test:" + server.actualPort() + "/in");
    AttemptResult ok = sender.send(named, HEADERS, "{}").await();
    assertThat(ok.status()).as("%s", ok).isEqualTo(200);
    assertThat(sni.get()).isEqualTo("hooks.test");
    assertThat(host.get()).isEqualTo("hooks.test:" + server.actualPort());

    Allowed other = (Allowed) guard.check("https://other.test:" + server.actualPort() + "/in");
    AttemptResult refused = sender.send(other, HEADERS, "{}").await();
    assertThat(refused.status()).as("the certificate is not for other.test").isZero();
    assertThat(refused.error()).isNotBlank();
    cert.delete();
  }

  @Test
  void theTimeoutBoundsTheWholeAttemptEvenWhileWaitingForAConnection(Vertx vertx) {
    HttpServer server = vertx.createHttpServer().requestHandler(req -> vertx.setTimer(5_000, id ->
        req.response().end())).listen(0, "127.0.0.1").await();
    UrlGuard guard = new UrlGuard(h -> List.of(), true);
    HttpClient client = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(1));
    Sender sender = new Sender(vertx, client, 1_000);
    Allowed target = (Allowed) guard.check("http://127.0.0.1:" + server.actualPort() + "/");
    long start = System.nanoTime();
    List<AttemptResult> all = Future.all(sender.send(target, HEADERS, "{}"), sender.send(target, HEADERS, "{}"),
        sender.send(target, HEADERS, "{}")).map(f -> List.<AttemptResult>of(f.resultAt(0), f.resultAt(1),
        f.resultAt(2))).await();
    assertThat((System.nanoTime() - start) / 1_000_000).as("all three within the timeout, not one after the other")
        .isLessThan(2_000);
    assertThat(all).allSatisfy(r -> {
      assertThat(r.status()).isZero();
      assertThat(r.error()).isEqualTo("no answer within 1 s");
    });
  }

  @Test
  void aHugeAnswerIsReadOnlyUpToTheCap(Vertx vertx) {
    String huge = "x".repeat(4 * 1024 * 1024);
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.response().setStatusCode(500).end(huge))
        .listen(0, "127.0.0.1").await();
    UrlGuard guard = new UrlGuard(h -> List.of(), true);
    Sender sender = new Sender(vertx, vertx.createHttpClient(), 5_000);
    AttemptResult r = sender.send((Allowed) guard.check("http://127.0.0.1:" + server.actualPort() + "/"), HEADERS,
        "{}").await();
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.excerpt()).hasSize(Sender.EXCERPT);
    assertThat(r.error()).isEqualTo("HTTP 500");
  }
}
