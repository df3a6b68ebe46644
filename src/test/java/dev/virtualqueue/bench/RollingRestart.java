package dev.virtualqueue.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The client side of scripts/rolling-restart.sh: people and staff using the queue through nginx
 * while the script restarts the servers behind it one by one. It takes N tickets, holds N live
 * sockets ({@link RollingClient}, which behaves as the page does), writes {@code ready} into the
 * control folder, then joins and calls at a steady rate until the script writes {@code done}.
 * Then it checks: no acknowledged ticket lost or doubled, every socket at its true position (the
 * staff list from Postgres), no request failed that a real client would not retry, and prints the
 * figures. Exit 0 only when every check holds. Loopback only, bounded in time.
 *
 * <p>System properties: vq.port (nginx), vq.sockets, vq.control (folder), vq.joinsPerSecond,
 * vq.callsPerSecond, vq.maxSeconds (bound of the load phase).
 */
public final class RollingRestart {
  private static final String TENANT = "demo";
  private static final int COUNTERS = 4;
  private static final int RETRIES = 6;
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  private final int port = Integer.getInteger("vq.port", 30100);
  private final int sockets = Integer.getInteger("vq.sockets", 2000);
  private final Path control = Path.of(System.getProperty("vq.control", "target/rolling-restart"));
  private final int joinsPerSecond = Integer.getInteger("vq.joinsPerSecond", 2);
  private final int callsPerSecond = Integer.getInteger("vq.callsPerSecond", 1);
  private final int maxSeconds = Integer.getInteger("vq.maxSeconds", 600);
  private final HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(port).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(32));
  private final WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(40_000)
      .setConnectTimeout(10_000));
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final BenchHttp staff = new BenchHttp(vertx, http, problem -> { });
  private final BenchHttp people = new BenchHttp(vertx, http, problem -> { });
  private final RollingClient.Counters counters = new RollingClient.Counters();
  private final List<RollingClient> clients = new CopyOnWriteArrayList<>();
  /** Every ticket a join answered with 201, by id. */
  private final Map<String, JsonObject> joined = new ConcurrentHashMap<>();
  /** Every ticket a call-next answered with. */
  private final Set<String> called = ConcurrentHashMap.newKeySet();
  private final String[] held = new String[COUNTERS];
  private final List<String> counterIds = new ArrayList<>();
  private String queueSlug;
  private String queueId;

  public static void main(String[] args) {
    int code;
    try {
      code = new RollingRestart().run();
    } catch (Exception e) {
      e.printStackTrace();
      code = 1;
    }
    System.exit(code); // the client's event loops would keep the JVM (and the script) alive
  }

  private int run() throws Exception {
    setUp();
    long t0 = System.currentTimeMillis();
    List<JsonObject> first = new ArrayList<>();
    for (int i = 0; i < sockets; i += 50) {
      List<Future<JsonObject>> batch = new ArrayList<>();
      for (int j = i; j < Math.min(sockets, i + 50); j++) {
        batch.add(join());
      }
      Future.all(batch).toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
      batch.forEach(f -> first.add(f.result()));
    }
    System.out.printf("SETUP    %d tickets in %.1f s%n", first.size(), (System.currentTimeMillis() - t0) / 1000.0);
    connectAll(first);
    Files.writeString(control.resolve("ready"), "ready\n");
    load();
    return check();
  }

  /** Signs in (the dev profile's demo owner), creates the run's queue and opens its counters. */
  private void setUp() throws Exception {
    staff.token(await(staff.call(HttpMethod.POST, "/api/v1/auth/login", new JsonObject().put("tenant", TENANT)
        .put("email", "owner@demo.test").put("password", "demo-password"))).getString("accessToken"));
    queueSlug = "rolling-" + System.currentTimeMillis() % 1_000_000;
    queueId = await(staff.call(HttpMethod.POST, "/api/v1/queues", new JsonObject().put("slug", queueSlug)
        .put("name", "Rolling restart").put("serviceTimeGuessSeconds", 60))).getString("id");
    for (int i = 0; i < COUNTERS; i++) {
      String c = await(staff.call(HttpMethod.POST, "/api/v1/queues/" + queueId + "/counters",
          new JsonObject().put("name", "C" + i))).getString("id");
      await(staff.call(HttpMethod.POST, "/api/v1/counters/" + c + "/open", null));
      counterIds.add(c);
    }
  }

  /** Opens the sockets at about 100 a second, as pages would arrive; waits until each shows its state. */
  private void connectAll(List<JsonObject> tickets) throws Exception {
    long t0 = System.currentTimeMillis();
    for (int i = 0; i < tickets.size(); i++) {
      long due = t0 + i * 10L;
      long wait = due - System.currentTimeMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      open(tickets.get(i));
    }
    long end = System.currentTimeMillis() + 60_000;
    while (clients.stream().anyMatch(c -> !c.live()) && System.currentTimeMillis() < end) {
      Thread.sleep(100);
    }
    System.out.printf("CONNECT  %d sockets live after %.1f s (connect p50=%d p99=%d ms)%n",
        clients.stream().filter(RollingClient::live).count(), (System.currentTimeMillis() - t0) / 1000.0,
        counters.connect.p(50), counters.connect.p(99));
  }

  private void open(JsonObject ticket) {
    RollingClient c = new RollingClient(ticket.getString("id"), ticket.getString("token"), vertx, ws, port, counters);
    clients.add(c);
    c.start();
  }

  /** Joins and calls every second until the script says done (or the bound runs out). */
  private void load() throws Exception {
    long end = System.currentTimeMillis() + maxSeconds * 1000L;
    int next = 0;
    while (!Files.exists(control.resolve("done")) && System.currentTimeMillis() < end) {
      long tick = System.currentTimeMillis();
      List<Future<?>> ops = new ArrayList<>();
      for (int i = 0; i < joinsPerSecond; i++) {
        ops.add(join().onSuccess(this::open).recover(t -> Future.succeededFuture()));
      }
      for (int i = 0; i < callsPerSecond; i++) {
        ops.add(callNext(next++ % COUNTERS));
      }
      Future.join(ops).toCompletionStage().toCompletableFuture().exceptionally(e -> null).get(60, TimeUnit.SECONDS);
      long rest = 1000 - (System.currentTimeMillis() - tick);
      if (rest > 0) {
        Thread.sleep(rest);
      }
    }
  }

  /** A join as the page sends it: a fresh Idempotency-Key, kept for every retry of it. */
  private Future<JsonObject> join() {
    String key = UUID.randomUUID().toString();
    return retrying("join", () -> people.call(HttpMethod.POST, "/api/v1/public/" + TENANT + "/queues/" + queueSlug
        + "/tickets", new JsonObject(), Map.of("Idempotency-Key", key)))
        .onSuccess(t -> joined.put(t.getString("id"), t));
  }

  /**
   * A counter finishes whom it called (no-show) and calls the next one. Neither is retried blindly:
   * a call is not idempotent. A failed call reads the counter back, as the staff console does.
   */
  private Future<?> callNext(int c) {
    String counter = counterIds.get(c);
    Future<?> done = held[c] == null ? Future.succeededFuture()
        : counted("no-show", staff.call(HttpMethod.POST, "/api/v1/tickets/" + held[c] + "/no-show", null));
    return done.compose(v -> counted("call-next", staff.call(HttpMethod.POST, "/api/v1/counters/" + counter
            + "/call-next", null)))
        .onSuccess(t -> {
          held[c] = t == null ? null : t.getString("id");
          if (t != null) {
            called.add(t.getString("id"));
          }
        })
        .recover(t -> staff.call(HttpMethod.GET, "/api/v1/counters/" + counter, null).map(cv -> {
          JsonObject current = cv.getJsonObject("current");
          held[c] = current == null ? null : current.getString("id");
          if (held[c] != null) {
            called.add(held[c]);
          }
          return null;
        }))
        .recover(t -> Future.succeededFuture());
  }

  /** Counts one request; a failure is a failure (no retry). */
  private <T> Future<T> counted(String what, Future<T> call) {
    requests.incrementAndGet();
    return call.onFailure(t -> fail(what, t));
  }

  /** A request a client may repeat (a read, or a join under its Idempotency-Key), with backoff. */
  private Future<JsonObject> retrying(String what, Supplier<Future<JsonObject>> call) {
    requests.incrementAndGet();
    return attempt(what, call, 1);
  }

  private Future<JsonObject> attempt(String what, Supplier<Future<JsonObject>> call, int n) {
    return call.get().recover(t -> {
      if (n >= RETRIES || !retryable(t)) {
        fail(what, t);
        return Future.failedFuture(t);
      }
      if (n == 1) {
        retried.incrementAndGet();
      }
      return Future.<Void>future(p -> vertx.setTimer(200L * n, id -> p.complete()))
          .compose(v -> attempt(what, call, n + 1));
    });
  }

  /** What the page retries: no answer at all, or a 502/503/504 from the proxy or a stopping server. */
  private static boolean retryable(Throwable t) {
    String m = String.valueOf(t.getMessage());
    return !m.contains(" -> 4");
  }

  private void fail(String what, Throwable t) {
    failed.incrementAndGet();
    if (failures.size() < 20) {
      failures.add(what + ": " + t.getMessage());
    }
  }

  /** Waits for every socket to be live and quiet, then compares what each shows with Postgres. */
  private int check() throws Exception {
    long end = System.currentTimeMillis() + 60_000;
    while (clients.stream().anyMatch(c -> !c.live()) && System.currentTimeMillis() < end) {
      Thread.sleep(200);
    }
    Thread.sleep(3_000); // the last change's coalesced update (VQ_LIVE_COALESCE_MILLIS, 500 ms)
    Map<String, Long> truth = waitingPositions();
    long notLive = clients.stream().filter(c -> !c.live()).count();
    long wrong = 0;
    for (RollingClient c : clients) {
      Long t = truth.get(c.id);
      if (t != null ? !t.equals(c.position()) : "waiting".equals(c.status())) {
        wrong++;
      }
    }
    long lost = joined.keySet().stream().filter(id -> !truth.containsKey(id) && !called.contains(id)).count();
    long extra = truth.keySet().stream().filter(id -> !joined.containsKey(id)).count();
    print(truth.size(), notLive, wrong, lost, extra);
    clients.forEach(RollingClient::stop);
    boolean ok = notLive == 0 && wrong == 0 && lost == 0 && extra == 0 && failed.get() == 0 && counters.byes.get() > 0;
    System.out.println(ok ? "PASS     rolling restart lost no one" : "FAIL     see the lines above");
    return ok ? 0 : 1;
  }

  private void print(int waiting, long notLive, long wrong, long lost, long extra) {
    System.out.printf("SOCKETS  %d held, %d not live at the end; bye received %d, closes %d (%d without bye),"
            + " failed connect attempts %d (retried)%n", clients.size(), notLive, counters.byes.get(),
        counters.closes.get(), counters.closesWithoutBye.get(), counters.failedConnects.get());
    System.out.printf("RECONNECT %d reconnects: time without a live state p50=%d p99=%d max=%d ms (max stale)%n",
        counters.reconnect.count(), counters.reconnect.p(50), counters.reconnect.p(99), counters.reconnect.max());
    System.out.printf("DELIVERY %d updates: change to page p50=%d p99=%d max=%d ms%n", counters.delivery.count(),
        counters.delivery.p(50), counters.delivery.p(99), counters.delivery.max());
    System.out.printf("REQUESTS %d: %d retried by the client and then answered, %d failed%n", requests.get(),
        retried.get(), failed.get());
    failures.forEach(f -> System.out.println("FAILED   " + f));
    System.out.printf("EXACT    %d tickets taken, %d called, %d still waiting; lost=%d doubled=%d"
        + " wrong final positions=%d%n", joined.size(), called.size(), waiting, lost, extra, wrong);
  }

  /** The waiting line in order (the staff list, from Postgres): ticket id to its position. */
  private Map<String, Long> waitingPositions() throws Exception {
    Map<String, Long> truth = new HashMap<>();
    String cursor = null;
    long position = 0;
    do {
      String path = "/api/v1/queues/" + queueId + "/tickets?limit=200" + (cursor == null ? "" : "&cursor=" + cursor);
      JsonObject page = await(staff.call(HttpMethod.GET, path, null));
      JsonArray items = page.getJsonArray("items");
      for (int i = 0; i < items.size(); i++) {
        truth.put(items.getJsonObject(i).getString("id"), ++position);
      }
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    return truth;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
