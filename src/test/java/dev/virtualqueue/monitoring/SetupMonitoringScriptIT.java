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

  private static Tools.Result run(List<String> cmd, Map<String, String> env) throws Exception {
    ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
    b.environment().putAll(env);
    Process p = b.start();
    String out = new String(p.getInputStream().readAllBytes());
    return new Tools.Result(p.waitFor(), out);
  }
}
