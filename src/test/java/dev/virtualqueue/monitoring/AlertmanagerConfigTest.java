package dev.virtualqueue.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * alertmanager.yml with the real amtool: valid, routes by severity/team/service as the table below
 * says, every label set our rules produce reaches a deliberate receiver, and the business-hours
 * interval that gates queue alerts means Monday to Friday, 08:00-18:00 in Europe/Berlin.
 */
class AlertmanagerConfigTest {
  /** labels -> the receiver Alertmanager must pick. */
  static final List<String[]> ROUTES = List.of(
      new String[] {"alertname=Watchdog severity=info team=platform service=prometheus", "watchdog"},
      new String[] {"alertname=RedisDown severity=critical team=platform service=redis", "pager"},
      new String[] {"alertname=PostgresDown severity=critical team=platform service=postgres", "pager"},
      new String[] {"alertname=VirtualQueueDown severity=critical team=backend service=virtual-queue", "pager"},
      new String[] {"alertname=HostOomKill severity=critical team=platform service=node", "pager"},
      new String[] {"alertname=LoginBruteForce severity=critical team=security service=virtual-queue", "security-pager"},
      new String[] {"alertname=RedisDangerousCommand severity=critical team=security service=redis", "security-pager"},
      new String[] {"alertname=InvalidTokensHigh severity=warning team=security service=virtual-queue", "security"},
      new String[] {"alertname=IdempotencyKeyReuse severity=info team=security service=virtual-queue", "security"},
      new String[] {"alertname=QueueStalled severity=warning team=queue-ops service=virtual-queue", "queue-ops"},
      new String[] {"alertname=JoinSurge severity=info team=queue-ops service=virtual-queue", "info-digest"},
      new String[] {"alertname=PostgresDeadlocks severity=warning team=platform service=postgres", "datastores"},
      new String[] {"alertname=RedisMemoryHigh severity=warning team=platform service=redis", "datastores"},
      new String[] {"alertname=HostDiskSpaceLow severity=warning team=platform service=node", "platform"},
      new String[] {"alertname=PrometheusRuleGroupSlow severity=warning team=platform service=prometheus", "platform"},
      new String[] {"alertname=RedisRestarted severity=info team=platform service=redis", "info-digest"},
      new String[] {"alertname=ApiLatencyHigh severity=warning team=backend service=virtual-queue", "backend"},
      new String[] {"alertname=Unknown severity=warning team=nobody service=other", "default"});

  @Test
  void configIsValid() {
    Tools.Result r = Tools.run(List.of("amtool", "check-config", Monitoring.ALERTMANAGER_YML.toString()), 60);
    assertThat(r.ok()).as(r.output()).isTrue();
  }

  @Test
  void routesBySeverityTeamAndService() {
    SoftAssertions soft = new SoftAssertions();
    for (String[] row : ROUTES) {
      soft.assertThat(receiver(row[0])).as(row[0]).isEqualTo(row[1]);
    }
    soft.assertAll();
  }

  @Test
  void everyAlertOfTheRulesReachesADeliberateReceiver() {
    Set<String> labelSets = new LinkedHashSet<>();
    Monitoring.alerts().forEach(a -> labelSets.add("severity=" + a.severity() + " team=" + a.labels().get("team")
        + " service=" + a.labels().get("service")));
    SoftAssertions soft = new SoftAssertions();
    for (String labels : labelSets) {
      soft.assertThat(receiver(labels)).as(labels).isNotEqualTo("default");
    }
    soft.assertAll();
  }

  @Test
  @SuppressWarnings("unchecked")
  void queueAlertsAreGatedByBusinessHours() {
    Map<String, Object> route = (Map<String, Object>) Monitoring.yaml(Monitoring.ALERTMANAGER_YML).get("route");
    Map<String, Object> queueOps = ((List<Map<String, Object>>) route.get("routes")).stream()
        .filter(r -> "queue-ops".equals(r.get("receiver"))).findFirst().orElseThrow();
    assertThat((List<String>) queueOps.get("active_time_intervals")).containsExactly("business-hours");
  }

  @Test
  void businessHoursAreWeekdaysEightToSixInBerlin() {
    TimeInterval hours = TimeInterval.named("business-hours");
    // Monday 30 November 2026 (CET, UTC+1)
    assertThat(hours.contains(Instant.parse("2026-11-30T07:00:00Z"))).as("Mon 08:00 Berlin: opens").isTrue();
    assertThat(hours.contains(Instant.parse("2026-11-30T06:59:00Z"))).as("Mon 07:59 Berlin").isFalse();
    assertThat(hours.contains(Instant.parse("2026-11-30T16:59:00Z"))).as("Mon 17:59 Berlin").isTrue();
    assertThat(hours.contains(Instant.parse("2026-11-30T17:00:00Z"))).as("Mon 18:00 Berlin: closed").isFalse();
    assertThat(hours.contains(Instant.parse("2026-12-04T12:00:00Z"))).as("Fri 13:00 Berlin").isTrue();
    // the weekend
    assertThat(hours.contains(Instant.parse("2026-11-28T11:00:00Z"))).as("Sat 12:00 Berlin").isFalse();
    assertThat(hours.contains(Instant.parse("2026-11-29T11:00:00Z"))).as("Sun 12:00 Berlin").isFalse();
    // the time zone: 07:30 UTC is 08:30 in Berlin in winter (in hours) though not 08:00 in UTC terms;
    // in summer (CEST, UTC+2) 06:30 UTC is 08:30 and 16:30 UTC is 18:30
    assertThat(hours.contains(Instant.parse("2026-11-30T07:30:00Z"))).as("Mon 07:30 UTC in winter").isTrue();
    assertThat(hours.contains(Instant.parse("2026-06-01T06:30:00Z"))).as("Mon 06:30 UTC in summer").isTrue();
    assertThat(hours.contains(Instant.parse("2026-06-01T16:30:00Z"))).as("Mon 16:30 UTC in summer").isFalse();
    // Friday 23:30 UTC is already Saturday in Berlin
    assertThat(hours.contains(Instant.parse("2026-12-04T23:30:00Z"))).as("Fri 23:30 UTC = Sat in Berlin").isFalse();
  }

  /** The receiver amtool picks for a label set (the first one when several match). */
  static String receiver(String labels) {
    List<String> cmd = new ArrayList<>(List.of("amtool", "config", "routes", "test",
        "--config.file=" + Monitoring.ALERTMANAGER_YML));
    cmd.addAll(List.of(labels.split(" ")));
    Tools.Result r = Tools.run(cmd, 30);
    assertThat(r.ok()).as(r.output()).isTrue();
    return r.output().lines().filter(l -> !l.startsWith("Warning")).reduce((a, b) -> b).orElse("").trim();
  }
}
