package dev.virtualqueue.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.ChildServer;
import dev.virtualqueue.testing.Redis;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/backup.sh while people join and staff call, then scripts/restore.sh into a new database:
 * every ticket, event, queue and counter of the dump's snapshot is there, row for row; a server
 * started on the restored database with an empty Redis rebuilds the lines and tells every waiting
 * ticket its exact position; a corrupted or truncated dump is refused before anything is touched;
 * and scripts/restore-drill.sh matches production up to the backup and catches a restore that
 * misses rows production had at that point.
 */
class BackupRestoreIT {
  @RegisterExtension
  static final TestServer SERVER = TestServer.perClass();
  static final List<String> COMPARED = List.of("tickets", "ticket_events", "queues", "counters");
  private static Staff staff;
  private static String queueId;
  private static String counterId;
  private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final List<String> dropAfter = new ArrayList<>();
  @TempDir
  Path dir;

  @BeforeAll
  static void queueWithACounter() {
    staff = SERVER.tenant("bak");
    queueId = staff.queue("line").getString("id");
    counterId = staff.openCounter(queueId, "Counter 1");
  }

  @AfterEach
  void dropRestored() {
    dropAfter.forEach(db -> SERVER.sql("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)", "postgres"));
  }

  @AfterAll
  static void forgetTokens() {
    TOKENS.clear();
  }

  @Test
  void aBackupUnderLoadRestoresEveryRowOfItsSnapshotAndExactPositions() throws Exception {
    Map<String, List<String>> snapshot;
    int joinsDuringBackup;
    try (Load load = Load.start(); Connection c = SERVER.database()) {
      load.awaitJoins(60);
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      String id = one(c, "SELECT pg_export_snapshot()");
      int before = load.joins.get();
      BackupScripts.Result backup = BackupScripts.run(List.of("scripts/backup.sh", "--pg-url", SERVER.pgUrl(),
          "--dir", dir.toString(), "--metrics-dir", dir.resolve("textfile").toString(), "--snapshot", id));
      joinsDuringBackup = load.joins.get() - before;
      assertThat(backup.ok()).as(backup.output()).isTrue();
      snapshot = rows(c); // the very snapshot the dump was taken in
      c.commit();
      load.awaitJoins(load.joins.get() + 20); // production moves on past the backup
      load.stopAndCheck();
    }
    assertThat(joinsDuringBackup).as("joins answered while the backup ran").isPositive();
    assertThat(SERVER.count("SELECT count(*) FROM tickets")).isGreaterThan(snapshot.get("tickets").size());

    String restored = "vq_it_restored_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    dropAfter.add(restored);
    BackupScripts.Result restore = restore(BackupScripts.onlyBackup(dir), restored);
    assertThat(restore.ok()).as(restore.output()).isTrue();
    assertThat(restore.output()).contains("checksum ok", "schema valid at version", "row counts equal the snapshot's",
        "bak: ok", "each has the status of its last event", "restored and verified");
    String restoredUrl = SERVER.pgUrl().replaceAll("/[^/]+$", "/" + restored);
    try (Connection r = TestServer.jdbc(SERVER.pgUrl(), restored)) {
      Map<String, List<String>> back = rows(r);
      for (String table : COMPARED) {
        assertThat(back.get(table)).as("%s restored, row for row", table).isNotEmpty()
            .containsExactlyElementsOf(snapshot.get(table));
      }
    }
    positionsAreExactOnTheRestoredDatabase(restoredUrl, snapshot.get("waiting"));
  }

  /** A server on the restored database and an empty Redis prefix: it rebuilds the lines from Postgres. */
  private void positionsAreExactOnTheRestoredDatabase(String restoredUrl, List<String> waitingInOrder) throws Exception {
    String prefix = "vqitrestored" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    assertThat(waitingInOrder).as("tickets waiting in the snapshot").hasSizeGreaterThan(5);
    try (ChildServer child = ChildServer.start(SERVER, Map.of("VQ_PG_URL", restoredUrl, "VQ_REDIS_KEY_PREFIX", prefix),
        "backup-restore-child.log")) {
      for (int i = 0; i < waitingInOrder.size(); i++) {
        String id = waitingInOrder.get(i);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(child.base() + "/api/v1/tickets/" + id))
            .header("X-Ticket-Token", TOKENS.get(id)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject t = new JsonObject(r.body());
        assertThat(t.getString("status")).isEqualTo("waiting");
        assertThat(t.getInteger("position")).as("position of ticket %s", t.getString("code")).isEqualTo(i + 1);
      }
    } finally {
      Redis.deleteKeys(TestServer.REDIS_URL, prefix + ":*");
    }
  }

