package dev.virtualqueue.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.PrivatePostgres;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Postgres crashes ({@code pg_ctl stop -m immediate}) under a join and call load, and comes back.
 * A checker then asserts the rules: no acknowledged ticket is lost, no request was answered 500
 * (outages and ambiguous commits are 503 store.unavailable with Retry-After), a retry with the
 * same Idempotency-Key returns the saved ticket with its position, and within 10 s of Postgres
 * being back every waiting ticket's position equals its rank in Postgres.
 */
class PostgresCrashIT {
  static final int JOINERS = 4;
  PrivatePostgres pg;
  TestServer server;

  @BeforeEach
  void start() throws Exception {
    pg = PrivatePostgres.start();
    server = TestServer.start(pg.url(), TestServer.REDIS_URL, Map.of("VQ_PG_CONNECT_TIMEOUT_SECONDS", "2"));
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    pg.close();
  }

  /** One join attempt stream: the key is kept until the join is acknowledged, as a client would. */
  private record Outcome(String key, String id, String token) {
  }

  @Test
  void aCrashLosesNothingAnswersNo500AndPositionsAreExactSoonAfter() throws Exception {
    Staff staff = server.tenant("crash");
    String queueId = staff.queue("line").getString("id");
    String counter = staff.openCounter(queueId, "Desk 1");
    String join = "/api/v1/public/crash/queues/line/tickets";
    Load load = new Load();
    ExecutorService pool = Executors.newFixedThreadPool(JOINERS + 1);
    for (int i = 0; i < JOINERS; i++) {
      pool.submit(() -> load.joins(join));
    }
    pool.submit(() -> load.calls(staff, counter));

    sleep(2_000);
    pg.crash();
    sleep(2_000);
    pg.startServer();
    long back = System.nanoTime();
    sleep(3_000);
    load.running.set(false);
    pool.shutdown();
    assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    load.retryPending(join);
    System.out.printf("PostgresCrashIT: statuses %s, %d acknowledged, %d retried after%n", load.statuses,
        load.acked.size(), load.pending.size());
    assertThat(load.bad).as("answers other than 201 or 503 with Retry-After").isEmpty();
    assertThat(load.statuses.keySet()).doesNotContain(500);
    assertThat(load.statuses.get(503)).as("the crash was felt").isNotNull();

    Map<String, String> pgStatus = statusesInPostgres();
    List<String> lost = load.acked.values().stream().filter(o -> !pgStatus.containsKey(o.id())).map(Outcome::id)
        .toList();
    assertThat(lost).as("acknowledged tickets lost").isEmpty();

    long exactAfter = waitUntilExact(load.acked, queueId, back);
    System.out.printf("PostgresCrashIT: positions exact %d ms after Postgres was back%n", exactAfter);
    assertThat(exactAfter).isLessThan(10_000);
  }

  /** The joiners' and the caller's traffic through the crash, and what it got back. */
  private final class Load {
    final Map<String, Outcome> acked = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> pending = new ConcurrentLinkedQueue<>();
    final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    final List<String> bad = new ArrayList<>();
    final AtomicBoolean running = new AtomicBoolean(true);

    /** Joins until stopped; a key is kept until its join is acknowledged, and left pending at the end. */
    Void joins(String join) {
      String key = null;
      while (running.get()) {
        key = key == null ? UUID.randomUUID().toString() : key;
        Resp r = attempt(join, key);
        statuses.computeIfAbsent(r.status(), s -> new AtomicInteger()).incrementAndGet();
        if (r.status() == 201) {
          acked.put(key, new Outcome(key, r.json().getString("id"), r.json().getString("token")));
          key = null;
        } else if (r.status() == 503 && r.header("Retry-After") != null) {
          sleep(50);
        } else {
          synchronized (bad) {
            bad.add(r.toString());
          }
          sleep(50);
        }
      }
      if (key != null) {
        pending.add(key);
      }
      return null;
    }

    /** Calls next and serves until stopped. */
    Void calls(Staff staff, String counter) {
      while (running.get()) {
        Resp r = staff.call("POST", "/api/v1/counters/" + counter + "/call-next");
        statuses.computeIfAbsent(r.status(), s -> new AtomicInteger()).incrementAndGet();
        if (r.status() == 200) {
          serve(staff, r.json().getString("id"));
        } else if (r.status() >= 500 && (r.status() != 503 || r.header("Retry-After") == null)) {
          synchronized (bad) {
            bad.add("call-next " + r);
          }
        }
        sleep(150);
      }
      return null;
    }

    /** Clients retry what was never acknowledged, with the same key: the saved ticket comes back. */
    void retryPending(String join) {
      for (String key : pending) {
        Resp r = attempt(join, key);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().getString("status")).isEqualTo("waiting");
        assertThat(r.json().getLong("position")).as("a retried join has its position").isNotNull();
        acked.put(key, new Outcome(key, r.json().getString("id"), r.json().getString("token")));
      }
    }
  }

  /** Starts and completes a called ticket, retrying through the outage (the counter is busy until then). */
  private static void serve(Staff staff, String id) {
    for (String step : List.of("start", "complete")) {
      for (int i = 0; i < 100; i++) {
        int status = staff.call("POST", "/api/v1/tickets/" + id + "/" + step).status();
        if (status == 200 || status == 409) {
          break;
        }
        sleep(100);
      }
    }
  }

  private Resp attempt(String join, String key) {
    try {
      return server.http("POST", join, "{}", "Idempotency-Key", key);
    } catch (IllegalStateException e) {
      throw new AssertionError("join got no answer", e);
    }
  }

  /** Polls until every waiting acknowledged ticket shows its rank in Postgres; returns the delay. */
  private long waitUntilExact(Map<String, Outcome> acked, String queueId, long back) throws Exception {
    List<String> wrong = List.of();
    while (System.nanoTime() - back < TimeUnit.SECONDS.toNanos(20)) {
      Map<String, Long> rank = ranksInPostgres(queueId);
      wrong = new ArrayList<>();
      for (Outcome o : acked.values()) {
        Resp r = server.http("GET", "/api/v1/tickets/" + o.id(), null, "X-Ticket-Token", o.token());
        Long expected = rank.get(o.id());
        Long shown = r.status() == 200 ? r.json().getLong("position") : null;
        if (r.status() != 200 || !Objects.equals(expected, shown)) {
          wrong.add(o.id() + " shows " + shown + " (" + r.status() + ") but is " + expected);
        }
      }
      if (wrong.isEmpty() && ranksInPostgres(queueId).equals(rank)) {
        return (System.nanoTime() - back) / 1_000_000;
      }
      sleep(250);
    }
    throw new AssertionError("positions still wrong 20 s after Postgres was back: " + wrong.size() + ", e.g. "
        + wrong.subList(0, Math.min(5, wrong.size())));
  }

  private Map<String, String> statusesInPostgres() throws Exception {
    Map<String, String> out = new HashMap<>();
    try (var c = server.database(); ResultSet rs = c.createStatement().executeQuery("SELECT id, status FROM tickets")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  private Map<String, Long> ranksInPostgres(String queueId) throws Exception {
    Map<String, Long> out = new HashMap<>();
    try (var c = server.database(); ResultSet rs = c.createStatement().executeQuery(
        "SELECT id, row_number() OVER (ORDER BY class_rank, number) FROM tickets WHERE status = 'waiting'"
            + " AND queue_id = '" + queueId + "'")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
    }
    return out;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
