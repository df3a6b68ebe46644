package dev.virtualqueue.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/entrypoint.sh, run by bash with a stand-in {@code java} on the PATH that prints what it
 * was given: the password file's first line goes into VQ_PG_URL percent-encoded, the variable is
 * gone before the server starts, the arguments pass through, and a bad setting stops it with one
 * line (exit 2) before Java starts.
 */
class EntrypointIT {
  @TempDir
  static Path dir;

  record Run(int exit, String out) {
  }

  static Run entrypoint(Map<String, String> env, String... args) throws Exception {
    Path bin = dir.resolve("bin");
    Files.createDirectories(bin);
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/usr/bin/env bash\necho \"url=$VQ_PG_URL\"\necho \"file=${VQ_PG_PASSWORD_FILE-unset}\""
        + "\necho \"args=$*\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> cmd = new ArrayList<>(List.of("bash", "docker/entrypoint.sh"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("VQ_"));
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void thePasswordFileGoesIntoTheUrlEncodedAndTheVariableIsRemoved() throws Exception {
    Path pw = dir.resolve("pw");
    Files.writeString(pw, "p@ss w/rd:%é\nsecond line ignored\n");
    Run r = entrypoint(Map.of("VQ_PG_PASSWORD_FILE", pw.toString(),
        "VQ_PG_URL", "postgresql://virtualqueue@postgres:5432/virtualqueue?sslmode=disable"), "serve");
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).contains("url=postgresql://virtualqueue:p%40ss%20w%2Frd%3A%25%C3%A9@postgres:5432/"
        + "virtualqueue?sslmode=disable").contains("file=unset")
        .contains("args=-jar /opt/virtual-queue/virtual-queue.jar serve");
  }

  @Test
  void withoutAPasswordFileTheUrlIsLeftAlone() throws Exception {
    Run r = entrypoint(Map.of("VQ_PG_URL", "postgresql://vq@db:5432/vq"), "bootstrap", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("url=postgresql://vq@db:5432/vq")
        .contains("args=-jar /opt/virtual-queue/virtual-queue.jar bootstrap --help");
  }

  @Test
  void aBadSettingStopsItBeforeJava() throws Exception {
    Run missing = entrypoint(Map.of("VQ_PG_PASSWORD_FILE", dir.resolve("nope").toString(),
        "VQ_PG_URL", "postgresql://vq@db/vq"));
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.out()).contains("config error: VQ_PG_PASSWORD_FILE=").doesNotContain("args=");
    Path pw = dir.resolve("pw2");
    Files.writeString(pw, "secret\n");
    Run noUser = entrypoint(Map.of("VQ_PG_PASSWORD_FILE", pw.toString(), "VQ_PG_URL", "postgresql://db:5432/vq"));
    assertThat(noUser.exit()).isEqualTo(2);
    assertThat(noUser.out()).contains("must name a user").doesNotContain("secret");
  }
}
