package dev.virtualqueue.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup scripts' own behaviour: the 7 daily / 4 weekly / 12 monthly selection and a real run
 * pruning by it, failures counted in the textfile metrics without a partial file left, age and
 * gpg encryption round trips through restore.sh, and setup-backups.sh installing into a scratch
 * root once (a second run changes nothing).
 */
class BackupScriptsIT {
  @RegisterExtension
  static final TestServer SERVER = TestServer.perClass();
  @TempDir
  Path dir;
  private final List<String> dropAfter = new ArrayList<>();

  @AfterEach
  void drop() {
    dropAfter.forEach(db -> SERVER.sql("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)", "postgres"));
  }

  /** A daily backup at 02:15 from 2025-01-01 to Wednesday 2026-12-02, and a second one that Wednesday. */
  private static List<String> twoYearsOfDailyBackups() {
    List<String> names = new ArrayList<>();
    for (LocalDate d = LocalDate.of(2025, 1, 1); !d.isAfter(LocalDate.of(2026, 12, 2)); d = d.plusDays(1)) {
      names.add("vq-x-" + d.toString().replace("-", "") + "T021500Z.dump");
    }
    names.add("vq-x-20261202T090000Z.dump.age");
    return names;
  }

  /** What 7 daily, 4 weekly (ISO, Monday first) and 12 monthly keep of {@link #twoYearsOfDailyBackups}. */
  static final List<String> KEPT = Stream.of(
      "20261202T090000Z.dump.age", // newest of its day, week and month; the 02:15 one that day goes
      "20261201T021500Z.dump", "20261130T021500Z.dump", "20261129T021500Z.dump", "20261128T021500Z.dump",
      "20261127T021500Z.dump", "20261126T021500Z.dump", // the 7 newest days
      "20261122T021500Z.dump", "20261115T021500Z.dump", // Sundays of the 3rd and 4th week (the 1st and 2nd: above)
      "20261031T021500Z.dump", "20260930T021500Z.dump", "20260831T021500Z.dump", "20260731T021500Z.dump",
      "20260630T021500Z.dump", "20260531T021500Z.dump", "20260430T021500Z.dump", "20260331T021500Z.dump",
      "20260228T021500Z.dump", "20260131T021500Z.dump") // the last day of each of 12 months (Dec, Nov: above)
      .map(n -> "vq-x-" + n).toList();

  @Test
  void retentionKeepsSevenDailyFourWeeklyAndTwelveMonthly() {
    List<String> names = new ArrayList<>(twoYearsOfDailyBackups());
    names.add("notes.txt");
    BackupScripts.Result r = BackupScripts.run(List.of("scripts/backup.sh", "--select-retention"), Map.of(),
        String.join("\n", names) + "\n");
    assertThat(r.ok()).as(r.output()).isTrue();
    List<String> kept = r.output().lines().filter(l -> l.startsWith("keep ")).map(l -> l.substring(5)).toList();
    List<String> deleted = r.output().lines().filter(l -> l.startsWith("delete ")).map(l -> l.substring(7)).toList();
    assertThat(kept).containsExactlyInAnyOrderElementsOf(Stream.concat(KEPT.stream(), Stream.of("notes.txt")).toList());
    assertThat(deleted).hasSize(names.size() - KEPT.size() - 1).contains("vq-x-20261202T021500Z.dump",
        "vq-x-20250101T021500Z.dump", "vq-x-20251231T021500Z.dump", "vq-x-20261125T021500Z.dump");
  }

