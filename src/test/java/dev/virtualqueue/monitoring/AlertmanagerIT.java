package dev.virtualqueue.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Alertmanager 0.25 with our routes, time intervals and inhibitions (receivers pointed at
 * a loopback sink): a service that is down silences its symptoms, a critical alert silences its
 * own warning, and queue alerts are delivered exactly when the business-hours interval says so.
 */
class AlertmanagerIT {
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final Path DIR = Path.of("target", "alertmanager-it", UUID.randomUUID().toString().substring(0, 8));
  static WebhookSink sink;
  static Process real;
  static Process opposite;
  static int realPort;
  static int oppositePort;
  static boolean inHoursNow;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    awayFromBoundaries();
    sink = new WebhookSink();
    inHoursNow = TimeInterval.named("business-hours").contains(Instant.now());
    realPort = Tools.freePort();
    oppositePort = Tools.freePort();
    PrometheusConfig.write(DIR.resolve("real.yml"), PrometheusConfig.alertmanagerForLiveTest(sink.url(), null));
    PrometheusConfig.write(DIR.resolve("opposite.yml"), PrometheusConfig.alertmanagerForLiveTest(sink.url(),
        oppositeOf(inHoursNow)));
    real = MonitoringStack.alertmanager("alertmanager-real", DIR.resolve("real.yml"), realPort, DIR.resolve("real"));
    opposite = MonitoringStack.alertmanager("alertmanager-opposite", DIR.resolve("opposite.yml"), oppositePort,
        DIR.resolve("opposite"));
    Tools.awaitPort(realPort, 20_000, real);
    Tools.awaitPort(oppositePort, 20_000, opposite);
  }

  @AfterAll
  static void stop() {
    Tools.stop(real);
    Tools.stop(opposite);
    if (sink != null) {
      sink.close();
    }
  }

  @Test
  void aServiceThatIsDownSilencesItsSymptomsAndCriticalSilencesItsWarning() {
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

  @Test
  void queueAlertsAreDeliveredOnlyDuringBusinessHours() {
    // "real" runs the shipped interval; "opposite" an interval that is in hours exactly when it is not
    for (int port : List.of(realPort, oppositePort)) {
      String tag = port == realPort ? "real" : "opposite";
      post(port, alert("QueueStalled", "warning", "queue-ops", "virtual-queue", "tenant", tag, "queue", "main"),
          alert("WorkerPoolSaturated", "warning", "backend", "virtual-queue", "tenant", tag));
    }
    for (String tag : List.of("real", "opposite")) {
      assertThat(sink.await(d -> d.alertname().equals("WorkerPoolSaturated") && tag.equals(d.labels().getString("tenant")), 15_000))
          .as("the ungated control alert of %s arrives", tag).isNotNull();
    }
    // controls posted after the queue alerts (same route timing): once they arrive, a queue alert
    // that was going to be delivered has been
    for (int port : List.of(realPort, oppositePort)) {
      post(port, alert("WorkerPoolSaturated", "warning", "backend", "virtual-queue", "tenant",
          (port == realPort ? "real" : "opposite") + "-later"));
    }
    for (String tag : List.of("real-later", "opposite-later")) {
      assertThat(sink.await(d -> d.alertname().equals("WorkerPoolSaturated") && tag.equals(d.labels().getString("tenant")), 30_000))
          .as("the later control alert %s arrives", tag).isNotNull();
    }
    boolean realDelivered = delivered("real");
    boolean oppositeDelivered = delivered("opposite");
    assertThat(realDelivered).as("queue alert delivered now (%s in Berlin)", ZonedDateTime.now(BERLIN))
        .isEqualTo(inHoursNow);
    assertThat(oppositeDelivered).as("opposite interval").isEqualTo(!inHoursNow);
  }

  private static boolean delivered(String tag) {
    return sink.deliveries().stream().anyMatch(d -> d.alertname().equals("QueueStalled")
        && d.receiver().equals("queue-ops") && tag.equals(d.labels().getString("tenant")));
  }

  /** An interval in the same zone that contains now exactly when business hours do not. */
  static Map<String, Object> oppositeOf(boolean inHours) {
    DayOfWeek today = ZonedDateTime.now(BERLIN).getDayOfWeek();
    String day = (inHours ? today.plus(3) : today).name().toLowerCase(Locale.ROOT);
    Map<String, String> times = inHours ? Map.of("start_time", "08:00", "end_time", "18:00")
        : Map.of("start_time", "00:00", "end_time", "24:00");
    return Map.of("name", "business-hours", "time_intervals",
        List.of(Map.of("weekdays", List.of(day), "times", List.of(times), "location", BERLIN.getId())));
  }

  /** Waits while the Berlin clock is within a minute of 08:00, 18:00 or midnight. */
  private static void awayFromBoundaries() {
    for (int i = 0; i < 3; i++) {
      LocalTime t = LocalTime.now(BERLIN);
      boolean near = List.of(LocalTime.of(8, 0), LocalTime.of(18, 0), LocalTime.MIDNIGHT).stream()
          .anyMatch(b -> Math.abs(java.time.Duration.between(b, t).toSeconds()) < 60 || t.isAfter(LocalTime.of(23, 59)));
      if (!near) {
        return;
      }
      Tools.sleep(61_000);
    }
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
