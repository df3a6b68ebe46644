package dev.virtualqueue.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.monitoring.Monitoring.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus side of monitoring as code, checked with the real promtool: the configuration
 * and rules lint clean, every alert passes its unit tests, every alert HAS a firing case and a
 * just-under case, and every alert follows the label, annotation and runbook conventions.
 */
class MonitoringRulesIT {
  static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
  static final Set<String> TEAMS = Set.of("backend", "platform", "queue-ops", "security");
  static final Set<String> SERVICES = Set.of("virtual-queue", "postgres", "redis", "node", "prometheus", "alertmanager");
  /** Alerts that cannot have a "does not fire" case: Watchdog is always firing by design. */
  static final Set<String> ALWAYS_FIRING = Set.of("Watchdog");
  /** The label templates of an escalation, which keeps the team and service of the alert it escalates. */
  static final Map<String, String> ESCALATED_LABELS = Map.of("team", "{{ $labels.team }}", "service", "{{ $labels.service }}");

  /** True for the escalation rule, whose team and service are copied from the escalated alert. */
  static boolean copiesEscalatedLabels(Rule r) {
    return r.isAlert() && r.alert().equals("CriticalAlertEscalated");
  }

  @Test
  void prometheusConfigIsValid() {
    Tools.Result r = Tools.run(List.of("promtool", "check", "config", Monitoring.PROMETHEUS_YML.toString()), 60);
    assertThat(r.ok()).as(r.output()).isTrue();
    assertThat(r.output()).contains("3 rule files found");
  }

  @Test
  void ruleFilesLintClean() {
    List<String> cmd = new ArrayList<>(List.of("promtool", "check", "rules", "--lint=all", "--lint-fatal"));
    Monitoring.ruleFiles().forEach(f -> cmd.add(f.toString()));
    Tools.Result r = Tools.run(cmd, 60);
    assertThat(r.ok()).as(r.output()).isTrue();
  }

