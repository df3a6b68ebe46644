package dev.virtualqueue.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd itself reads the unit example: {@code systemd-analyze verify} (Debian package {@code systemd})
 * must accept it without a single warning, and {@code systemd-analyze security --offline} must rate
 * its exposure 2.0 or lower ("OK"); a mistyped directive makes verify warn, which fails here.
 */
class SystemdUnitIT {
  @TempDir
  Path dir;

  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }

  @Test
  void systemdAcceptsTheUnitWithoutAWarning() throws Exception {
    String unit = SystemdUnitTest.UNIT.toAbsolutePath().toString();
    assertThat(run(List.of("systemd-analyze", "verify", unit))).isEmpty();
    Path broken = Files.writeString(dir.resolve("virtual-queue.service"),
        Files.readString(SystemdUnitTest.UNIT).replace("ProtectSystem=strict", "ProtectSystem=stirct"));
    assertThat(run(List.of("systemd-analyze", "verify", broken.toString()))).as("verify sees a typo")
        .contains("Failed to parse").contains("stirct");
  }

  @Test
  void itsExposureIsRatedLow() throws Exception {
    String out = run(List.of("systemd-analyze", "security", "--offline=yes", "--no-pager",
        SystemdUnitTest.UNIT.toAbsolutePath().toString()));
    Matcher m = Pattern.compile("Overall exposure level for virtual-queue.service: ([0-9.]+)").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    assertThat(Double.parseDouble(m.group(1))).isLessThanOrEqualTo(2.0);
  }
}
