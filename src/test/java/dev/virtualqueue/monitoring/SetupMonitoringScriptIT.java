package dev.virtualqueue.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/setup-monitoring.sh installs into a scratch root (--root, no apt or systemctl): the files
 * match monitoring/, secrets come from the environment into 0640 files, the runbook base is
 * rewritten, the installed configuration validates, and a second run changes nothing.
 */
class SetupMonitoringScriptIT {

  @Test
  void installsOnceAndASecondRunChangesNothing(@TempDir Path root) throws Exception {
    List<String> cmd = List.of("scripts/setup-monitoring.sh", "--root", root.toString(), "--no-start",
        "--runbook-base", "https://runbooks.example.org/vq/");
    Map<String, String> env = Map.of("VQ_SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/secret");

    Tools.Result first = run(cmd, env);
    assertThat(first.ok()).as(first.output()).isTrue();
    assertThat(first.output()).contains("promtool:").contains("amtool:").doesNotContain("done: 0 file");
    assertThat(root.resolve("etc/prometheus/prometheus.yml")).hasSameTextualContentAs(Monitoring.PROMETHEUS_YML);
    assertThat(root.resolve("etc/prometheus/alertmanager.yml")).hasSameTextualContentAs(Monitoring.ALERTMANAGER_YML);
    assertThat(Files.readString(root.resolve("etc/prometheus/rules/virtualqueue-critical-alerts.yml")))
        .contains("https://runbooks.example.org/vq/redis.md#redisdown").doesNotContain(Monitoring.RUNBOOK_BASE);
    Path slack = root.resolve("etc/alertmanager/secrets/slack_api_url");
    assertThat(slack).hasContent("https://hooks.slack.com/services/T0/B0/secret");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(slack))).isEqualTo("rw-r-----");
    assertThat(first.output()).contains("smtp_password (set VQ_SMTP_PASSWORD)").doesNotContain("slack_api_url (set");

    Tools.Result second = run(cmd, env);
    assertThat(second.ok()).as(second.output()).isTrue();
    assertThat(second.output()).contains("done: 0 file(s) changed");
  }

  /**
   * --compose prepares the monitoring services of docker/compose.yml (the one compose location):
   * the exporter's and Grafana's secret files, readable by the containers' own users, and the
   * compose-network Prometheus configuration, the rules, Alertmanager's and the compose file validate.
   */
  @Test
  void composeModeWritesTheStacksMonitoringSecretsAndValidates(@TempDir Path root) throws Exception {
    List<String> cmd = List.of("scripts/setup-monitoring.sh", "--compose", "--root", root.toString(), "--no-start");
    Tools.Result first = run(cmd, Map.of("VQ_PG_EXPORTER_PASSWORD", "exporter-secret"));
    assertThat(first.ok()).as(first.output()).isTrue();
    assertThat(first.output()).contains("promtool: docker/monitoring/prometheus.yml is valid")
        .contains("amtool: monitoring/alertmanager.yml is valid").contains("docker-compose: docker/compose.yml is valid");
    Path exporter = root.resolve("docker/secrets/postgres_exporter_password");
    assertThat(exporter).hasContent("exporter-secret");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(exporter))).isEqualTo("rw-r--r--");
    Path grafana = root.resolve("docker/secrets/grafana_admin_password");
    assertThat(Files.readString(grafana).trim()).hasSizeGreaterThanOrEqualTo(20);
    assertThat(first.output()).contains("generated docker/secrets/grafana_admin_password");

    Tools.Result second = run(cmd, Map.of());
    assertThat(second.ok()).as(second.output()).isTrue();
    assertThat(second.output()).contains("done: 0 file(s) changed");
    assertThat(exporter).hasContent("exporter-secret");
  }

  private static Tools.Result run(List<String> cmd, Map<String, String> env) throws Exception {
    ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
    b.environment().putAll(env);
    Process p = b.start();
    String out = new String(p.getInputStream().readAllBytes());
    return new Tools.Result(p.waitFor(), out);
  }
}
