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
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live-socket benchmark (issue 3): holds N ticket sockets (and a few boards) against one or more
 * running servers, drives calls and joins at set rates, and prints connect latency, delivery
 * latency (change commit to client receive), staleness over time, final exactness and errors.
 * Loopback only; every phase is bounded in time. Run through scripts/bench-live.sh.
 *
 * <p>System properties: vq.ports (comma list of API ports), vq.sockets, vq.connectSeconds,
 * vq.holdSeconds (quiet hold), vq.warmupSeconds (1 call/s, printed apart), vq.slowSeconds (1 call/s),
 * vq.busySeconds (20 calls/s + 100 joins/s),
 * vq.tenant, vq.email, vq.password.
 */
public final class LiveBench {
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  private final int[] ports = Arrays.stream(System.getProperty("vq.ports", "8080").split(",")).mapToInt(Integer::parseInt).toArray();
  private final int sockets = Integer.getInteger("vq.sockets", 10_000);
  private final int connectSeconds = Integer.getInteger("vq.connectSeconds", 60);
  private final int holdSeconds = Integer.getInteger("vq.holdSeconds", 60);
  private final int warmupSeconds = Integer.getInteger("vq.warmupSeconds", 20);
  private final int slowSeconds = Integer.getInteger("vq.slowSeconds", 60);
  private final int busySeconds = Integer.getInteger("vq.busySeconds", 60);
  private final HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(ports[0]).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(32));
  private final WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(40_000)
      .setConnectTimeout(20_000));
  private final List<Sock> socks = new ArrayList<>();
  private final Stats connect = new Stats();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong closedUnexpectedly = new AtomicLong();
  private final BenchHttp api = new BenchHttp(vertx, http, problem -> errors.incrementAndGet());
  private String queueId;
  private final List<String> counters = new ArrayList<>();
  /** The ticket each counter holds (called), finished before the counter calls again. */
  private String[] held;
  private volatile Stats delivery = new Stats();
  private volatile String phase = "setup";

  /** One held socket: its ticket and what it last showed. */
  static final class Sock {
    final String id;
    volatile long position = -1;
    volatile String status;
    volatile long messages;

    Sock(String id) {
      this.id = id;
    }
  }

  public static void main(String[] args) {
    try {
      new LiveBench().run();
      System.exit(0);
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1); // the client's event loops would keep the JVM (and the script) alive
    }
  }

  private void run() throws Exception {
    signInAndOpenCounters();
    held = new String[counters.size()];
    long t0 = System.currentTimeMillis();
    List<JsonObject> tickets = join(sockets, 64);
    System.out.printf("joined %d tickets in %.1f s%n", tickets.size(), (System.currentTimeMillis() - t0) / 1000.0);

    phase = "connect";
    connectAll(tickets);
    System.out.printf("CONNECT  sockets=%d errors=%d  latency p50=%d p99=%d max=%d ms%n", socks.size(), errors.get(),
        connect.p(50), connect.p(99), connect.max());
    connectBoards();

    phase = "hold";
    delivery = new Stats();
    Thread.sleep(holdSeconds * 1000L);
    System.out.printf("HOLD     %d s: open=%d unexpected closes=%d errors=%d%n", holdSeconds, open(),
        closedUnexpectedly.get(), errors.get());

    if (warmupSeconds > 0) {
      // the first calls after the quiet hold run the fan-out before the JIT has compiled it; they
      // are printed on their own line, so the measured minute below is the warm server
      runLoad("warm-up 1 call/s", warmupSeconds, 1, 0);
    }
    runLoad("1 call/s", slowSeconds, 1, 0);
    runLoad("20 calls/s + 100 joins/s", busySeconds, 20, 100);

    phase = "settle";
    Thread.sleep(3_000);
    checkExact();
    System.out.printf("END      open=%d unexpected closes=%d errors=%d%n", open(), closedUnexpectedly.get(), errors.get());
  }

  /** Signs in, creates the bench's queue and opens its 20 counters. */
  private void signInAndOpenCounters() throws Exception {
    api.token(await(post("/api/v1/auth/login", new JsonObject().put("tenant", System.getProperty("vq.tenant", "demo"))
        .put("email", System.getProperty("vq.email", "owner@demo.test"))
        .put("password", System.getProperty("vq.password", "demo-password")))).getString("accessToken"));
    String slug = "bench-" + System.currentTimeMillis() % 1_000_000;
    queueId = await(post("/api/v1/queues", new JsonObject().put("slug", slug).put("name", "Bench " + slug)
        .put("serviceTimeGuessSeconds", 60))).getString("id");
    for (int i = 0; i < 20; i++) {
      String c = await(post("/api/v1/queues/" + queueId + "/counters", new JsonObject().put("name", "C" + i))).getString("id");
      await(post("/api/v1/counters/" + c + "/open", null));
      counters.add(c);
    }
  }

  /** Five boards per server port, to fan out to with the tickets' sockets. */
  private void connectBoards() {
    for (int p : ports) {
      for (int b = 0; b < 5; b++) {
        int port = p;
        ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
            .setURI("/ws/queues/" + queueId + "/board")).onFailure(t -> errors.incrementAndGet());
      }
    }
  }

  private void runLoad(String name, int seconds, int callsPerSecond, int joinsPerSecond) throws Exception {
    phase = name;
    List<Stats> windows = new ArrayList<>();
    long end = System.currentTimeMillis() + seconds * 1000L;
    int counterIndex = 0;
    Stats all = new Stats();
    while (System.currentTimeMillis() < end) {
      delivery = new Stats();
      long windowEnd = System.currentTimeMillis() + 10_000;
      while (System.currentTimeMillis() < Math.min(windowEnd, end)) {
        long tick = System.currentTimeMillis();
        List<Future<?>> ops = new ArrayList<>();
        for (int i = 0; i < callsPerSecond; i++) {
          int c = counterIndex++ % counters.size();
          String counter = counters.get(c);
          Future<?> done = held[c] == null ? Future.succeededFuture()
              : post("/api/v1/tickets/" + held[c] + "/no-show", null).recover(t -> Future.succeededFuture());
          ops.add(done.compose(v -> post("/api/v1/counters/" + counter + "/call-next", null))
              .onSuccess(t -> held[c] = t == null ? null : t.getString("id"))
              .recover(t -> Future.succeededFuture()));
        }
        for (int i = 0; i < joinsPerSecond; i++) {
          ops.add(post("/api/v1/queues/" + queueId + "/tickets", new JsonObject()).recover(t -> Future.succeededFuture()));
        }
        awaitStep(name, ops);
        long rest = 1000 - (System.currentTimeMillis() - tick);
        if (rest > 0) {
          Thread.sleep(rest);
        }
      }
      windows.add(delivery);
      all.addAll(delivery);
    }
    StringBuilder trend = new StringBuilder();
    windows.forEach(w -> trend.append(w.p(99)).append(' '));
    System.out.printf("LOAD     %s for %d s: messages=%d delivery p50=%d p90=%d p99=%d max=%d ms;"
            + " p99 per 10 s window: [%s] errors=%d%n", name, seconds, all.count(), all.p(50), all.p(90), all.p(99),
        all.max(), trend.toString().trim(), errors.get());
  }

  /** One second's requests, answered within 30 s, or the bench stops with what was left unanswered. */
  private void awaitStep(String name, List<Future<?>> ops) throws Exception {
    try {
      Future.join(ops).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      System.out.printf("HANG     %s: requests unanswered after 30 s%n", name);
      api.printInFlight("HANG     in flight: ");
      printSocketQueues();
      throw e;
    }
  }

  private List<JsonObject> join(int n, int parallel) throws Exception {
    List<JsonObject> out = Collections.synchronizedList(new ArrayList<>());
    AtomicLong next = new AtomicLong();
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < parallel; w++) {
      workers.add(joinLoop(n, next, out));
    }
    Future.all(workers).toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    return out;
  }

  private Future<Void> joinLoop(int n, AtomicLong next, List<JsonObject> out) {
    if (next.getAndIncrement() >= n) {
      return Future.succeededFuture();
    }
    return post("/api/v1/queues/" + queueId + "/tickets", new JsonObject()).compose(t -> {
      out.add(t);
      return joinLoop(n, next, out);
    });
  }

  private void connectAll(List<JsonObject> tickets) throws Exception {
    long start = System.currentTimeMillis();
    double perMs = tickets.size() / (connectSeconds * 1000.0);
    List<Future<?>> all = new ArrayList<>();
    for (int i = 0; i < tickets.size(); i++) {
      long due = start + (long) (i / perMs);
      long wait = due - System.currentTimeMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      JsonObject t = tickets.get(i);
      Sock s = new Sock(t.getString("id"));
      socks.add(s);
      int port = ports[i % ports.length];
      long began = System.nanoTime();
      all.add(ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
              .setURI("/ws/tickets/" + t.getString("id") + "?token=" + t.getString("token")))
          .onSuccess(sock -> {
            connect.add((System.nanoTime() - began) / 1_000_000);
            sock.textMessageHandler(text -> onMessage(s, text));
            sock.closeHandler(v -> {
              if (!"settle".equals(phase)) {
                closedUnexpectedly.incrementAndGet();
              }
            });
          })
          .onFailure(e -> errors.incrementAndGet()));
    }
    Future.join(all.stream().map(f -> (Future<?>) f).toList()).toCompletionStage().toCompletableFuture()
        .exceptionally(e -> null).get(2, TimeUnit.MINUTES);
  }

  private void onMessage(Sock s, String text) {
    long now = System.currentTimeMillis();
    JsonObject m = new JsonObject(text);
    s.messages++;
    s.status = m.getString("status");
    Long pos = m.getLong("position");
    s.position = pos == null ? -1 : pos;
    long changedAt = m.getLong("changedAt", 0L);
    if (changedAt > 0 && m.getLong("seq", 0L) > 1) {
      delivery.add(now - changedAt);
    }
  }

  /** Compares every socket's last position with the line in Postgres (staff list, in order). */
  private void checkExact() throws Exception {
    Map<String, Long> truth = new HashMap<>();
    String cursor = null;
    long position = 0;
    do {
      String path = "/api/v1/queues/" + queueId + "/tickets?limit=200" + (cursor == null ? "" : "&cursor=" + cursor);
      JsonObject page;
      try {
        page = await(get(path));
      } catch (TimeoutException e) {
        diagnoseHang(path);
        throw e;
      }
      JsonArray items = page.getJsonArray("items");
      for (int i = 0; i < items.size(); i++) {
        truth.put(items.getJsonObject(i).getString("id"), ++position);
      }
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    long waiting = socks.stream().filter(s -> truth.containsKey(s.id)).count();
    long wrong = countWrong(truth);
    System.out.printf("EXACT    sockets=%d still waiting=%d wrong final positions=%d%n", socks.size(), waiting, wrong);
    if (wrong > 0) {
      // late (a fan-out still under way) or stuck (a recompute lost)? Nothing changes any more, so a
      // later count tells them apart
      Thread.sleep(10_000);
      System.out.printf("EXACT    10 s later: wrong final positions=%d%n", countWrong(truth));
    }
  }

  private long countWrong(Map<String, Long> truth) {
    long wrong = 0;
    for (Sock s : socks) {
      Long t = truth.get(s.id);
      if (t != null ? s.position != t : "waiting".equals(s.status)) {
        wrong++;
      }
    }
    return wrong;
  }

  /**
   * A request went unanswered: tells a stuck pooled connection (client side) from a stuck server by
   * sending the same request on a brand-new connection, and prints the client's own threads.
   */
  private void diagnoseHang(String path) {
    System.out.printf("HANG     no answer in 60 s to GET %s; sending it again on a fresh connection%n", path);
    api.printInFlight("HANG     in flight: ");
    printSocketQueues();
    HttpClient fresh = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(ports[0]).setKeepAlive(false));
    long t0 = System.nanoTime();
    try {
      new BenchHttp(vertx, fresh, problem -> { }).call(HttpMethod.GET, path, null).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      System.out.printf("HANG     fresh connection answered in %d ms: the pooled connection was stuck%n",
          (System.nanoTime() - t0) / 1_000_000);
    } catch (Exception e) {
      System.out.printf("HANG     no good answer on the fresh connection either: %s%n", e);
    }
    Thread.getAllStackTraces().forEach((t, stack) -> {
      if (t.getName().startsWith("vert.x")) {
        System.out.println("HANG     client thread " + t.getName() + " " + t.getState());
        for (int i = 0; i < Math.min(stack.length, 12); i++) {
          System.out.println("           at " + stack[i]);
        }
      }
    });
  }

  /**
   * Prints the kernel's view of the API port's connections with bytes queued: a request sitting in
   * the server side's Recv-Q was never read by the server; one in the client's Send-Q never left.
   */
  private void printSocketQueues() {
    try {
      Process p = new ProcessBuilder("ss", "-tnoi", "( sport = :" + ports[0] + " or dport = :" + ports[0] + " )")
          .redirectErrorStream(true).start();
      String[] lines = new String(p.getInputStream().readAllBytes()).split("\n");
      for (int i = 0; i < lines.length; i++) {
        String[] f = lines[i].trim().split("\\s+");
        if (f.length > 2 && f[0].equals("ESTAB") && (!f[1].equals("0") || !f[2].equals("0"))) {
          System.out.println("HANG     queued: " + lines[i].trim() + (i + 1 < lines.length ? " | " + lines[i + 1].trim() : ""));
        }
      }
    } catch (Exception e) {
      System.out.println("HANG     ss failed: " + e);
    }
  }

  private long open() {
    return socks.size() - closedUnexpectedly.get();
  }

  private Future<JsonObject> post(String path, JsonObject body) {
    return call(HttpMethod.POST, path, body);
  }

  private Future<JsonObject> get(String path) {
    return call(HttpMethod.GET, path, null);
  }

  private Future<JsonObject> call(HttpMethod method, String path, JsonObject body) {
    return api.call(method, path, body);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** A bag of millisecond samples with percentiles. */
  static final class Stats {
    private long[] v = new long[1024];
    private int n;

    synchronized void add(long ms) {
      if (n == v.length) {
        v = Arrays.copyOf(v, n * 2);
      }
      v[n++] = ms;
    }

    synchronized void addAll(Stats o) {
      for (int i = 0; i < o.n; i++) {
        add(o.v[i]);
      }
    }

    synchronized int count() {
      return n;
    }

    synchronized long p(double pct) {
      if (n == 0) {
        return 0;
      }
      long[] s = Arrays.copyOf(v, n);
      Arrays.sort(s);
      return s[Math.min(n - 1, (int) Math.ceil(pct / 100.0 * n) - 1)];
    }

    synchronized long max() {
      return n == 0 ? 0 : Arrays.stream(v, 0, n).max().orElse(0);
    }
  }
}
