package dev.virtualqueue.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Alertmanager 0.25 with our routes and inhibitions (receivers pointed at a loopback
 * sink, group waits of a second): a service that is down silences its symptoms but never a
 * security alert or an escalation, a critical alert silences its own warning, escalations reach the
 * second tier, info alerts are batched into one digest, and queue alerts are not held to a clock.
 */
class AlertmanagerIT {
  static final Path DIR = Path.of("target", "alertmanager-it", UUID.randomUUID().toString().substring(0, 8));
  static WebhookSink sink;
  static Process real;
  static int realPort;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    sink = new WebhookSink();
    realPort = Tools.freePort();
    PrometheusConfig.write(DIR.resolve("real.yml"), PrometheusConfig.alertmanagerForLiveTest(sink.url()));
    real = MonitoringStack.alertmanager("alertmanager-real", DIR.resolve("real.yml"), realPort, DIR.resolve("real"));
    Tools.awaitPort(realPort, 20_000, real);
  }

  @AfterAll
  static void stop() {
    Tools.stop(real);
    if (sink != null) {
      sink.close();
    }
  }

  @Test
  void aServiceThatIsDownSilencesItsSymptomsAndCriticalSilencesItsWarning() {
    postDownServicesAndTheirSymptoms();
    Map<String, Boolean> expected = Map.ofEntries(
        Map.entry("RedisDown/critical/redis:9121/", false),
        Map.entry("RedisMemoryHigh/warning/redis:9121/", true),
        Map.entry("StoreUnavailableResponses/critical//", true),
        Map.entry("ApiErrorBudgetBurnFast/critical//", true),
        Map.entry("VirtualQueueDown/critical/vq-1:8081/", false),
        Map.entry("JvmHeapHigh/warning/vq-1:8081/", true),
        Map.entry("JvmHeapHigh/warning/vq-2:8081/", false),
        Map.entry("PostgresConnectionsHigh/critical/pg:9187/", false),
        Map.entry("PostgresConnectionsHigh/warning/pg:9187/", true),
        Map.entry("HostDiskSpaceLow/critical/host:9100//", false),
        Map.entry("HostDiskSpaceLow/warning/host:9100//srv", false));
    Map<String, Boolean> inhibited = new HashMap<>();
    long end = System.currentTimeMillis() + 15_000;
    while (System.currentTimeMillis() < end && !inhibited.entrySet().containsAll(expected.entrySet())) {
      inhibited = inhibition();
      Tools.sleep(200);
    }
    assertThat(inhibited).containsAllEntriesOf(expected);
    assertThat(sink.await(d -> d.alertname().equals("RedisDown"), 10_000)).isNotNull()
        .extracting(WebhookSink.Delivery::receiver).isEqualTo("pager");
    // positive controls on the same routes (pager; datastores), posted after the inhibited alerts:
    // once they arrive, the inhibited alerts' groups (same group_wait, created earlier) have flushed
    post(realPort, alert("InhibitionControl", "critical", "backend", "virtual-queue", "instance", "vq-2:8081"),
        alert("InhibitionControl", "warning", "platform", "postgres", "instance", "pg-2:9187"));
    for (String receiver : List.of("pager", "datastores")) {
      assertThat(sink.await(d -> d.alertname().equals("InhibitionControl") && d.receiver().equals(receiver), 30_000))
          .as("control delivered to %s", receiver).isNotNull();
    }
    assertThat(sink.deliveries()).noneMatch(d -> d.alertname().equals("StoreUnavailableResponses")
        || d.alertname().equals("RedisMemoryHigh"));
  }

  /** Down services (Redis, the server, Postgres, a disk) with their symptoms, and warnings beside criticals. */
  private void postDownServicesAndTheirSymptoms() {
    post(realPort,
        alert("RedisDown", "critical", "platform", "redis", "instance", "redis:9121"),
        alert("RedisMemoryHigh", "warning", "platform", "redis", "instance", "redis:9121"),
        alert("StoreUnavailableResponses", "critical", "backend", "virtual-queue"),
        alert("ApiErrorBudgetBurnFast", "critical", "backend", "virtual-queue"),
        alert("VirtualQueueDown", "critical", "backend", "virtual-queue", "instance", "vq-1:8081"),
        alert("JvmHeapHigh", "warning", "backend", "virtual-queue", "instance", "vq-1:8081"),
        alert("JvmHeapHigh", "warning", "backend", "virtual-queue", "instance", "vq-2:8081"),
        alert("PostgresConnectionsHigh", "critical", "platform", "postgres", "instance", "pg:9187"),
        alert("PostgresConnectionsHigh", "warning", "platform", "postgres", "instance", "pg:9187"),
        alert("HostDiskSpaceLow", "critical", "platform", "node", "instance", "host:9100", "mountpoint", "/"),
        alert("HostDiskSpaceLow", "warning", "platform", "node", "instance", "host:9100", "mountpoint", "/srv"));
  }

  /**
   * RedisDown must not hide the SHUTDOWN that took Redis down, nor any other security alert. (The
   * tests of this class share one Alertmanager: each uses its own instances, and none posts an
   * alert that would inhibit another test's alerts.)
   */
  @Test
  void availabilityAlertsNeverSilenceASecurityAlert() {
    post(realPort,
        alert("RedisDown", "critical", "platform", "redis", "instance", "redis-sec:9121"),
        alert("RedisDangerousCommand", "critical", "security", "redis", "instance", "redis-sec:9121", "cmd", "shutdown"),
        alert("RedisAuthFailures", "warning", "security", "redis", "instance", "redis-sec:9121"),
        alert("RedisRejectedConnections", "warning", "platform", "redis", "instance", "redis-sec:9121"),
        alert("VirtualQueueDown", "critical", "backend", "virtual-queue", "instance", "vq-sec:8081"),
        alert("LoginBruteForce", "critical", "security", "virtual-queue", "instance", "vq-sec:8081"),
        alert("LiveHandshakesRejected", "warning", "security", "virtual-queue", "instance", "vq-sec:8081"),
        alert("JvmThreadsBlocked", "warning", "backend", "virtual-queue", "instance", "vq-sec:8081"));
    awaitInhibition(Map.of(
        "RedisRejectedConnections/warning/redis-sec:9121/", true,
        "JvmThreadsBlocked/warning/vq-sec:8081/", true,
        "RedisDangerousCommand/critical/redis-sec:9121/", false,
        "RedisAuthFailures/warning/redis-sec:9121/", false,
        "LoginBruteForce/critical/vq-sec:8081/", false,
        "LiveHandshakesRejected/warning/vq-sec:8081/", false));
    assertThat(sink.await(d -> d.alertname().equals("RedisDangerousCommand"), 10_000)).isNotNull()
        .extracting(WebhookSink.Delivery::receiver).isEqualTo("security-pager");
    assertThat(sink.await(d -> d.alertname().equals("LoginBruteForce"), 10_000)).isNotNull()
        .extracting(WebhookSink.Delivery::receiver).isEqualTo("security-pager");
    assertThat(sink.await(d -> d.alertname().equals("RedisAuthFailures"), 10_000)).isNotNull()
        .extracting(WebhookSink.Delivery::receiver).isEqualTo("security");
  }

  /** An escalation reaches the second tier even while the alert it escalates silences everything else. */
  @Test
  void escalationsReachTheSecondTierAndAreNeverInhibited() {
    post(realPort,
        alert("RedisDown", "critical", "platform", "redis", "instance", "redis-esc:9121"),
        alert("CriticalAlertEscalated", "critical", "platform", "redis", "instance", "redis-esc:9121",
            "escalated_alert", "RedisDown"),
        alert("VirtualQueueDown", "critical", "backend", "virtual-queue", "instance", "vq-esc:8081"),
        alert("CriticalAlertEscalated", "critical", "backend", "virtual-queue", "instance", "vq-esc:8081",
            "escalated_alert", "VirtualQueueDown"));
    awaitInhibition(Map.of("CriticalAlertEscalated/critical/redis-esc:9121/", false,
        "CriticalAlertEscalated/critical/vq-esc:8081/", false));
    for (String escalated : List.of("RedisDown", "VirtualQueueDown")) {
      assertThat(sink.await(d -> d.alertname().equals("CriticalAlertEscalated")
          && escalated.equals(d.labels().getString("escalated_alert")), 10_000))
          .as("escalation of %s", escalated).isNotNull()
          .extracting(WebhookSink.Delivery::receiver).isEqualTo("escalation");
    }
    assertThat(sink.await(d -> d.alertname().equals("RedisDown") && "redis-esc:9121".equals(d.labels().getString("instance")),
        10_000)).as("the first tier is still paged").isNotNull().extracting(WebhookSink.Delivery::receiver).isEqualTo("pager");
  }

  /** Info alerts of any team, service, tenant or queue arrive together, as one digest notification. */
  @Test
  void infoAlertsArriveTogetherInOneDigest() {
    post(realPort,
        alert("JoinSurge", "info", "queue-ops", "virtual-queue", "tenant", "digest", "queue", "drop"),
        alert("ServiceTimeHigh", "info", "queue-ops", "virtual-queue", "tenant", "digest", "queue", "clinic"),
        alert("HostRebooted", "info", "platform", "node", "instance", "host-digest:9100"));
    WebhookSink.Delivery first = sink.await(d -> d.receiver().equals("info-digest"), 15_000);
    assertThat(first).as("a digest arrives").isNotNull();
    List<String> inFirst = sink.deliveries().stream().filter(d -> d.notification() == first.notification())
        .map(WebhookSink.Delivery::alertname).sorted().toList();
    assertThat(inFirst).as("the first digest notification").containsExactly("HostRebooted", "JoinSurge", "ServiceTimeHigh");
  }

  /** Queue alerts are held to their queue's hours by the rules, so Alertmanager delivers them at any time. */
  @Test
  void queueAlertsAreDeliveredWhateverTheTime() {
    post(realPort, alert("QueueStalled", "warning", "queue-ops", "virtual-queue", "tenant", "anytime", "queue", "main"));
    assertThat(sink.await(d -> d.alertname().equals("QueueStalled") && "anytime".equals(d.labels().getString("tenant")),
        15_000)).as("delivered now (%s)", Instant.now()).isNotNull()
        .extracting(WebhookSink.Delivery::receiver).isEqualTo("queue-ops");
  }

  private void awaitInhibition(Map<String, Boolean> expected) {
    Map<String, Boolean> inhibited = new HashMap<>();
    long end = System.currentTimeMillis() + 15_000;
    while (System.currentTimeMillis() < end && !inhibited.entrySet().containsAll(expected.entrySet())) {
      inhibited = inhibition();
      Tools.sleep(200);
    }
    assertThat(inhibited).containsAllEntriesOf(expected);
  }

  private Map<String, Boolean> inhibition() {
    Map<String, Boolean> out = new HashMap<>();
    for (Object o : new JsonArray(get("http://127.0.0.1:" + realPort + "/api/v2/alerts").body())) {
      JsonObject a = (JsonObject) o;
      JsonObject l = a.getJsonObject("labels");
      String key = l.getString("alertname") + "/" + l.getString("severity") + "/" + l.getString("instance", "") + "/"
          + l.getString("mountpoint", "");
      out.put(key, !a.getJsonObject("status").getJsonArray("inhibitedBy").isEmpty());
    }
    return out;
  }

  private static JsonObject alert(String name, String severity, String team, String service, String... labels) {
    JsonObject l = new JsonObject().put("alertname", name).put("severity", severity).put("team", team).put("service", service);
    for (int i = 0; i < labels.length; i += 2) {
      l.put(labels[i], labels[i + 1]);
    }
    return new JsonObject().put("labels", l).put("annotations", new JsonObject().put("summary", name));
  }

  private void post(int port, JsonObject... alerts) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/alerts"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(new JsonArray(List.of((Object[]) alerts)).encode()))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> get(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
