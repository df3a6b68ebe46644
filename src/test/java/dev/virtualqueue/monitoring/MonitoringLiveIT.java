package dev.virtualqueue.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.monitoring.Monitoring.PanelQuery;
import dev.virtualqueue.monitoring.Monitoring.Rule;
import dev.virtualqueue.testing.MailSink;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The live contract of monitoring/: the real server jar, its own redis-server, the three
 * exporters, Alertmanager and Prometheus with the shipped rules, on loopback. After a little
 * traffic: the exported meters match the golden file; every selector of every rule, recording
 * rule and panel returns data (except the documented allowlist); every panel query parses; the
 * healthy stack fires nothing but Watchdog; and stopping Redis fires RedisDown to the pager and its
 * escalation to the second tier, then resolves it when Redis is back.
 *
 * <p>Prometheus runs the rules without their {@code for}: "fires" then means "its condition
 * holds", which is stricter, and keeps the test short. The {@code for} durations themselves are
 * covered by the promtool unit tests.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringLiveIT {
  static final Path GOLDEN = Monitoring.TESTS.resolve("metrics-golden.txt");
  static final String HTTP_503 = "vertx_http_server_requests_total{job=\"virtual-queue\",route=~\"/api/.*\",code=\"503\"}";
  static final String HOUSEKEEPING_FAILURES =
      "vq_verticle_handler_seconds_count{job=\"virtual-queue\",verticle=\"housekeeping\",outcome=\"failure\"}";
  /**
   * Selectors whose series only exist after an error; the Redis outage below must make them appear.
   * (The 5xx request counters are not here: the server creates them at 0 for every API route.)
   */
  static final Map<String, String> AFTER_AN_ERROR = Map.of(
      HOUSEKEEPING_FAILURES, "the failure outcome exists once a housekeeping task failed");
  static final String FIRING_CRITICALS =
      "ALERTS{alertstate=\"firing\",severity=\"critical\",alertname!=\"CriticalAlertEscalated\"}";
  /** Selectors whose series only exist after an event this test does not cause (each a real incident). */
  static final Map<String, String> AFTER_AN_INCIDENT = Map.of(
      "redis_instance_info{job=\"redis\",maxmemory_policy!=\"noeviction\"}", "only with an unsafe eviction policy",
      "redis_commands_total{job=\"redis\",cmd=~\"flushall|flushdb|config\\\\|set|config\\\\|rewrite|debug.*|module.*|acl\\\\|setuser|acl\\\\|deluser|replicaof|slaveof|shutdown\"}",
      "only after someone ran such a command",
      "redis_errors_total{job=\"redis\",err=~\"WRONGPASS|NOAUTH|NOPERM\"}", "only after Redis refused a password",
      FIRING_CRITICALS, "only while a critical alert fires (the Redis outage below checks the escalation it causes)");

  /**
   * Alerts about things this test does not own, reported but not failed (like every host alert,
   * service="node": a busy CI box or one without NTP is real). Prometheus here runs the rules
   * without their {@code for}; with their real {@code for} (5 to 30 minutes) none of these could
   * fire within this test anyway.
   */
  static final Map<String, String> NOT_OURS = Map.of(
      "EventLoopDelayHigh", "judges the machine's speed: a p99 over a few seconds of probes on a busy 2-core box",
      "EventLoopBlocked", "judges the machine's speed (GC and JIT on a busy box)",
      "ProcessCpuSaturated", "judges the machine's capacity",
      "PostgresCheckpointsTooFrequent", "cluster-wide figure of the Postgres the whole test suite shares "
          + "(other tests create and drop databases, which forces checkpoints)",
      "PostgresConnectionsHigh", "cluster-wide figure of the shared test Postgres");

  static MonitoringStack stack;
  static Traffic traffic;

  @BeforeAll
  static void startStackAndDriveTraffic() {
    stack = new MonitoringStack(); // set before it starts: a start that fails half-way is still stopped after
    stack.start();
    traffic = new Traffic(stack.httpPort, stack.events.url());
    traffic.warmUp();
    stack.startPrometheus();
    awaitQuery("count(up == 1) == 6", 30_000);
    traffic.run();
    // queue gauges are read from Postgres every 15 s: wait for a read made after the traffic
    long trafficDone = System.currentTimeMillis() / 1000 + 1;
    awaitQuery("vq_metrics_refresh_last_success_timestamp_seconds > " + trafficDone, 40_000);
    // then several more scrapes of every target and rule evaluations (1 s each) after that read:
    // waited for as events, not a fixed sleep, so a loaded machine only makes it slower
    double read = value("max(vq_metrics_refresh_last_success_timestamp_seconds)");
    awaitQuery("min(timestamp(up)) > " + (read + 3), 40_000);
    awaitQuery("min(prometheus_rule_group_last_evaluation_timestamp_seconds) > " + (read + 3), 40_000);
  }

  @AfterAll
  static void stop() {
    if (traffic != null) {
      traffic.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void exportedMetricsMatchTheGoldenFile() throws Exception {
    Map<String, Set<String>> actual = MetricsGolden.parse(stack.scrape());
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "metrics-actual.txt"), MetricsGolden.format(actual));
    List<String> problems = MetricsGolden.compare(MetricsGolden.read(GOLDEN), actual);
    assertThat(problems).as("exported meters differ from %s (actual set: target/metrics-actual.txt); if the change "
        + "is planned, update the golden file and docs/metrics.md", GOLDEN).isEmpty();
  }

  @Test
  @Order(2)
  void businessMetersCountWhatTheTrafficDid() {
    String scrape = stack.scrape();
    SoftAssertions soft = new SoftAssertions();
    clinicCounters(soft, scrape);
    // main: 40 warm-up joins and leaves, then a join, its idempotent replay, a reused key, a join that leaves
    soft.assertThat(sum(scrape, "vq_tickets_joined_total", "queue=\"main\"", "result=\"created\"")).isEqualTo(42);
    soft.assertThat(sum(scrape, "vq_tickets_joined_total", "queue=\"main\"", "result=\"replayed\"")).isEqualTo(1);
    soft.assertThat(sum(scrape, "vq_tickets_joined_total", "queue=\"main\"", "result=\"rejected\"")).isEqualTo(1);
    soft.assertThat(sum(scrape, "vq_tickets_left_total", "queue=\"main\"")).isEqualTo(41);
    soft.assertThat(sum(scrape, "vq_tickets_called_total", "queue=\"main\"")).isEqualTo(1);
    // now: the transferred ticket waits in main, the one called there is at a counter
    soft.assertThat(sum(scrape, "vq_queue_waiting", "queue=\"main\"")).isEqualTo(1);
    soft.assertThat(sum(scrape, "vq_queue_in_service", "queue=\"main\"", "status=\"called\"")).isEqualTo(1);
    soft.assertThat(sum(scrape, "vq_active_people", "tenant=\"demo\"")).isEqualTo(2);
    soft.assertThat(sum(scrape, "vq_queue_status", "queue=\"clinic\"", "status=\"open\"")).isEqualTo(1);
    // the refusals the traffic provoked; a ticket read without its token is a staff read without credentials
    soft.assertThat(sum(scrape, "vq_auth_failures_total", "reason=\"missing_token\"")).isEqualTo(2);
    for (String reason : List.of("invalid_token", "invalid_api_key", "invalid_credentials")) {
      soft.assertThat(sum(scrape, "vq_auth_failures_total", "reason=\"" + reason + "\"")).as(reason).isEqualTo(1);
    }
    soft.assertThat(sum(scrape, "vq_auth_failures_total", "reason=\"forbidden\"")).isEqualTo(0);
    soft.assertThat(sum(scrape, "vq_ws_connections", "kind=\"ticket\"")).isEqualTo(1);
    soft.assertThat(sum(scrape, "vq_ws_connections", "kind=\"board\"")).isEqualTo(1);
    soft.assertThat(sum(scrape, "vq_verticle_instances", "verticle=\"http\"")).isEqualTo(Runtime.getRuntime().availableProcessors());
    soft.assertThat(sum(scrape, "vq_verticle_instances", "verticle=\"housekeeping\"")).isEqualTo(1);
    soft.assertThat(sum(scrape, "vq_verticle_event_loop_delay_seconds_count", "verticle=\"http\"")).isPositive();
    soft.assertThat(sum(scrape, "vq_line_mirror_ready")).isEqualTo(1);
    soft.assertThat(sum(scrape, "vq_queue_within_hours", "queue=\"main\"")).as("main has no opening hours").isEqualTo(1);
    // series the rules count exist at 0 before their first event (increase() cannot see a series born at 1)
    soft.assertThat(samples(scrape, "vq_tickets_joined_total", "queue=\"main\"", "result=\"queue_full\"")).isEqualTo(1);
    soft.assertThat(sum(scrape, "vq_tickets_joined_total", "queue=\"main\"", "result=\"queue_full\"")).isEqualTo(0);
    for (String code : List.of("500", "503")) {
      soft.assertThat(samples(scrape, "vertx_http_server_requests_total", "code=\"" + code + "\"", "method=\"POST\"",
          "route=\"/api/v1/public/:tenantSlug/queues/:queueSlug/tickets\"")).as("join %s at 0", code).isEqualTo(1);
    }
    soft.assertThat(sum(scrape, "vertx_http_server_requests_total", "code=\"500\"")).as("no 500 so far").isEqualTo(0);
    soft.assertAll();
  }

  @Test
  @Order(2)
  void mailAndWebhooksWereSentAndCounted() {
    List<MimeMessage> mails = stack.mail.await("first@example.test", 2);
    assertThat(mails).extracting(MailSink::subject).hasSize(2);
    assertThat(stack.events.types()).contains("ticket.created", "ticket.called", "ticket.served", "queue.paused",
        "queue.resumed", "counter.opened");
    String scrape = stack.scrape();
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(sum(scrape, "vq_notifications_sent_total", "kind=\"joined\"")).isEqualTo(1);
    soft.assertThat(sum(scrape, "vq_notifications_sent_total", "kind=\"called\"")).isEqualTo(1);
    soft.assertThat(sum(scrape, "vq_notification_send_seconds_count")).isEqualTo(2);
    soft.assertThat(sum(scrape, "vq_webhook_deliveries_total", "result=\"succeeded\""))
        .isGreaterThanOrEqualTo(stack.events.types().size());
    soft.assertThat(sum(scrape, "vq_webhook_delivery_seconds_count")).isPositive();
    soft.assertThat(samples(scrape, "vq_outbox_pending", "channel=\"webhook\"")).isEqualTo(1);
    soft.assertAll();
  }

  @Test
  @Order(2)
  void waitingRoomMetersShowTheRoomThatLetEveryoneIn() {
    JsonObject state = traffic.roomState();
    String scrape = stack.scrape();
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(state.getLong("active")).as("sessions active, as the admitter sees them").isEqualTo(Traffic.ROOM_JOINS);
    soft.assertThat(sum(scrape, "vq_waiting_room_admitted_total", "queue=\"drop\"")).isEqualTo(Traffic.ROOM_JOINS);
    soft.assertThat(sum(scrape, "vq_tickets_joined_total", "queue=\"drop\"", "mode=\"waiting_room\"", "result=\"created\""))
        .isEqualTo(Traffic.ROOM_JOINS);
    soft.assertThat(sum(scrape, "vq_waiting_room_active", "queue=\"drop\"")).isEqualTo(Traffic.ROOM_JOINS);
    soft.assertThat(sum(scrape, "vq_waiting_room_waiting", "queue=\"drop\"")).isEqualTo(0);
    soft.assertThat(sum(scrape, "vq_waiting_room_admission_rate", "queue=\"drop\"")).isEqualTo(600);
    soft.assertThat(sum(scrape, "vq_waiting_room_max_active", "queue=\"drop\"")).isEqualTo(Traffic.ROOM_CAP);
    soft.assertThat(sum(scrape, "vq_waiting_room_holding", "queue=\"drop\"")).isEqualTo(0);
    soft.assertThat(sum(scrape, "vq_waiting_room_leases_held")).as("the one instance admits for the one room").isEqualTo(1);
    soft.assertThat(sum(scrape, "vq_waiting_room_lease_changes_total", "queue=\"drop\"")).isGreaterThanOrEqualTo(1);
    soft.assertThat(samples(scrape, "vq_waiting_room_active", "queue=\"main\"")).as("a service queue has no room gauges")
        .isZero();
    soft.assertAll();
  }

  private static void clinicCounters(SoftAssertions soft, String scrape) {
    // clinic: 3 joins and 1 refused (capacity 3); called 3 times: served, recalled then no-show, transferred
    soft.assertThat(sum(scrape, "vq_tickets_joined_total", "queue=\"clinic\"", "result=\"created\"")).isEqualTo(3);
    soft.assertThat(sum(scrape, "vq_tickets_joined_total", "queue=\"clinic\"", "result=\"queue_full\"")).isEqualTo(1);
    soft.assertThat(sum(scrape, "vq_tickets_called_total", "queue=\"clinic\"")).isEqualTo(3);
    soft.assertThat(sum(scrape, "vq_tickets_served_total", "queue=\"clinic\"")).isEqualTo(1);
    soft.assertThat(sum(scrape, "vq_tickets_recalled_total", "queue=\"clinic\"")).isEqualTo(1);
    soft.assertThat(sum(scrape, "vq_tickets_no_show_total", "queue=\"clinic\"")).isEqualTo(1);
    soft.assertThat(sum(scrape, "vq_tickets_transferred_total", "queue=\"clinic\"")).isEqualTo(1);
    soft.assertThat(sum(scrape, "vq_ticket_wait_seconds_count", "queue=\"clinic\"")).isEqualTo(3);
    soft.assertThat(sum(scrape, "vq_ticket_service_seconds_count", "queue=\"clinic\"")).isEqualTo(1);
    soft.assertThat(sum(scrape, "vq_eta_error_seconds_count", "queue=\"clinic\"", "direction=\"early\"")).isEqualTo(3);
    soft.assertThat(sum(scrape, "vq_queue_status_changes_total", "queue=\"clinic\"")).isEqualTo(2);
    soft.assertThat(sum(scrape, "vq_queue_capacity_utilisation_ratio", "queue=\"clinic\"")).isEqualTo(0);
  }

  /** How many samples of {@code name} have labels containing every {@code label="value"} given. */
  private static int samples(String scrape, String name, String... labels) {
    int n = 0;
    for (String line : scrape.split("\n")) {
      if (line.startsWith(name + "{")
          && Arrays.stream(labels).allMatch(line.substring(0, line.lastIndexOf(' '))::contains)) {
        n++;
      }
    }
    return n;
  }

  /** Sum of the samples of {@code name} whose labels contain every {@code label="value"} given. */
  private static double sum(String scrape, String name, String... labels) {
    double total = 0;
    for (String line : scrape.split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      String series = line.substring(0, line.lastIndexOf(' '));
      if (Arrays.stream(labels).allMatch(series::contains)) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  @Test
  @Order(3)
  void everySelectorOfEveryRuleAndPanelReturnsSeries() {
    Map<String, String> usedBy = selectors();
    Set<String> empty = new TreeSet<>();
    for (var e : usedBy.entrySet()) {
      if (stack.series("count(" + e.getKey() + ")") == 0
          && !AFTER_AN_ERROR.containsKey(e.getKey()) && !AFTER_AN_INCIDENT.containsKey(e.getKey())) {
        empty.add(e.getKey() + "   (" + e.getValue() + ")");
      }
    }
    assertThat(empty).as("selectors without any series on the live stack").isEmpty();
    Set<String> stale = new TreeSet<>(AFTER_AN_ERROR.keySet());
    stale.addAll(AFTER_AN_INCIDENT.keySet());
    stale.removeAll(usedBy.keySet());
    assertThat(stale).as("allowlisted selectors no rule or panel uses any more").isEmpty();
  }

  @Test
  @Order(4)
  void everyPanelQueryParsesAndHasAUnit() {
    SoftAssertions soft = new SoftAssertions();
    for (PanelQuery q : Monitoring.panelQueries()) {
      soft.assertThat(q.unit()).as("unit of %s / %s", q.dashboard(), q.panel()).isNotBlank();
      try {
        stack.query(PromQl.substituteGrafana(q.expr()));
      } catch (IllegalArgumentException e) {
        soft.fail("%s / %s does not run: %s", q.dashboard(), q.panel(), e.getMessage());
      }
    }
    soft.assertAll();
  }

  @Test
  @Order(5)
  void theHealthyStackFiresNothingButWatchdog() {
    List<String> firing = new ArrayList<>();
    List<String> host = new ArrayList<>();
    for (Object o : stack.prometheusApi("/api/v1/alerts").getJsonArray("alerts")) {
      JsonObject labels = ((JsonObject) o).getJsonObject("labels");
      String name = labels.getString("alertname");
      if (name.equals("Watchdog")) {
        continue;
      }
      // an escalation is judged as the alert it escalates (it carries that alert's service)
      String judged = name.equals("CriticalAlertEscalated") ? labels.getString("escalated_alert") : name;
      // the machine is not part of the stack under test: a busy CI box or one without NTP is real
      boolean machine = labels.getString("service").equals("node") || NOT_OURS.containsKey(judged);
      (machine ? host : firing).add(name + " " + labels.encode() + " = " + ((JsonObject) o).getString("value"));
    }
    if (!host.isEmpty()) {
      System.out.println("alerts about the machine or the shared Postgres that hold here (tolerated): " + host);
    }
    assertThat(firing).as("alerts whose condition holds on the healthy stack").isEmpty();
    assertThat(stack.sink.await(d -> d.alertname().equals("Watchdog"), 15_000))
        .as("Watchdog delivered through Alertmanager; deliveries: %s", stack.sink.deliveries()).isNotNull()
        .extracting(WebhookSink.Delivery::receiver).isEqualTo("watchdog");
  }

  @Test
  @Order(6)
  void redisOutageFiresRedisDownToThePagerAndResolvesWhenRedisIsBack() {
    double rebuilds = value("sum(vq_line_mirror_rebuilds_total)");
    stack.stopRedis();
    traffic.joinsDuringOutage(5);
    WebhookSink.Delivery down = stack.sink.await(d -> d.alertname().equals("RedisDown") && d.status().equals("firing"), 60_000);
    assertThat(down).as("RedisDown reached a receiver").isNotNull();
    assertThat(down.receiver()).isEqualTo("pager");
    assertThat(down.labels().getString("severity")).isEqualTo("critical");
    // the live rules run without their for:, so the 30-minute escalation holds at once
    WebhookSink.Delivery escalated = stack.sink.await(d -> d.alertname().equals("CriticalAlertEscalated")
        && "RedisDown".equals(d.labels().getString("escalated_alert")) && d.status().equals("firing"), 60_000);
    assertThat(escalated).as("RedisDown escalated; deliveries: %s", stack.sink.deliveries()).isNotNull();
    assertThat(escalated.receiver()).isEqualTo("escalation");
    assertThat(escalated.labels().getString("service")).isEqualTo("redis");
    awaitQuery(HOUSEKEEPING_FAILURES, 20_000);
    awaitQuery("sum(" + HTTP_503 + ") > 0", 20_000);

    stack.startRedis();
    WebhookSink.Delivery resolved = stack.sink.await(d -> d.alertname().equals("RedisDown") && d.status().equals("resolved"), 60_000);
    assertThat(resolved).as("RedisDown resolved").isNotNull();
    assertThat(resolved.receiver()).isEqualTo("pager");
    awaitQuery("sum(vq_line_mirror_rebuilds_total) > " + rebuilds, 30_000);
  }

  @Test
  @Order(7)
  void errorSeriesAppearedDuringTheOutage() {
    SoftAssertions soft = new SoftAssertions();
    AFTER_AN_ERROR.forEach((selector, why) ->
        soft.assertThat(stack.series("count(" + selector + ")")).as("%s (%s)", selector, why).isPositive());
    soft.assertAll();
  }

  /** Every selector of every rule and panel, with where it is used. */
  private static Map<String, String> selectors() {
    Map<String, String> out = new TreeMap<>();
    for (Rule r : Monitoring.rules()) {
      PromQl.selectors(r.expr()).forEach(s -> out.putIfAbsent(s, "rule " + r.id()));
    }
    for (PanelQuery q : Monitoring.panelQueries()) {
      PromQl.selectors(PromQl.substituteGrafana(q.expr())).forEach(s -> out.putIfAbsent(s, "panel " + q.dashboard()
          + " / " + q.panel()));
    }
    return new LinkedHashMap<>(out);
  }

  private static double value(String expr) {
    var result = stack.query(expr).getJsonArray("result");
    return result.isEmpty() ? 0 : Double.parseDouble(result.getJsonObject(0).getJsonArray("value").getString(1));
  }

  private static void awaitQuery(String expr, long millis) {
    long end = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < end) {
      try {
        if (stack.series(expr) > 0) {
          return;
        }
      } catch (IllegalStateException e) {
        // Prometheus not answering yet
      }
      Tools.sleep(500);
    }
    throw new IllegalStateException("no series for " + expr + " after " + millis + " ms");
  }
}
