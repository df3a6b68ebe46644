package dev.virtualqueue.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.PrivatePostgres;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admitter against its own Postgres frozen (SIGSTOP on the postmaster and every backend for 8 s)
 * and crashed (SIGKILL on all of them, then a restart): joins answer (201, or 503 with Retry-After)
 * instead of hanging, the max-active cap is never passed, admission resumes at the room's rate with
 * no more than the 1 s catch-up, and every admitted ticket has exactly one session. While Postgres is
 * frozen a join is answered 503 once the query deadline passes (2 s here, the default), not after the
 * freeze; after a kill within milliseconds. Each join carries an Idempotency-Key: a join answered 503
 * may still have been written when Postgres woke, so the keys answered 503 are retried afterwards, and
 * the room then holds exactly one ticket per key answered 201: none lost, none twice.
 */
class AdmitterDatabaseFaultIT {
  static final int RATE_PER_SECOND = 2;
  static final int CAP = 3;
  static final long QUERY_TIMEOUT_MS = 2_000;
  static final long JOIN_BOUND_MS = QUERY_TIMEOUT_MS + 1_000;
  PrivatePostgres pg;
  TestServer server;

  @BeforeEach
  void start() throws Exception {
    pg = PrivatePostgres.start();
    server = TestServer.start(pg.url(), TestServer.REDIS_URL, Map.of("VQ_PG_CONNECT_TIMEOUT_SECONDS", "2",
        "VQ_PG_QUERY_TIMEOUT_MILLIS", String.valueOf(QUERY_TIMEOUT_MS)));
  }

  @AfterEach
  void stop() throws Exception {
    try {
      pg.signal("CONT");
    } catch (Exception | Error notRunning) {
      // already running or stopped
    }
    if (server != null) {
      server.close();
    }
    pg.close();
  }

  @Test
  void aFrozenDatabase() throws Exception {
    Joins joins = run(() -> {
      pg.signal("STOP");
      sleep(8_000);
      pg.signal("CONT");
    });
    assertThat(joins.statuses).as("joins during an 8 s freeze are refused at the deadline").containsKey(503);
  }

  @Test
  void aKilledDatabase() throws Exception {
    run(() -> {
      pg.signal("KILL");
      restartAfterKill();
    });
  }

  /** Starts the killed cluster; a backend forked just before the kill may take a moment to notice and exit. */
  private void restartAfterKill() throws Exception {
    for (int attempt = 1; ; attempt++) {
      sleep(1_000);
      try {
        pg.startServer();
        return;
      } catch (IllegalStateException stillAttached) {
        if (attempt == 10) {
          throw stillAttached;
        }
      }
    }
  }

  interface Fault {
    void apply() throws Exception;
  }

  private Joins run(Fault fault) throws Exception {
    Staff staff = server.tenant("db-fault");
    String gate = staff.queue("gate", AdmissionIT.room(new JsonObject().put("maxActiveUsers", CAP)
        .put("newUsersPerMinute", 600))).getString("id");
    String drop = staff.queue("drop", AdmissionIT.room(new JsonObject()
        .put("newUsersPerMinute", RATE_PER_SECOND * 60))).getString("id");
    for (int i = 0; i < 2 * CAP; i++) {
      staff.join("gate");
    }
    for (int i = 0; i < 40; i++) {
      staff.join("drop");
    }
    Poll.until(() -> sessions(gate), n -> n == CAP, 10_000, "the cap fills");

    Joins joins = new Joins();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<?> joiner = pool.submit(joins::loop);
    fault.apply();
    Poll.until(() -> safeCount("SELECT 1"), n -> n == 1, 30_000, "Postgres answers again");
    String back = server.scalar("SELECT now()");
    sleep(4_000);
    joins.running.set(false);
    joiner.get(60, TimeUnit.SECONDS);
    pool.shutdown();

    System.out.printf("AdmitterDatabaseFaultIT: joins %s, slowest %d ms%n", joins.statuses, joins.slowest.get());
    assertThat(joins.bad).as("answers other than 201 or 503 with Retry-After").isEmpty();
    assertThat(joins.slowest.get()).as("ms of the slowest join").isLessThan(JOIN_BOUND_MS);
    assertThat(sessions(gate)).as("sessions on the capped room (nobody left)").isEqualTo(CAP);
    assertThat(count("tickets WHERE queue_id = '" + gate + "' AND status = 'admitted'")).isEqualTo(CAP);
    assertRateAfter(drop, back);
    assertNothingLost(joins, drop);
    return joins;
  }

