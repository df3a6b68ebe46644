package dev.virtualqueue.monitoring;

import dev.virtualqueue.testing.MailSink;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The whole monitored stack on loopback, every part a process this test started on a free port:
 * a dedicated redis-server, the server jar (own database on the shared Postgres), the Postgres,
 * Redis and node exporters (the node exporter reading the metrics of a real backup and restore
 * drill of the server's database), Alertmanager (receivers pointed at a {@link WebhookSink}) and
 * Prometheus with the shipped rules. Stopping it stops only those processes.
 */
final class MonitoringStack implements AutoCloseable {
  final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  final Path dir = Path.of("target", "monitoring-it", id);
  final String database = "vq_mon_" + id;
  final int redisPort = Tools.freePort();
  final int httpPort = Tools.freePort();
  final int managementPort = Tools.freePort();
  final int pgExporterPort = Tools.freePort();
  final int redisExporterPort = Tools.freePort();
  final int nodeExporterPort = Tools.freePort();
  final int alertmanagerPort = Tools.freePort();
  final int prometheusPort = Tools.freePort();
  final WebhookSink sink = new WebhookSink();
  /** The server's e-mail goes here and its webhooks there, so their meters and panels have data. */
  final MailSink mail = MailSink.onFreePort().start();
  final EventReceiver events = new EventReceiver();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Process> processes = new ArrayList<>();
  private Process redis;

  /** Starts everything but Prometheus (started after the server has been warmed up). */
  MonitoringStack start() {
    startRedis();
    Process server = Tools.start("server-" + id, List.of("java", "-Xmx512m", "-jar", jar()), mail.env(
        "VQ_PROFILE", "dev", "VQ_PG_URL", pgUrl(database), "VQ_REDIS_URL", "redis://127.0.0.1:" + redisPort,
        "VQ_REDIS_KEY_PREFIX", "vqmon" + id, "VQ_HTTP_HOST", "127.0.0.1", "VQ_HTTP_PORT", String.valueOf(httpPort),
        "VQ_MANAGEMENT_HOST", "127.0.0.1", "VQ_MANAGEMENT_PORT", String.valueOf(managementPort),
        "VQ_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true"));
    processes.add(server);
    processes.add(Tools.start("postgres-exporter-" + id, List.of("prometheus-postgres-exporter",
        "--web.listen-address=127.0.0.1:" + pgExporterPort), Map.of("DATA_SOURCE_NAME", pgUrl("postgres") + "?sslmode=disable")));
    processes.add(Tools.start("redis-exporter-" + id, List.of("prometheus-redis-exporter",
        "--web.listen-address=127.0.0.1:" + redisExporterPort, "--redis.addr=redis://127.0.0.1:" + redisPort), Map.of()));
    PrometheusConfig.write(dir.resolve("alertmanager.yml"), PrometheusConfig.alertmanagerForLiveTest(sink.url()));
    processes.add(alertmanager("alertmanager-" + id, dir.resolve("alertmanager.yml"), alertmanagerPort, dir.resolve("am")));
    Tools.awaitPort(managementPort, 90_000, server);
    awaitHttp(management() + "/health/ready", 90_000);
    backUpAndDrill();
    processes.add(Tools.start("node-exporter-" + id, List.of("prometheus-node-exporter",
        "--web.listen-address=127.0.0.1:" + nodeExporterPort,
        "--collector.textfile.directory=" + dir.resolve("textfile").toAbsolutePath()), Map.of()));
    for (int port : List.of(pgExporterPort, redisExporterPort, nodeExporterPort, alertmanagerPort)) {
      Tools.awaitPort(port, 30_000, null);
    }
    return this;
  }

  /**
   * A real backup of the server's database and a real restore drill of it, their metrics in the
   * node exporter's textfile directory: the backup rules and panels then select real data.
   */
  private void backUpAndDrill() {
    String textfile = dir.resolve("textfile").toAbsolutePath().toString();
    String backups = dir.resolve("backups").toAbsolutePath().toString();
    for (List<String> cmd : List.of(
        List.of("scripts/backup.sh", "--pg-url", pgUrl(database), "--dir", backups, "--metrics-dir", textfile),
        List.of("scripts/restore-drill.sh", "--pg-url", pgUrl(database), "--dir", backups, "--metrics-dir", textfile,
            "--jar", jar()))) {
      Tools.Result r = Tools.run(cmd, 120);
      if (!r.ok()) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + r.output());
      }
    }
  }

  /** Starts Prometheus with the shipped rules (without their {@code for}) and 1 s intervals. */
  void startPrometheus() {
    List<Path> rules = PrometheusConfig.rulesWithoutFor(dir.resolve("rules"));
    String config = PrometheusConfig.forLiveTest(Map.of(
        "virtual-queue", "127.0.0.1:" + managementPort, "postgres", "127.0.0.1:" + pgExporterPort,
        "redis", "127.0.0.1:" + redisExporterPort, "node", "127.0.0.1:" + nodeExporterPort,
        "alertmanager", "127.0.0.1:" + alertmanagerPort, "prometheus", "127.0.0.1:" + prometheusPort),
        rules, "127.0.0.1:" + alertmanagerPort, database);
    PrometheusConfig.write(dir.resolve("prometheus.yml"), config);
    Process p = Tools.start("prometheus-" + id, List.of("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("prom"), "--web.listen-address=127.0.0.1:" + prometheusPort,
        // re-send firing alerts every second (default 1 min): the first send may precede Alertmanager's discovery
        "--rules.alert.resend-delay=1s"), Map.of());
    processes.add(p);
    Tools.awaitPort(prometheusPort, 30_000, p);
  }

  static Process alertmanager(String name, Path config, int port, Path storage) {
    return Tools.start(name, List.of("prometheus-alertmanager", "--config.file=" + config,
        "--storage.path=" + storage, "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=",
        "--log.level=debug"), Map.of());
  }

  void startRedis() {
    redis = Tools.start("redis-" + id, List.of("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction"), Map.of());
    Tools.awaitPort(redisPort, 10_000, redis);
  }

  /** Stops this test's own redis-server (never the shared one). */
  void stopRedis() {
    Tools.stop(redis);
  }

  String api() {
    return "http://127.0.0.1:" + httpPort + "/api/v1";
  }

  String management() {
    return "http://127.0.0.1:" + managementPort;
  }

  String scrape() {
    return get(management() + "/metrics").body();
  }

  /** An instant query against Prometheus; returns the JSON "data" (fails on a query error). */
  JsonObject query(String expr) {
    HttpResponse<String> r = get("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query="
        + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    if (r.statusCode() == 503 || !r.body().startsWith("{")) {
      throw new IllegalStateException("Prometheus not ready: " + r.statusCode() + " " + r.body());
    }
    JsonObject body = new JsonObject(r.body());
    if (!"success".equals(body.getString("status"))) {
      throw new IllegalArgumentException(expr + ": " + body.getString("errorType") + " " + body.getString("error"));
    }
    return body.getJsonObject("data");
  }

  /** Number of series an instant query returns. */
  int series(String expr) {
    return query(expr).getJsonArray("result").size();
  }

  JsonObject prometheusApi(String path) {
    return new JsonObject(get("http://127.0.0.1:" + prometheusPort + path).body()).getJsonObject("data");
  }

  HttpResponse<String> get(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException("GET " + url, e);
    }
  }

  private void awaitHttp(String url, long millis) {
    long end = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < end) {
      try {
        if (get(url).statusCode() == 200) {
          return;
        }
      } catch (IllegalStateException e) {
        // not up yet
      }
      Tools.sleep(200);
    }
    throw new IllegalStateException(url + " did not become ready (see " + Tools.LOGS + ")");
  }

  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Tools.stop(processes.get(i));
    }
    Tools.stop(redis);
    sink.close();
    mail.close();
    events.close();
    try (var c = DriverManager.getConnection(jdbc("postgres"), user(), null)) {
      c.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    } catch (Exception e) {
      System.err.println("could not drop " + database + ": " + e.getMessage());
    }
  }

  private static String jar() {
    String jar = System.getProperty("vq.jar", "target/virtual-queue.jar");
    if (!Path.of(jar).toFile().isFile()) {
      throw new IllegalStateException(jar + " is missing: run through `mvn verify` (it packages the jar first)");
    }
    return Path.of(jar).toAbsolutePath().toString();
  }

  private static String pgUrl(String db) {
    URI base = URI.create(TestServer.PG_URL);
    return "postgresql://" + (base.getUserInfo() == null ? "" : base.getUserInfo() + "@") + base.getHost() + ":"
        + (base.getPort() > 0 ? base.getPort() : 5432) + "/" + db;
  }

  private static String jdbc(String db) {
    URI base = URI.create(TestServer.PG_URL);
    return "jdbc:postgresql://" + base.getHost() + ":" + (base.getPort() > 0 ? base.getPort() : 5432) + "/" + db;
  }

  private static String user() {
    URI base = URI.create(TestServer.PG_URL);
    return base.getUserInfo() == null ? System.getProperty("user.name") : base.getUserInfo().split(":")[0];
  }
}