  @Test
  void everyRuleTestFilePasses() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
    try {
      Map<Path, Future<Tools.Result>> runs = new HashMap<>();
      for (Path f : Monitoring.ruleTestFiles()) {
        runs.put(f, pool.submit(() -> Tools.run(List.of("promtool", "test", "rules", f.toString()), 300)));
      }
      SoftAssertions soft = new SoftAssertions();
      for (var e : runs.entrySet()) {
        Tools.Result r = e.getValue().get();
        soft.assertThat(r.ok()).as("promtool test rules %s%n%s", e.getKey(), r.output()).isTrue();
      }
      soft.assertAll();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyAlertHasAFiringCaseAndACaseWhereItStaysQuiet() {
    Map<String, Set<String>> severities = new HashMap<>();
    Monitoring.alerts().forEach(a -> severities.computeIfAbsent(a.alert(), k -> new HashSet<>()).add(a.severity()));
    Set<String> fires = new HashSet<>();
    Set<String> quiet = new HashSet<>();
    for (Path f : Monitoring.ruleTestFiles()) {
      for (Map<String, Object> t : (List<Map<String, Object>>) Monitoring.yaml(f).get("tests")) {
        for (Map<String, Object> c : (List<Map<String, Object>>) t.getOrDefault("alert_rule_test", List.of())) {
          String name = (String) c.get("alertname");
          Set<String> firing = new HashSet<>();
          for (Map<String, Object> a : (List<Map<String, Object>>) c.getOrDefault("exp_alerts", List.of())) {
            Map<String, Object> labels = (Map<String, Object>) a.getOrDefault("exp_labels", Map.of());
            assertThat(a).as("%s in %s: a firing case states its annotations", name, f).containsKey("exp_annotations");
            firing.add(name + "/" + labels.get("severity"));
          }
          fires.addAll(firing);
          severities.getOrDefault(name, Set.of()).stream().map(s -> name + "/" + s)
              .filter(id -> !firing.contains(id)).forEach(quiet::add);
        }
      }
    }
    Set<String> noFire = new TreeSet<>();
    Set<String> noQuiet = new TreeSet<>();
    for (Rule a : Monitoring.alerts()) {
      if (!fires.contains(a.id())) {
        noFire.add(a.id());
      }
      if (!quiet.contains(a.id()) && !ALWAYS_FIRING.contains(a.alert())) {
        noQuiet.add(a.id());
      }
    }
    assertThat(noFire).as("alerts (name/severity) without a promtool case where they fire").isEmpty();
    assertThat(noQuiet).as("alerts (name/severity) without a promtool case just under their threshold").isEmpty();
  }

  /**
   * A quiet case evaluated before {@code for:} could have elapsed passes whatever the threshold
   * (QuietCaseMutationIT moves the thresholds to prove the input is just under them).
   */
  @Test
  void everyAlertHasAQuietCaseEvaluatedAfterItsForHasElapsed() {
    List<RuleTestCases.AlertCase> cases = RuleTestCases.all();
    Set<String> missing = new TreeSet<>();
    for (Rule a : Monitoring.alerts()) {
      long forSeconds = a.forDuration() == null ? 0 : RuleTestCases.seconds(a.forDuration());
      boolean late = cases.stream().anyMatch(c -> c.alertname().equals(a.alert()) && c.quietFor(a.severity())
          && c.evalSeconds() >= forSeconds + c.evaluationIntervalSeconds());
      if (!late && !ALWAYS_FIRING.contains(a.alert())) {
        missing.add(a.id() + " (for: " + a.forDuration() + ")");
      }
    }
    assertThat(missing).as("alerts without a quiet case evaluated at or after `for` + one evaluation interval").isEmpty();
  }

  @Test
  void alertsFollowTheConventions() {
    SoftAssertions soft = new SoftAssertions();
    Set<String> ids = new HashSet<>();
    for (Rule r : Monitoring.rules()) {
      if (!r.isAlert()) {
        soft.assertThat(r.record()).as("recording rule name level:metric:operation").matches("[a-z_]+:[a-z0-9_]+:[a-z0-9_]+");
        continue;
      }
      soft.assertThat(ids.add(r.id())).as("alert and severity defined once: %s", r.id()).isTrue();
      soft.assertThat(r.alert()).as("CamelCase name").matches("[A-Z][a-z0-9]+(?:[A-Z0-9][a-z0-9]*)*");
      soft.assertThat(r.labels().keySet()).as("%s labels", r.alert()).containsExactlyInAnyOrder("severity", "team", "service");
      soft.assertThat(r.severity()).as("%s severity", r.alert()).isIn(SEVERITIES);
      if (copiesEscalatedLabels(r)) {
        soft.assertThat(r.labels()).as("%s copies team and service", r.alert()).containsAllEntriesOf(ESCALATED_LABELS);
        continue;
      }
      soft.assertThat(r.labels().get("team")).as("%s team", r.alert()).isIn(TEAMS);
      soft.assertThat(r.labels().get("service")).as("%s service", r.alert()).isIn(SERVICES);
      soft.assertThat(r.annotations().keySet()).as("%s annotations", r.alert())
          .containsExactlyInAnyOrder("summary", "description", "runbook_url");
      r.annotations().values().forEach(v -> soft.assertThat(v).as("%s annotation", r.alert()).isNotBlank());
    }
    soft.assertAll();
  }

  @Test
  void everyAlertLinksAnExistingRunbookSection() throws Exception {
    SoftAssertions soft = new SoftAssertions();
    for (Rule a : Monitoring.alerts()) {
      String url = a.annotations().get("runbook_url");
      soft.assertThat(url).as(a.alert()).startsWith(Monitoring.RUNBOOK_BASE);
      if (url == null || !url.startsWith(Monitoring.RUNBOOK_BASE) || !url.contains("#")) {
        continue;
      }
      String[] fileAndAnchor = url.substring(Monitoring.RUNBOOK_BASE.length()).split("#", 2);
      Path runbook = Monitoring.RUNBOOKS.resolve(fileAndAnchor[0]);
      soft.assertThat(runbook).as(a.alert()).exists();
      soft.assertThat(fileAndAnchor[1]).as("anchor of %s", a.alert()).isEqualTo(a.alert().toLowerCase());
      if (Files.exists(runbook)) {
        soft.assertThat(Files.readAllLines(runbook)).as("%s has a section for %s", runbook, a.alert())
            .contains("## " + a.alert());
      }
    }
    soft.assertAll();
  }

  /**
   * Queues have their own opening hours: every queue alert holds only within its queue's (and
   * fails open, still firing, when the gauge is missing).
   */
  @Test
  void everyQueueAlertHoldsOnlyWithinItsQueuesOpeningHours() {
    String gate = "unless on (tenant, queue) max by (tenant, queue) (vq_queue_within_hours{job=\"virtual-queue\"}) == 0";
    SoftAssertions soft = new SoftAssertions();
    for (Rule a : Monitoring.alerts()) {
      if ("queue-ops".equals(a.labels().get("team"))) {
        soft.assertThat(a.expr().strip()).as(a.id()).endsWith(gate);
      }
    }
    soft.assertAll();
  }

  @Test
  void rulesOnlySelectJobsThatPrometheusScrapes() {
    Set<String> jobs = PrometheusConfig.jobNames();
    SoftAssertions soft = new SoftAssertions();
    for (Rule r : Monitoring.rules()) {
      for (String s : PromQl.selectors(r.expr())) {
        var m = Pattern.compile("job=\"([^\"]+)\"").matcher(s);
        while (m.find()) {
          soft.assertThat(m.group(1)).as("job of %s in %s", s, r.id()).isIn(jobs);
        }
      }
    }
    soft.assertAll();
  }

  /** A job without any target cannot fire its own down alerts, so each job has an absent() guard. */
  @Test
  void everyScrapeJobHasAnAlertForHavingNoTargetAtAll() {
    Set<String> guarded = new TreeSet<>();
    for (Rule a : Monitoring.alerts()) {
      var m = Pattern.compile("^absent\\(up\\{job=\"([^\"]+)\"}\\)$").matcher(a.expr().strip());
      if (m.matches()) {
        guarded.add(m.group(1));
      }
    }
    assertThat(guarded).containsExactlyInAnyOrderElementsOf(PrometheusConfig.jobNames());
    assertThat(Monitoring.alerts()).as("an absent() guard on the business-metrics refresher")
        .anyMatch(a -> a.expr().strip().equals("absent(vq_metrics_refresh_last_success_timestamp_seconds{job=\"virtual-queue\"})"));
  }

  @Test
  void selectorsAreReadFromPromQl() {
    assertThat(PromQl.selectors("sum by (tenant, queue) (rate(vq_tickets_served_total{job=\"virtual-queue\"}[5m]))"
        + " > 0.5 * (vq:tickets_served:rate1h offset 1w) and on (tenant) vq_x unless {__name__=\"y\"}"))
        .containsExactly("vq_tickets_served_total{job=\"virtual-queue\"}", "vq:tickets_served:rate1h", "vq_x",
            "{__name__=\"y\"}");
    assertThat(PromQl.selectors("histogram_quantile(0.99, sum by (le) (rate(a_bucket{le=\"1.0\",x=~\"$tenant\"}[$__rate_interval]))) > 10e6"))
        .containsExactly("a_bucket{le=\"1.0\",x=~\"$tenant\"}");
    assertThat(PromQl.selectors("(count(up{job=\"vq\"} == 1) or vector(0)) == 0")).containsExactly("up{job=\"vq\"}");
  }
}
