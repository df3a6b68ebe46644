package dev.virtualqueue.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * alertmanager.yml with the real amtool: valid, routes by severity/team/service as the table below
 * says, every label set our rules produce reaches a deliberate receiver, queue alerts are not held
 * to one global time window (the rules hold each to its queue's own hours), and info alerts go out
 * as a 6-hourly digest.
 */
class AlertmanagerConfigIT {
  /** labels -> the receiver Alertmanager must pick. */
  static final List<String[]> ROUTES = List.of(
      new String[] {"alertname=Watchdog severity=info team=platform service=prometheus", "watchdog"},
      new String[] {"alertname=CriticalAlertEscalated escalated_alert=RedisDown severity=critical team=platform service=redis",
          "escalation"},
      new String[] {"alertname=CriticalAlertEscalated escalated_alert=LoginBruteForce severity=critical team=security"
          + " service=virtual-queue", "escalation"},
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
    // an escalation copies the escalated alert's team and service: try it with every pair the rules use
    Monitoring.alerts().stream().filter(a -> !MonitoringRulesIT.copiesEscalatedLabels(a)).forEach(a -> {
      labelSets.add("severity=" + a.severity() + " team=" + a.labels().get("team") + " service=" + a.labels().get("service"));
      labelSets.add("alertname=CriticalAlertEscalated severity=critical team=" + a.labels().get("team")
          + " service=" + a.labels().get("service"));
    });
    SoftAssertions soft = new SoftAssertions();
    for (String labels : labelSets) {
      String receiver = receiver(labels);
      soft.assertThat(receiver).as(labels).isNotEqualTo("default");
      if (labels.startsWith("alertname=CriticalAlertEscalated ")) {
        soft.assertThat(receiver).as(labels).isEqualTo("escalation");
      }
    }
    soft.assertAll();
  }

  /**
   * Queues keep their own opening hours, so no route may hold queue alerts to one shared window:
   * the rules gate each queue alert with vq_queue_within_hours instead.
   */
  @Test
  @SuppressWarnings("unchecked")
  void queueAlertsAreNotHeldToOneGlobalTimeWindow() {
    Map<String, Object> doc = Monitoring.yaml(Monitoring.ALERTMANAGER_YML);
    Map<String, Object> queueOps = route("queue-ops");
    assertThat(queueOps).doesNotContainKeys("active_time_intervals", "mute_time_intervals");
    assertThat(doc).doesNotContainKeys("time_intervals", "mute_time_intervals");
  }

  /** Info alerts are not worth an interruption: one e-mail lists them all, at most every 6 hours. */
  @Test
  void infoAlertsGoOutAsASixHourlyDigest() {
    Map<String, Object> digest = route("info-digest");
    assertThat(digest.get("matchers")).isEqualTo(List.of("severity=\"info\""));
    assertThat(digest.get("group_by")).as("one group for every info alert").isEqualTo(List.of("severity"));
    assertThat(digest).containsEntry("group_wait", "6h").containsEntry("group_interval", "6h")
        .containsEntry("repeat_interval", "6h");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> route(String receiver) {
    Map<String, Object> root = (Map<String, Object>) Monitoring.yaml(Monitoring.ALERTMANAGER_YML).get("route");
    return ((List<Map<String, Object>>) root.get("routes")).stream()
        .filter(r -> receiver.equals(r.get("receiver"))).findFirst().orElseThrow();
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