  @Test
  void aCorruptedOrTruncatedDumpIsRefusedBeforeAnythingIsTouched() throws Exception {
    BackupScripts.Result backup = BackupScripts.run(List.of("scripts/backup.sh", "--pg-url", SERVER.pgUrl(),
        "--dir", dir.resolve("good").toString(), "--metrics-dir", ""));
    assertThat(backup.ok()).as(backup.output()).isTrue();
    Path good = BackupScripts.onlyBackup(dir.resolve("good"));
    byte[] bytes = Files.readAllBytes(good);

    byte[] flipped = bytes.clone();
    flipped[bytes.length / 2] ^= 0x01;
    Path corrupted = copyWithSidecars(good, dir.resolve("corrupted"), flipped);
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 100);
    Path cut = copyWithSidecars(good, dir.resolve("truncated"), truncated);
    for (Path bad : List.of(corrupted, cut)) {
      String target = "vq_it_refused_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
      dropAfter.add(target);
      BackupScripts.Result r = restore(bad, target);
      assertThat(r.exit()).as(r.output()).isEqualTo(3);
      assertThat(r.output()).contains("restore refused: checksum mismatch").doesNotContain("created database");
      assertThat(SERVER.count("SELECT count(*) FROM pg_database WHERE datname = '" + target + "'"))
          .as("nothing was created").isZero();
    }
    Files.delete(dir.resolve("corrupted").resolve(good.getFileName() + ".sha256"));
    dropAfter.add("vq_it_refused_nosum");
    BackupScripts.Result noSum = restore(corrupted, "vq_it_refused_nosum");
    assertThat(noSum.exit()).isEqualTo(3);
    assertThat(noSum.output()).contains("no checksum file");

