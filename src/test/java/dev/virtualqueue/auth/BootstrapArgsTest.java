package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapArgsTest {
  @TempDir
  Path dir;

  @Test
  void readsOptionsAndThePasswordFromAFile() throws Exception {
    Path file = dir.resolve("pw");
    Files.writeString(file, "s3cret passphrase\n");
    BootstrapArgs a = BootstrapArgs.parse(new String[] {"--tenant", "acme", "--email", "a@acme.test",
        "--name", "Acme Clinic", "--owner-name", "Ann", "--password-file", file.toString()});
    assertThat(a.tenant()).isEqualTo("acme");
    assertThat(a.name()).isEqualTo("Acme Clinic");
    assertThat(a.ownerName()).isEqualTo("Ann");
    assertThat(new String(a.readPassword(null))).isEqualTo("s3cret passphrase");
  }

  @Test
  void readsTheFirstLineOfStdin() throws Exception {
    BootstrapArgs a = BootstrapArgs.parse(new String[] {"--tenant", "acme", "--email", "a@acme.test",
        "--password-stdin"});
    var in = new ByteArrayInputStream("from stdin pw\r\nignored\n".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(a.readPassword(in))).isEqualTo("from stdin pw");
  }

  @Test
  void refusesPasswordsOnTheCommandLineAndOtherMisuse() {
    assertThatThrownBy(() -> BootstrapArgs.parse(new String[] {"--tenant", "a1", "--email", "a@b.cd",
        "--password", "hunter2hunter2"})).hasMessageContaining("never taken from the command line");
    assertThatThrownBy(() -> BootstrapArgs.parse(new String[] {"--tenant", "a1", "--email", "a@b.cd",
        "--password=hunter2hunter2"})).hasMessageContaining("never taken from the command line");
    assertThatThrownBy(() -> BootstrapArgs.parse(new String[] {"--tenant", "a1", "--email", "a@b.cd"}))
        .hasMessageContaining("exactly one");
    assertThatThrownBy(() -> BootstrapArgs.parse(new String[] {"--tenant", "a1", "--email", "a@b.cd",
        "--password-stdin", "--password-file", "x"})).hasMessageContaining("exactly one");
    assertThatThrownBy(() -> BootstrapArgs.parse(new String[] {"--email", "a@b.cd", "--password-stdin"}))
        .hasMessageContaining("required");
    assertThatThrownBy(() -> BootstrapArgs.parse(new String[] {"--tenant", "--email", "a@b.cd"}))
        .hasMessageContaining("--tenant needs a value");
    assertThatThrownBy(() -> BootstrapArgs.parse(new String[] {"--colour", "red"}))
        .hasMessageContaining("unknown argument");
  }

  @Test
  void aMissingPasswordFileIsAUsageError() throws Exception {
    BootstrapArgs a = BootstrapArgs.parse(new String[] {"--tenant", "acme", "--email", "a@acme.test",
        "--password-file", dir.resolve("nope").toString()});
    assertThatThrownBy(() -> a.readPassword(null)).isInstanceOf(BootstrapArgs.UsageException.class)
        .hasMessageContaining("cannot read the password file");
  }
}