  /** Every key answered 503 is retried now; then the room holds one ticket per key, beside the 40 before. */
  private void assertNothingLost(Joins joins, String drop) {
    for (String key : joins.refused) {
      Resp r = server.http("POST", "/api/v1/public/db-fault/queues/drop/tickets", "{}", "Idempotency-Key", key);
      assertThat(r.status()).as("retry of %s: %s", key, r).isIn(200, 201);
    }
    assertThat(count("tickets WHERE queue_id = '" + drop + "'"))
        .as("tickets in the room: 40 before the fault, one per key of a join during it")
        .isEqualTo(40L + joins.keys.size());
  }

  /** Admission resumed on the uncapped room, without more than the 1 s catch-up, one session per admission. */
  private void assertRateAfter(String drop, String back) {
    long after = count("admission_sessions WHERE queue_id = '" + drop + "' AND admitted_at >= '" + back + "'");
    long in3s = count("admission_sessions WHERE queue_id = '" + drop + "' AND admitted_at >= '" + back
        + "' AND admitted_at < timestamptz '" + back + "' + interval '3 seconds'");
    System.out.printf("AdmitterDatabaseFaultIT: %d admitted in the 4 s after recovery, %d in the first 3 s%n",
        after, in3s);
    assertThat(after).as("admission resumed").isPositive();
    // 3 s at the rate, plus at most 1 s of catch-up, plus one slot of timing slack
    assertThat(in3s).as("no make-up burst").isLessThanOrEqualTo(4L * RATE_PER_SECOND + 1);
    assertThat(count("tickets WHERE queue_id = '" + drop + "' AND status = 'admitted'"))
        .as("every admitted ticket has its one session").isEqualTo(sessions(drop));
  }

  /** A client joining the uncapped room through the fault, timing each answer. */
  private final class Joins {
    final AtomicBoolean running = new AtomicBoolean(true);
    final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    final List<String> bad = new ArrayList<>();
    final AtomicLong slowest = new AtomicLong();
    final List<String> keys = new ArrayList<>();
    final List<String> refused = new ArrayList<>();

    Void loop() {
      while (running.get()) {
        long t0 = System.nanoTime();
        Resp r;
        String key = UUID.randomUUID().toString();
        keys.add(key);
        try {
          r = server.http("POST", "/api/v1/public/db-fault/queues/drop/tickets", "{}", "Idempotency-Key", key);
          if (r.status() == 503) {
            refused.add(key);
          }
        } catch (IllegalStateException e) {
          refused.add(key);
          bad.add("no answer: " + e.getMessage());
          continue;
        }
        slowest.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
        statuses.computeIfAbsent(r.status(), s -> new AtomicInteger()).incrementAndGet();
        if (r.status() != 201 && (r.status() != 503 || r.header("Retry-After") == null)) {
          bad.add(r.toString());
        }
        sleep(200);
      }
      return null;
    }
  }

  private long sessions(String queueId) {
    return count("admission_sessions WHERE queue_id = '" + queueId + "'");
  }

  private long count(String where) {
    return server.count("SELECT count(*) FROM " + where);
  }

  private long safeCount(String query) {
    try {
      return server.count(query);
    } catch (IllegalStateException notYet) {
      return 0;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
