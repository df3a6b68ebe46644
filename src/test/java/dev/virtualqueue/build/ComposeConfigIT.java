package dev.virtualqueue.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/compose.yml as Docker Compose reads it (Debian's {@code docker-compose}; it fails, not
 * skips, without it): it validates, starts the whole stack (two servers behind nginx, Postgres 15
 * with a volume, Redis 7 with AOF, the monitoring stack, the mail catcher in the dev profile),
 * pins every image, and holds no secret: secrets are files with a committed example each.
 */
class ComposeConfigIT {
  static final String COMPOSE = "docker/compose.yml";
  private static Map<String, Object> config;

  record Run(int exit, String out) {
  }

  static Run compose(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("docker-compose", "-f", COMPOSE));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // the defaults of the file, not this machine's settings
    pb.environment().keySet().removeIf(k -> k.startsWith("VQ_") || k.startsWith("COMPOSE_"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @BeforeAll
  static void render() throws Exception {
    Run r = compose("--profile", "dev", "config");
    assertThat(r.exit()).as(r.out()).isZero();
    config = new Yaml().load(r.out());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(String name) {
    return (Map<String, Object>) ((Map<String, Object>) config.get("services")).get(name);
  }

  @Test
  void validatesAsTheReadmeSays() throws Exception {
    Run r = compose("config", "-q");
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).isEmpty();
  }

  @Test
  void startsTheWholeStack() throws Exception {
    Run services = compose("--profile", "dev", "config", "--services");
    assertThat(services.out().lines().toList()).containsExactlyInAnyOrder("keys", "app1", "app2", "nginx", "postgres",
        "redis", "mailcatcher", "prometheus", "alertmanager", "grafana", "postgres-exporter", "redis-exporter",
        "node-exporter");
    assertThat(String.valueOf(service("mailcatcher").get("profiles"))).isEqualTo("[dev]");
    assertThat((String) service("postgres").get("image")).startsWith("postgres:15.");
    assertThat((String) service("redis").get("image")).startsWith("redis:7.");
    assertThat(String.valueOf(service("redis").get("command"))).contains("--appendonly, yes");
    assertThat(String.valueOf(service("postgres").get("volumes"))).contains("/var/lib/postgresql/data");
    assertThat(String.valueOf(service("redis").get("volumes"))).contains("redis-data");
    assertThat(String.valueOf(service("nginx").get("volumes"))).contains("nginx/nginx.conf:/etc/nginx/nginx.conf:ro")
        .contains("nginx/upstream.conf:/etc/nginx/upstream.conf:ro");
    assertThat(String.valueOf(service("grafana").get("volumes")))
        .contains("monitoring/grafana/provisioning:/etc/grafana/provisioning:ro");
  }

  @Test
  void bothServersDrainBeforeTheyAreKilled() {
    for (String app : List.of("app1", "app2")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> env = (Map<String, Object>) service(app).get("environment");
      int drain = Integer.parseInt(String.valueOf(env.get("VQ_HTTP_DRAIN_SECONDS")));
      String grace = String.valueOf(service(app).get("stop_grace_period"));
      assertThat(Integer.parseInt(grace.replaceAll("\\D", ""))).as("stop_grace_period of %s", app)
          .isGreaterThanOrEqualTo(drain + 15);
      assertThat(env).containsEntry("VQ_PROFILE", "prod").containsEntry("VQ_REDIS_URL", "redis://redis:6379");
      assertThat(String.valueOf(service(app).get("depends_on"))).contains("service_healthy");
    }
  }

  @Test
  void everyImageIsPinned() {
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) config.get("services");
    services.forEach((name, s) -> {
      String image = (String) s.get("image");
      assertThat(image).as("%s names its image", name).isNotNull().contains(":").doesNotEndWith(":latest");
      if (!image.startsWith("virtual-queue:")) {
        assertThat(image.substring(image.lastIndexOf(':') + 1)).as("%s: a version tag", name)
            .matches("v?\\d+\\.\\d+.*");
      }
    });
  }

  /** No password, token or key in the file: only paths to secret files, each with an example. */
  @Test
  @SuppressWarnings("unchecked")
  void holdsNoSecretOnlyFilesWithExamples() throws Exception {
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) config.get("services");
    services.forEach((name, s) -> {
      Object env = s.get("environment");
      if (env instanceof Map<?, ?> m) {
        m.forEach((k, v) -> {
          if (String.valueOf(k).matches("(?i).*(PASSWORD|PASS|TOKEN|SECRET).*")) {
            assertThat(String.valueOf(k)).as("%s of %s", k, name).matches(".*_FILE|.*__FILE");
            assertThat(String.valueOf(v)).as("%s of %s", k, name).startsWith("/run/secrets/");
          }
        });
      }
    });
    String raw = Files.readString(Path.of(COMPOSE));
    assertThat(raw).doesNotContainPattern("(?i)(password|token|secret)\\s*[:=]\\s*[\"']?[A-Za-z0-9+/]{8,}")
        .doesNotContainPattern("postgresql://[^@\\s]*:[^@\\s]*@");
    Map<String, Map<String, Object>> secrets = (Map<String, Map<String, Object>>) config.get("secrets");
    assertThat(secrets).isNotEmpty();
    for (Map<String, Object> secret : secrets.values()) {
      Path file = Path.of((String) secret.get("file"));
      assertThat(file.getParent()).isEqualTo(Path.of("docker/secrets").toAbsolutePath());
      assertThat(Path.of(file + ".example")).as("an example beside %s", file).exists();
    }
    assertThat(Files.readString(Path.of(".gitignore"))).contains("docker/secrets/*")
        .contains("!docker/secrets/*.example");
  }
}
