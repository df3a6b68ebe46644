package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev profile keeps its JWT key on disk: a restart signs nobody out. */
class DevKeysRestartIT {
  @TempDir
  Path dir;

  @Test
  void aTokenFromBeforeADevRestartStillWorksAfterIt() throws Exception {
    Path keys = dir.resolve(".dev/jwt-keys");
    try (TestServer server = TestServer.start(TestServer.REDIS_URL, Map.of("VQ_JWT_KEYS_DIR", keys.toString()))) {
      Staff staff = server.tenant("restart");
      assertThat(staff.call("GET", "/api/v1/queues").status()).isEqualTo(200);
      try (var files = Files.list(keys)) {
        assertThat(files.count()).as("the dev key is kept in " + keys).isEqualTo(1);
      }

      server.restart();

      assertThat(staff.call("GET", "/api/v1/queues").status()).as("same token after the restart").isEqualTo(200);
      try (var files = Files.list(keys)) {
        assertThat(files.count()).as("the key was reused, not replaced").isEqualTo(1);
      }
    }
  }

  @Test
  void withoutAKeysFolderTheDevKeyLivesInDotDevUnderTheWorkingFolder() {
    try (TestServer server = TestServer.start()) {
      Staff staff = server.tenant("default-dir");
      assertThat(Path.of(JwtKeys.DEV_DIR)).isDirectory();
      assertThat(JwtKeys.hasKeyFiles(Path.of(JwtKeys.DEV_DIR))).isTrue();
      server.restart();
      assertThat(staff.call("GET", "/api/v1/queues").status()).as("same token after the restart").isEqualTo(200);
    }
  }
}
