package dev.virtualqueue.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The traffic of the cap check (scripts/check-admission-cap.sh): a steady crowd of people join a
 * waiting room through several server processes in turn, hold their live ticket socket, and once
 * admitted leave again after a short random time ({@code DELETE} with the ticket token), so the
 * room's few slots turn over all the time; each one who leaves is replaced by a new joiner. When a
 * server goes away (the script kills one mid-run), its people reconnect, and send their requests,
 * to the others. The check itself is {@link CapSweep} over the sessions in Postgres afterwards.
 *
 * <p>System properties: vq.ports (API ports), vq.tenant, vq.queueSlug (the room, made by the
 * script), vq.people (people at once, 100), vq.seconds (60), vq.minHoldMillis / vq.maxHoldMillis
 * (how long an admitted person stays, 100 / 1500).
 */
public final class CapChurn {
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  private final int[] ports = Arrays.stream(System.getProperty("vq.ports", "8080").split(","))
      .mapToInt(Integer::parseInt).toArray();
  private final BenchHttp[] api = new BenchHttp[ports.length];
  private final AtomicLongArray down = new AtomicLongArray(ports.length);
  private final WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(2_000)
      .setConnectTimeout(5_000));
  private final String joinPath = "/api/v1/public/" + System.getProperty("vq.tenant", "demo") + "/queues/"
      + System.getProperty("vq.queueSlug") + "/tickets";
  private final int people = Integer.getInteger("vq.people", 100);
  private final long endMillis = System.currentTimeMillis() + Integer.getInteger("vq.seconds", 60) * 1000L;
  private final int minHold = Integer.getInteger("vq.minHoldMillis", 100);
  private final int maxHold = Integer.getInteger("vq.maxHoldMillis", 1500);
  private final AtomicLong next = new AtomicLong();
  private final AtomicLong joined = new AtomicLong();
  private final AtomicLong admitted = new AtomicLong();
  private final AtomicLong left = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong active = new AtomicLong();

  private CapChurn() {
    for (int i = 0; i < ports.length; i++) {
      api[i] = new BenchHttp(vertx, vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(ports[i]).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(16)), problem -> { });
    }
  }

  /** One person: their ticket, the server they talk to, their socket, and whether they are done. */
  private final class Person {
    final long n = next.getAndIncrement();
    int server = (int) (n % ports.length);
    String id;
    String token;
    WebSocket socket;
    final AtomicBoolean admittedSeen = new AtomicBoolean();
    volatile boolean done;
  }

  public static void main(String[] args) {
    try {
      new CapChurn().run();
      System.exit(0);
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  private void run() throws Exception {
    for (int i = 0; i < people; i++) {
      vertx.setTimer(1 + i * 10L, t -> start());
    }
    long last = 0;
    while (System.currentTimeMillis() < endMillis) {
      Thread.sleep(1_000);
      if (System.currentTimeMillis() - last >= 10_000) {
        last = System.currentTimeMillis();
        System.out.printf("CHURN    %s%n", counts());
      }
    }
    // the last ones admitted still leave; nobody new joins
    long settle = System.currentTimeMillis() + 15_000;
    while (active.get() > 0 && System.currentTimeMillis() < settle) {
      Thread.sleep(200);
    }
    System.out.printf("CHURN    end: %s%n", counts());
  }

  private String counts() {
    return String.format("joined=%d admitted=%d left=%d in flight=%d reconnects=%d retries=%d errors=%d",
        joined.get(), admitted.get(), left.get(), active.get(), reconnects.get(), retries.get(), errors.get());
  }

  /** A new person joins, unless the run is over. */
  private void start() {
    if (System.currentTimeMillis() >= endMillis) {
      return;
    }
    Person p = new Person();
    active.incrementAndGet();
    onAny(p, HttpMethod.POST, joinPath, new JsonObject(), Map.of()).onSuccess(t -> {
      p.id = t.getString("id");
      p.token = t.getString("token");
      joined.incrementAndGet();
      connect(p);
    }).onFailure(e -> finish(p, true));
  }

  /** Opens the ticket socket on the person's server; a socket that drops is opened again elsewhere. */
  private void connect(Person p) {
    if (p.done) {
      return;
    }
    int server = live(p.server);
    p.server = server;
    ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(ports[server])
            .setURI("/ws/tickets/" + p.id + "?token=" + p.token))
        .onSuccess(sock -> {
          p.socket = sock;
          sock.textMessageHandler(text -> onMessage(p, new JsonObject(text)));
          sock.closeHandler(v -> reconnect(p));
        })
        .onFailure(e -> {
          markDown(server);
          reconnect(p);
        });
  }

  private void reconnect(Person p) {
    if (!p.done) {
      reconnects.incrementAndGet();
      vertx.setTimer(100, t -> connect(p));
    }
  }

  private void onMessage(Person p, JsonObject m) {
    if (!"ticket".equals(m.getString("type"))) {
      return;
    }
    String status = m.getString("status");
    if ("admitted".equals(status) && p.admittedSeen.compareAndSet(false, true)) {
      admitted.incrementAndGet();
      long hold = minHold + ThreadLocalRandom.current().nextLong(Math.max(1, maxHold - minHold));
      vertx.setTimer(hold, t -> leave(p));
    } else if (!"waiting".equals(status) && !"admitted".equals(status)) {
      finish(p, false); // expired or otherwise out of the line: a new person takes the place
    }
  }

  /** Leaves (the session ends and frees the slot), then a new person joins in their place. */
  private void leave(Person p) {
    onAny(p, HttpMethod.DELETE, "/api/v1/tickets/" + p.id, null, Map.of("X-Ticket-Token", p.token))
        .onSuccess(v -> {
          left.incrementAndGet();
          finish(p, false);
        })
        .onFailure(e -> finish(p, true));
  }

  private void finish(Person p, boolean failed) {
    if (failed) {
      errors.incrementAndGet();
    }
    p.done = true;
    if (p.socket != null) {
      p.socket.close();
    }
    active.decrementAndGet();
    start();
  }

  /**
   * The call on the person's server, or, when that server does not answer (gone, or refusing
   * connections), on the next live one; a 4xx or 5xx answer is final.
   */
  private Future<JsonObject> onAny(Person p, HttpMethod method, String path, JsonObject body,
                                   Map<String, String> headers) {
    return onAny(p, new Call(method, path, body, headers), ports.length);
  }

  /** A request to send to whichever server is up. */
  private record Call(HttpMethod method, String path, JsonObject body, Map<String, String> headers) {
  }

  private Future<JsonObject> onAny(Person p, Call c, int tries) {
    int server = live(p.server);
    p.server = server;
    return api[server].call(c.method(), c.path(), c.body(), c.headers()).timeout(10, TimeUnit.SECONDS).recover(e -> {
      boolean answered = e instanceof IllegalStateException && String.valueOf(e.getMessage()).contains(" -> ");
      if (answered || tries <= 1) {
        return Future.failedFuture(e);
      }
      markDown(server);
      retries.incrementAndGet();
      return onAny(p, c, tries - 1);
    });
  }

  /** A server that failed a connection is avoided for 10 s (it was killed, most likely). */
  private void markDown(int server) {
    down.set(server, System.currentTimeMillis() + 10_000);
  }

  /** {@code preferred} if it is not marked down, else the first that is not (or {@code preferred}). */
  private int live(int preferred) {
    long now = System.currentTimeMillis();
    for (int k = 0; k < ports.length; k++) {
      int s = (preferred + k) % ports.length;
      if (down.get(s) <= now) {
        return s;
      }
    }
    return (preferred + 1) % ports.length;
  }
}
