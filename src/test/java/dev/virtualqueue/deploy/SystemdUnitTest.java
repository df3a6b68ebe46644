package dev.virtualqueue.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The invariants of the systemd unit example (deploy/systemd/virtual-queue.service) that
 * {@code systemd-analyze verify} cannot judge (SystemdUnitIT runs that): its own user, a read-only
 * system, settings from an environment file with no secret in the unit, sockets for 10,000 people,
 * time for the drain, and no restart loop on a refused configuration.
 */
class SystemdUnitTest {
  static final Path UNIT = Path.of("deploy/systemd/virtual-queue.service");

  /** Each directive's values in file order (a directive may repeat). */
  static Map<String, List<String>> directives() throws Exception {
    Map<String, List<String>> d = new LinkedHashMap<>();
    for (String line : Files.readAllLines(UNIT)) {
      if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("[")) {
        int eq = line.indexOf('=');
        d.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
      }
    }
    return d;
  }

  private static String one(Map<String, List<String>> d, String key) {
    assertThat(d.get(key)).as(key).isNotNull().hasSize(1);
    return d.get(key).get(0);
  }

  @Test
  void runsAsItsOwnUserWithoutPrivilegesOnAReadOnlySystem() throws Exception {
    var d = directives();
    assertThat(d.containsKey("User") && !one(d, "User").equals("root") || "yes".equals(one(d, "DynamicUser")))
        .as("a dedicated or dynamic user").isTrue();
    assertThat(one(d, "ProtectSystem")).isEqualTo("strict");
    assertThat(one(d, "ProtectHome")).isEqualTo("yes");
    assertThat(one(d, "NoNewPrivileges")).isEqualTo("yes");
    assertThat(one(d, "PrivateTmp")).isEqualTo("yes");
    assertThat(one(d, "CapabilityBoundingSet")).isEmpty();
    assertThat(d).doesNotContainKey("MemoryDenyWriteExecute"); // the JIT needs W+X memory
  }

  @Test
  void takesItsSettingsFromAnEnvironmentFileAndHoldsNoSecret() throws Exception {
    var d = directives();
    assertThat(one(d, "EnvironmentFile")).startsWith("/etc/virtual-queue/").doesNotStartWith("-");
    assertThat(d.get("Environment")).noneMatch(e -> e.matches("(?i).*(password|token|secret)[A-Z_]*=.*"));
    assertThat(one(d, "ExecStart")).contains("-jar /opt/virtual-queue/virtual-queue.jar").contains("$JAVA_OPTS");
    assertThat(d.get("Environment")).anyMatch(e -> e.contains("JAVA_OPTS=") && e.contains("-Xmx"));
  }

  @Test
  void holdsTenThousandSocketsAndDrainsOnStop() throws Exception {
    var d = directives();
    assertThat(Integer.parseInt(one(d, "LimitNOFILE"))).isGreaterThanOrEqualTo(20_000);
    assertThat(one(d, "KillSignal")).isEqualTo("SIGTERM");
    assertThat(Integer.parseInt(one(d, "TimeoutStopSec"))).isBetween(15, 120);
    assertThat(one(d, "SuccessExitStatus")).contains("143");
    assertThat(one(d, "Restart")).isEqualTo("on-failure");
    assertThat(one(d, "RestartPreventExitStatus")).isEqualTo("2");
  }
}
