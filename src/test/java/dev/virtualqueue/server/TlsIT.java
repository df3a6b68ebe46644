package dev.virtualqueue.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS terminated in the server (VQ_HTTP_TLS_CERT_FILE / VQ_HTTP_TLS_KEY_FILE, PEM, a self-signed
 * certificate made here with the JDK's keytool), and HSTS: sent over TLS, or behind a trusted proxy
 * that says {@code X-Forwarded-Proto: https}; never believed from anyone else.
 */
class TlsIT {
  @TempDir
  static Path dir;
  private static Path cert;
  private static Path key;
  private static KeyStore trust;

  @BeforeAll
  static void selfSignedCertificate() throws Exception {
    Path store = dir.resolve("tls.p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "vq", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
        "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    Certificate c = ks.getCertificate("vq");
    cert = Files.writeString(dir.resolve("fullchain.pem"), pem("CERTIFICATE", c.getEncoded()));
    key = Files.writeString(dir.resolve("privkey.pem"),
        pem("PRIVATE KEY", ks.getKey("vq", "changeit".toCharArray()).getEncoded()));
    trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("vq", c);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static HttpClient client(KeyStore trusted) throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theServerTerminatesTlsWithItsPemFilesAndSendsHsts() throws Exception {
    try (TestServer server = TestServer.start(TestServer.REDIS_URL, Map.of("VQ_HTTP_TLS_CERT_FILE", cert.toString(),
        "VQ_HTTP_TLS_KEY_FILE", key.toString()))) {
      String https = "https://127.0.0.1:" + server.app().httpPort();
      HttpResponse<String> r = get(client(trust), https + "/api/v1/public/nobody/queues/none");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
      assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValue(SecureTransport.HSTS);
      assertThat(get(client(trust), https + "/api/v1/openapi.json").statusCode()).isEqualTo(200);
      // a real handshake with that certificate: a client with the JDK's usual trust refuses it
      assertThatThrownBy(() -> get(HttpClient.newHttpClient(), https + "/api/v1/openapi.json"))
          .isInstanceOf(SSLHandshakeException.class);
      // and nothing is served in the clear on the TLS port
      assertThatThrownBy(() -> get(HttpClient.newHttpClient(), "http://127.0.0.1:" + server.app().httpPort()
          + "/api/v1/openapi.json")).isInstanceOf(IOException.class);
      // the management port stays plain HTTP on loopback (probes and Prometheus)
      assertThat(server.send("GET", server.management() + "/health/live", null).status()).isEqualTo(200);
    }
  }

  @Test
  void behindAProxyOnlyATrustedForwardedProtoCounts() {
    try (TestServer trusted = TestServer.start(TestServer.REDIS_URL, Map.of("VQ_HTTP_TRUSTED_PROXIES", "127.0.0.1"));
         TestServer untrusted = TestServer.start(TestServer.REDIS_URL, Map.of("VQ_HTTP_TRUSTED_PROXIES", "10.0.0.0/8"))) {
      Resp viaTls = trusted.http("GET", "/api/v1/openapi.json", null, "X-Forwarded-Proto", "https");
      assertThat(viaTls.status()).isEqualTo(200);
      assertThat(viaTls.header("Strict-Transport-Security")).isEqualTo(SecureTransport.HSTS);
      assertThat(trusted.http("GET", "/api/v1/openapi.json", null, "X-Forwarded-Proto", "http")
          .header("Strict-Transport-Security")).isNull();
      assertThat(trusted.http("GET", "/api/v1/openapi.json", null).header("Strict-Transport-Security")).isNull();
      assertThat(untrusted.http("GET", "/api/v1/openapi.json", null, "X-Forwarded-Proto", "https")
          .header("Strict-Transport-Security")).isNull();
    }
  }
}
