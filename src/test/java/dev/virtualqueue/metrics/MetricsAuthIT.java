package dev.virtualqueue.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /metrics} behind a bearer token and basic auth (either passes), health open for probes,
 * and a scrape that never carries a secret the server handed out.
 */
class MetricsAuthIT {
  private static final String TOKEN = "scrape-token-" + System.nanoTime();
  private static final String PASSWORD = "scrape password " + System.nanoTime();

  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of(
      "VQ_MANAGEMENT_METRICS_TOKEN_FILE", secretFile("token", TOKEN + "\n"),
      "VQ_MANAGEMENT_METRICS_USERNAME", "prometheus",
      "VQ_MANAGEMENT_METRICS_PASSWORD_FILE", secretFile("password", PASSWORD),
      "VQ_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true"));

  @Test
  void aScrapeWithoutCredentialsIsRefusedWithBothChallenges() {
    Resp r = scrape();
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().getString("code")).isEqualTo("metrics.unauthorized");
    assertThat(r.header("WWW-Authenticate")).contains("Bearer realm=\"metrics\"").contains("Basic realm=\"metrics\"");
    assertThat(r.body()).doesNotContain("jvm_memory_used_bytes");
  }

  @Test
  void wrongOrMalformedCredentialsAreRefused() {
    assertThat(scrape("Authorization", "Bearer " + TOKEN + "x").status()).isEqualTo(401);
    assertThat(scrape("Authorization", "Bearer").status()).isEqualTo(401);
    assertThat(scrape("Authorization", "Token " + TOKEN).status()).isEqualTo(401);
    assertThat(scrape("Authorization", basic("prometheus", PASSWORD + "x")).status()).isEqualTo(401);
    assertThat(scrape("Authorization", basic("grafana", PASSWORD)).status()).isEqualTo(401);
    assertThat(scrape("Authorization", "Basic !!not-base64!!").status()).isEqualTo(401);
  }

  @Test
  void theTokenOrTheBasicCredentialsGetTheMetrics() {
    Resp bearer = scrape("Authorization", "Bearer " + TOKEN);
    assertThat(bearer.status()).isEqualTo(200);
    assertThat(bearer.body()).contains("jvm_memory_used_bytes");
    Resp basic = scrape("Authorization", basic("prometheus", PASSWORD));
    assertThat(basic.status()).isEqualTo(200);
    assertThat(basic.body()).contains("vertx_http_server_requests_total");
  }

  @Test
  void healthStaysOpenForProbes() {
    assertThat(server.send("GET", server.management() + "/health/live", null).status()).isEqualTo(200);
    assertThat(server.send("GET", server.management() + "/health/ready", null).status()).isEqualTo(200);
  }

  @Test
  void noSecretTheServerHandedOutAppearsInAScrape() {
    Staff staff = server.tenant("secrets");
    staff.queue("line");
    JsonObject ticket = staff.join("line");
    Resp key = staff.call("POST", "/api/v1/api-keys",
        new JsonObject().put("name", "scraped").put("role", "agent").encode());
    assertThat(key.status()).isEqualTo(201);
    Resp hook = staff.call("POST", "/api/v1/webhooks", new JsonObject().put("url", "http://127.0.0.1:9/hook")
        .put("events", new JsonArray().add("*")).encode());
    assertThat(hook.status()).isEqualTo(201);
    staff.call("GET", "/api/v1/tickets/" + ticket.getString("id"));
    String metrics = scrape("Authorization", "Bearer " + TOKEN).body();
    assertThat(metrics).contains("vq_").doesNotContain(TOKEN).doesNotContain(PASSWORD)
        .doesNotContain(ticket.getString("token")).doesNotContain(key.json().getString("key"))
        .doesNotContain(hook.json().getString("secret")).doesNotContain(staff.token());
  }

  private static Resp scrape(String... headers) {
    return server.send("GET", server.management() + "/metrics", null, headers);
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static String secretFile(String name, String content) {
    try {
      Path file = Files.createTempFile("vq-metrics-" + name, ".txt");
      file.toFile().deleteOnExit();
      Files.writeString(file, content);
      return file.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
