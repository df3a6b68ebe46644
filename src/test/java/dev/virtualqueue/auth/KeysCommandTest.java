package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.config.AppConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code keys generate}: writes a key the server loads and signs with, never overwrites one, explains itself. */
@ExtendWith(VertxExtension.class)
class KeysCommandTest {
  @TempDir
  Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return KeysCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void generatesAKeyTheServerLoadsAndSignsWith(Vertx vertx) throws Exception {
    Path keys = dir.resolve("etc/jwt");
    assertThat(run("generate", "--dir", keys.toString())).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith("wrote " + keys).contains("VQ_JWT_KEYS_DIR=" + keys.toAbsolutePath());
    try (var files = Files.list(keys)) {
      Path file = files.findFirst().orElseThrow();
      assertThat(file.getFileName().toString()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{6}Z\\.pem");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rwx------");

    JwtKeys loaded = JwtKeys.load(keys);
    TokenService tokens = new TokenService(vertx, loaded, new AppConfig.Jwt("", "vq", 600));
    String token = tokens.issue(UUID.randomUUID(), UUID.randomUUID(), Role.VIEWER).token();
    assertThat(tokens.verify(token).await().role()).isEqualTo(Role.VIEWER);
  }

  @Test
  void aNewerDefaultKidSignsAfterOlderKeysAndNothingIsOverwritten() throws Exception {
    assertThat(run("generate", "--dir", dir.toString(), "--kid", "2024-12")).isZero();
    String before = Files.readString(dir.resolve("2024-12.pem"));
    assertThat(run("generate", "--dir", dir.toString(), "--kid", "2024-12")).isEqualTo(1);
    assertThat(err.toString()).contains("exists already");
    assertThat(Files.readString(dir.resolve("2024-12.pem"))).isEqualTo(before);

    assertThat(run("generate", "--dir", dir.toString())).isZero();
    JwtKeys keys = JwtKeys.load(dir);
    assertThat(keys.kids()).hasSize(2);
    assertThat(keys.signingKid()).as("the new key signs").isNotEqualTo("2024-12");
  }

  @Test
  void badUsageExitsWith2AndHelpWith0() {
    assertThat(run("generate")).isEqualTo(2);
    assertThat(err.toString()).contains("--dir is required").contains("usage:");
    assertThat(run("generate", "--dir")).isEqualTo(2);
    assertThat(run("generate", "--dir", dir.toString(), "--kid", "no spaces")).isEqualTo(2);
    assertThat(run("rotate")).isEqualTo(2);
    assertThat(run("generate", "--dir", dir.toString(), "--force")).isEqualTo(2);
    assertThat(dir.toFile().list()).isEmpty();
    assertThat(run()).isEqualTo(2);

    assertThat(run("--help")).isZero();
    assertThat(out.toString()).startsWith("usage: virtual-queue keys generate --dir <folder>");
    assertThat(run("generate", "--help")).isZero();
    assertThat(out.toString()).contains("--kid <kid>");
  }
}
