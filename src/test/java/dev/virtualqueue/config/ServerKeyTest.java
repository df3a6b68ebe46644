package dev.virtualqueue.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerKeyTest {
  @TempDir
  Path dir;

  @Test
  void aMissingKeyIsMadeOncePrivateAndKeptAcrossLoads() throws IOException {
    Path file = dir.resolve("keys").resolve(ServerKey.FILE_NAME);
    ServerKey first = ServerKey.loadOrCreate(file);
    ServerKey again = ServerKey.loadOrCreate(file);
    assertThat(again.derive("mail-links")).isEqualTo(first.derive("mail-links"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.list(file.getParent())).as("no temporary file left").hasSize(1);
  }

  @Test
  void eachPurposeGetsItsOwnKey() {
    ServerKey key = ServerKey.of(new byte[32]);
    assertThat(key.derive("webhook-seal")).hasSize(32).isNotEqualTo(key.derive("mail-links"));
    byte[] other = new byte[32];
    other[0] = 1;
    assertThat(ServerKey.of(other).derive("webhook-seal")).isNotEqualTo(key.derive("webhook-seal"));
  }

  @Test
  void aShortOrGarbledKeyStopsStartUp() throws IOException {
    Path shortKey = Files.writeString(dir.resolve("short.key"), "c2hvcnQ=\n");
    assertThatThrownBy(() -> ServerKey.loadOrCreate(shortKey)).hasMessageContaining("at least 32");
    Path garbled = Files.writeString(dir.resolve("garbled.key"), "not base64 !!\n");
    assertThatThrownBy(() -> ServerKey.loadOrCreate(garbled)).hasMessageContaining("not base64");
    assertThatThrownBy(() -> ServerKey.of(new byte[16])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDefaultFileLivesBesideTheJwtKeysOrInDevUnderDotDev() {
    AppConfig prod = ConfigLoader.load(Map.of("VQ_PROFILE", "prod", "VQ_JWT_KEYS_DIR", dir.toString()));
    assertThat(ServerKey.file(prod)).isEqualTo(dir.resolve(ServerKey.FILE_NAME));
    AppConfig dev = ConfigLoader.load(Map.of("VQ_PROFILE", "dev", "VQ_JWT_KEYS_DIR", dir.toString()));
    assertThat(ServerKey.file(dev)).isEqualTo(Path.of(".dev", ServerKey.FILE_NAME));
    AppConfig named = ConfigLoader.load(Map.of("VQ_PROFILE", "dev", "VQ_SECRETS_KEY_FILE", "/etc/vq/s.key"));
    assertThat(ServerKey.file(named)).isEqualTo(Path.of("/etc/vq/s.key"));
  }
}