  @Test
  void aRealRunPrunesOldBackupsWithTheirChecksumsAndManifestsByThatSelection() throws Exception {
    String db = database();
    Path backups = Files.createDirectories(dir.resolve("backups"));
    for (String name : List.of("vq-" + db + "-20200101T021500Z.dump", "vq-" + db + "-20200102T021500Z.dump",
        "vq-otherdb-20200101T021500Z.dump")) {
      for (String suffix : List.of("", ".sha256", ".json")) {
        Files.writeString(backups.resolve(name + suffix), "old");
      }
    }
    Map<String, String> keepTwoDays = Map.of("VQ_BACKUP_KEEP_DAILY", "2", "VQ_BACKUP_KEEP_WEEKLY", "0",
        "VQ_BACKUP_KEEP_MONTHLY", "0");
    BackupScripts.Result r = BackupScripts.run(List.of("scripts/backup.sh", "--pg-url", SERVER.pgUrl(),
        "--dir", backups.toString(), "--metrics-dir", ""), keepTwoDays, "");
    assertThat(r.ok()).as(r.output()).isTrue();
    assertThat(r.output()).contains("pruned vq-" + db + "-20200101T021500Z.dump");
    String fresh = r.output().replaceAll("(?s).*backup \\S*/(vq-\\S+\\.dump): .*", "$1");
    try (Stream<Path> files = Files.list(backups)) {
      List<String> left = files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(fresh)).sorted().toList();
      assertThat(left).as("the 2020-01-01 backup of this database went with its sidecars; %s and the "
          + "2020-01-02 one are the two days kept; another database's backups are not ours", fresh).containsExactlyInAnyOrder(
          "vq-" + db + "-20200102T021500Z.dump", "vq-" + db + "-20200102T021500Z.dump.json",
          "vq-" + db + "-20200102T021500Z.dump.sha256", "vq-otherdb-20200101T021500Z.dump",
          "vq-otherdb-20200101T021500Z.dump.json", "vq-otherdb-20200101T021500Z.dump.sha256");
    }
    assertThat(backups.resolve(fresh)).exists();
  }

  @Test
  void failuresAreCountedAndLeaveNoPartialFile() throws Exception {
    Path backups = dir.resolve("backups");
    Path textfile = dir.resolve("textfile");
    String missing = SERVER.pgUrl() + "_missing";
    for (int i = 1; i <= 2; i++) {
      BackupScripts.Result r = backup(missing, backups, textfile);
      assertThat(r.exit()).as(r.output()).isEqualTo(1);
      assertThat(r.output()).contains("backup failed: cannot connect to the database");
    }
    Path metrics = textfile.resolve("virtual_queue_backup_" + database() + "_missing.prom");
    assertThat(BackupScripts.metric(metrics, "vq_backup_failures_total")).isEqualTo(2);
    assertThat(BackupScripts.metric(metrics, "vq_backup_last_success_timestamp_seconds")).isZero();
    assertThat(BackupScripts.metric(metrics, "vq_backup_last_failure_timestamp_seconds")).isPositive();
    try (Stream<Path> files = Files.list(backups)) {
      assertThat(files).as("nothing left behind").isEmpty();
    }

    BackupScripts.Result ok = backup(SERVER.pgUrl(), backups, textfile);
    assertThat(ok.ok()).as(ok.output()).isTrue();
    Path good = textfile.resolve("virtual_queue_backup_" + database() + ".prom");
    assertThat(BackupScripts.metric(good, "vq_backup_failures_total")).isZero();
    assertThat(BackupScripts.metric(good, "vq_backup_size_bytes")).isEqualTo(Files.size(BackupScripts.onlyBackup(backups)));
    assertThat(BackupScripts.metric(good, "vq_backup_storage_available_bytes")).isPositive();
    assertThat(BackupScripts.metric(good, "vq_backup_last_success_timestamp_seconds"))
        .isGreaterThan(BackupScripts.metric(good, "vq_backup_last_failure_timestamp_seconds"));
    try (Stream<Path> files = Files.list(textfile)) {
      assertThat(files.map(p -> p.getFileName().toString())).as("metrics renamed into place, no temp file")
          .allMatch(n -> n.endsWith(".prom"));
    }
  }

  @Test
  void ageEncryptedBackupsRoundTripAndNeedTheKey() throws Exception {
    Path key = dir.resolve("backup-age.key");
    assertThat(BackupScripts.run(List.of("age-keygen", "-o", key.toString())).ok()).isTrue();
    BackupScripts.Result pub = BackupScripts.run(List.of("age-keygen", "-y", key.toString()));
    Path recipients = Files.writeString(dir.resolve("backup-age.pub"), pub.output());
    Path backups = dir.resolve("age");
    BackupScripts.Result r = BackupScripts.run(List.of("scripts/backup.sh", "--pg-url", SERVER.pgUrl(), "--dir",
        backups.toString(), "--metrics-dir", "", "--age-recipients", recipients.toString()));
    assertThat(r.ok()).as(r.output()).isTrue();
    Path file = BackupScripts.onlyBackup(backups);
    assertThat(file.getFileName().toString()).endsWith(".dump.age");
    roundTrip(file, List.of("--age-identity", key.toString()), Map.of());

    String target = target();
    BackupScripts.Result noKey = BackupScripts.restore(SERVER, file, target, List.of(), Map.of());
    assertThat(noKey.exit()).as(noKey.output()).isEqualTo(3);
    assertThat(noKey.output()).contains("give --age-identity").doesNotContain("created database");
  }

  @Test
  void gpgEncryptedBackupsRoundTrip() throws Exception {
    Path home = Files.createDirectories(dir.resolve("gnupg"));
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    Map<String, String> env = Map.of("GNUPGHOME", home.toString());
    try {
      BackupScripts.Result gen = BackupScripts.run(List.of("gpg", "--batch", "--passphrase", "", "--quick-gen-key",
          "VQ backup test <backup@vq.test>", "default", "default", "never"), env, "");
      assertThat(gen.ok()).as(gen.output()).isTrue();
      Path backups = dir.resolve("gpg");
      BackupScripts.Result r = BackupScripts.run(List.of("scripts/backup.sh", "--pg-url", SERVER.pgUrl(), "--dir",
          backups.toString(), "--metrics-dir", "", "--gpg-recipient", "backup@vq.test"), env, "");
      assertThat(r.ok()).as(r.output()).isTrue();
      Path file = BackupScripts.onlyBackup(backups);
      assertThat(file.getFileName().toString()).endsWith(".dump.gpg");
      roundTrip(file, List.of(), env);
    } finally {
      BackupScripts.run(List.of("gpgconf", "--kill", "gpg-agent"), env, ""); // the agent gpg started for this home
    }
  }

  /** The file is not a readable dump as it is, and restore.sh with the key restores and verifies it. */
  private void roundTrip(Path file, List<String> keyOptions, Map<String, String> env) throws Exception {
    byte[] head = Arrays.copyOf(Files.readAllBytes(file), 5);
    assertThat(new String(head, StandardCharsets.ISO_8859_1)).as("custom-format dumps start with PGDMP")
        .isNotEqualTo("PGDMP");
    String target = target();
    BackupScripts.Result restored = BackupScripts.restore(SERVER, file, target, keyOptions, env);
    assertThat(restored.ok()).as(restored.output()).isTrue();
    assertThat(restored.output()).contains("row counts equal the snapshot's");
    try (var c = TestServer.jdbc(SERVER.pgUrl(), target); var rs = c.createStatement().executeQuery("SELECT count(*) FROM tenants")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(SERVER.count("SELECT count(*) FROM tenants"));
    }
  }

  @Test
  void aVerifiedRestoreSwitchesTheEnvFileRestartsAndWaitsForReady() throws Exception {
    Path backups = dir.resolve("switch");
    BackupScripts.Result b = backup(SERVER.pgUrl(), backups, dir.resolve("textfile"));
    assertThat(b.ok()).as(b.output()).isTrue();
    Path env = Files.writeString(dir.resolve("server.env"), "VQ_PROFILE=prod\nVQ_PG_URL=postgresql://old-host/vq\n");
    Path restarted = dir.resolve("restarted");
    String target = target();
    BackupScripts.Result r = BackupScripts.restore(SERVER, BackupScripts.onlyBackup(backups), target, List.of(
        "--switch-env", env.toString(), "--restart-command", "touch " + restarted,
        "--ready-url", SERVER.management() + "/health/ready"), Map.of());
    assertThat(r.ok()).as(r.output()).isTrue();
    assertThat(Files.readAllLines(env)).containsExactly("VQ_PROFILE=prod",
        "VQ_PG_URL=" + SERVER.pgUrl().replaceAll("/[^/]+$", "/" + target));
    assertThat(restarted).as("the restart command ran").exists();
    assertThat(r.output()).contains("serving again: " + SERVER.management() + "/health/ready answers 200");
  }

  @Test
  void aRestoreThatFailsVerificationSwitchesNothing() throws Exception {
    Path backups = dir.resolve("noswitch");
    BackupScripts.Result b = backup(SERVER.pgUrl(), backups, dir.resolve("textfile"));
    assertThat(b.ok()).as(b.output()).isTrue();
    Path file = BackupScripts.onlyBackup(backups);
    Path manifest = Path.of(file + ".json");
    Files.writeString(manifest, Files.readString(manifest).replaceAll("\"tenants\" : [0-9]+", "\"tenants\" : 99"));
    Path env = Files.writeString(dir.resolve("server.env"), "VQ_PG_URL=postgresql://old-host/vq\n");
    BackupScripts.Result r = BackupScripts.restore(SERVER, file, target(), List.of("--switch-env", env.toString()),
        Map.of());
    assertThat(r.exit()).as(r.output()).isEqualTo(3);
    assertThat(r.output()).containsPattern("tenants: [0-9]+ rows, the backup's snapshot had 99").contains("VERIFICATION FAILED");
    assertThat(env).hasContent("VQ_PG_URL=postgresql://old-host/vq");
  }

  @Test
  void setupInstallsTimersOnceAndASecondRunChangesNothing() throws Exception {
    Path root = dir.resolve("root");
    List<String> cmd = List.of("scripts/setup-backups.sh", "--root", root.toString(), "--no-start",
        "--app-dir", "/opt/virtual-queue");
    Map<String, String> env = Map.of("VQ_BACKUP_PG_URL", "postgresql:///vq_prod");
    BackupScripts.Result first = BackupScripts.run(cmd, env, "");
    assertThat(first.ok()).as(first.output()).isTrue();
    Path unit = root.resolve("etc/systemd/system/virtual-queue-backup.service");
    assertThat(Files.readString(unit)).contains("ExecStart=/opt/virtual-queue/scripts/backup.sh")
        .contains("EnvironmentFile=/etc/default/virtual-queue-backup").doesNotContain("@APP_DIR@");
    assertThat(root.resolve("etc/systemd/system/virtual-queue-restore-drill.timer")).exists();
    assertThat(Files.readString(root.resolve("etc/default/virtual-queue-backup")))
        .contains("VQ_BACKUP_PG_URL=postgresql:///vq_prod").contains("VQ_JAR=/opt/virtual-queue/target/virtual-queue.jar");
    assertThat(root.resolve("var/backups/virtual-queue")).isDirectory();
    BackupScripts.Result second = BackupScripts.run(cmd, env, "");
    assertThat(second.output()).contains("done: 0 file(s) changed").contains("kept /etc/default/virtual-queue-backup");

    BackupScripts.Result cron = BackupScripts.run(List.of("scripts/setup-backups.sh", "--root", root.toString(),
        "--cron", "--app-dir", "/opt/virtual-queue"), env, "");
    assertThat(cron.ok()).as(cron.output()).isTrue();
    assertThat(Files.readString(root.resolve("etc/cron.d/virtual-queue-backup")))
        .contains("/opt/virtual-queue/scripts/backup.sh").contains("/opt/virtual-queue/scripts/restore-drill.sh");
  }

  private static BackupScripts.Result backup(String url, Path backups, Path textfile) {
    return BackupScripts.run(List.of("scripts/backup.sh", "--pg-url", url, "--dir", backups.toString(),
        "--metrics-dir", textfile.toString()));
  }

  private String target() {
    String t = "vq_it_enc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    dropAfter.add(t);
    return t;
  }

  private static String database() {
    return SERVER.pgUrl().replaceAll(".*/", "");
  }
}