    String target = "vq_it_good_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    dropAfter.add(target);
    BackupScripts.Result ok = restore(good, target);
    assertThat(ok.ok()).as("the untouched original restores: %s", ok.output()).isTrue();
  }

  @Test
  void theRestoreDrillMatchesProductionUpToTheBackupAndCatchesMissingRows() throws Exception {
    Path backups = dir.resolve("backups");
    Path textfile = dir.resolve("textfile");
    try (Load load = Load.start()) {
      load.awaitJoins(30);
      BackupScripts.Result backup = BackupScripts.run(List.of("scripts/backup.sh", "--pg-url", SERVER.pgUrl(),
          "--dir", backups.toString(), "--metrics-dir", textfile.toString()));
      assertThat(backup.ok()).as(backup.output()).isTrue();
      load.awaitJoins(load.joins.get() + 20);
      BackupScripts.Result drill = drill(backups, textfile);
      load.stopAndCheck();
      assertThat(drill.ok()).as(drill.output()).isTrue();
      assertThat(drill.output()).contains("restore drill verified").containsPattern("verified: [1-9][0-9]* production rows");
    }
    Path metrics = textfile.resolve("virtual_queue_restore_drill_" + SERVER.pgUrl().replaceAll(".*/", "") + ".prom");
    assertThat(BackupScripts.metric(metrics, "vq_backup_restore_verified_timestamp_seconds"))
        .isCloseTo(System.currentTimeMillis() / 1000.0, Offset.offset(120.0));

    // a manifest that claims a later snapshot than the dump holds: production has rows up to that
    // point that the restore lacks, and the drill must say so
    Path manifest = Path.of(BackupScripts.onlyBackup(backups) + ".json");
    String later = SERVER.scalar("SELECT pg_current_snapshot()::text");
    Files.writeString(manifest, Files.readString(manifest).replaceAll("\"pgSnapshot\": \"[^\"]*\"",
        "\"pgSnapshot\": \"" + later + "\""));
    Files.delete(metrics);
    BackupScripts.Result caught = drill(backups, textfile);
    assertThat(caught.exit()).as(caught.output()).isEqualTo(3);
    assertThat(caught.output()).contains("RESTORE DRILL FAILED").containsPattern("tickets: [1-9][0-9]* of [0-9]+ rows");
    assertThat(metrics).as("a failed drill verifies nothing").doesNotExist();
  }

  private static BackupScripts.Result drill(Path backups, Path textfile) {
    return BackupScripts.run(List.of("scripts/restore-drill.sh", "--pg-url", SERVER.pgUrl(), "--dir", backups.toString(),
        "--metrics-dir", textfile.toString(), "--jar", BackupScripts.jar()));
  }

  static BackupScripts.Result restore(Path backup, String target) {
    return BackupScripts.restore(SERVER, backup, target, List.of(), Map.of());
  }

  private static Path copyWithSidecars(Path dump, Path toDir, byte[] content) throws Exception {
    Files.createDirectories(toDir);
    for (String suffix : List.of(".sha256", ".json")) {
      Files.copy(Path.of(dump + suffix), toDir.resolve(dump.getFileName() + suffix), StandardCopyOption.REPLACE_EXISTING);
    }
    return Files.write(toDir.resolve(dump.getFileName()), content);
  }

  /** Every row of the compared tables as text, in key order, plus the waiting tickets in line order. */
  private static Map<String, List<String>> rows(Connection c) throws Exception {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String table : COMPARED) {
      out.put(table, list(c, "SELECT t::text FROM " + table + " t ORDER BY id"));
    }
    out.put("waiting", list(c, "SELECT id::text FROM tickets WHERE status = 'waiting' AND queue_id = '" + queueId
        + "' ORDER BY class_rank, number"));
    return out;
  }

  private static List<String> list(Connection c, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (var rs = c.createStatement().executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static String one(Connection c, String sql) throws Exception {
    return list(c, sql).get(0);
  }

  /** People joining and a counter calling, each on its own thread, until closed. */
  static final class Load implements AutoCloseable {
    final AtomicInteger joins = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final List<Future<?>> tasks = new ArrayList<>();

    static Load start() {
      Load l = new Load();
      l.tasks.add(l.pool.submit(l::join));
      l.tasks.add(l.pool.submit(l::call));
      return l;
    }

    private Void join() {
      while (running.get()) {
        JsonObject t = staff.join("line");
        TOKENS.put(t.getString("id"), t.getString("token"));
        joins.incrementAndGet();
      }
      return null;
    }

    /** Calls the next person, then "done and call next" for whoever is at the counter, in a loop. */
    private Void call() throws InterruptedException {
      JsonObject atCounter = staff.call("GET", "/api/v1/counters/" + counterId).json().getJsonObject("current");
      String current = atCounter == null ? null : atCounter.getString("id"); // left there by an earlier test
      while (running.get()) {
        Resp r = current == null ? staff.callNext(counterId) : staff.call("POST", "/api/v1/counters/" + counterId
            + "/complete-and-call-next", new JsonObject().put("ticketId", current).encode());
        if (r.status() == 200) {
          current = r.json().getString("id");
          calls.incrementAndGet();
        } else if (r.status() == 204) {
          current = null;
        } else {
          throw new IllegalStateException("call: " + r);
        }
        Thread.sleep(20); // the line grows: joins outpace calls, so some are waiting at any time
      }
      return null;
    }

    void awaitJoins(int n) throws Exception {
      long end = System.currentTimeMillis() + 60_000;
      while (joins.get() < n && System.currentTimeMillis() < end && tasks.stream().noneMatch(Future::isDone)) {
        Thread.sleep(10);
      }
      for (Future<?> f : tasks) {
        if (f.isDone()) {
          f.get(); // rethrows why the load stopped
        }
      }
      assertThat(joins.get()).as("joins so far").isGreaterThanOrEqualTo(n);
    }

    /** Stops, and fails if a join or call failed on the way. */
    void stopAndCheck() throws Exception {
      running.set(false);
      for (Future<?> f : tasks) {
        f.get(30, TimeUnit.SECONDS);
      }
      assertThat(calls.get()).as("calls made").isPositive();
    }

    @Override
    public void close() {
      running.set(false);
      pool.shutdownNow();
    }
  }
}
