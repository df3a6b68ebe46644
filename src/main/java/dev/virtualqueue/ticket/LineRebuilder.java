package dev.virtualqueue.ticket;

import dev.virtualqueue.line.LineStore;
import dev.virtualqueue.metrics.BusinessMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import dev.virtualqueue.common.Errors;
import dev.virtualqueue.events.DomainEvent;
import dev.virtualqueue.events.EventPublisher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the Redis mirror of the waiting lines from Postgres: at start-up, whenever the ready
 * marker is gone (Redis restarted or flushed), and periodically to repair drift. One instance
 * rebuilds under a Redis lock; the others wait for the marker.
 */
public final class LineRebuilder {
  private static final Logger LOG = LoggerFactory.getLogger(LineRebuilder.class);
  private static final int WAIT_MILLIS = 10_000;
  private static final int CHUNK = 1_000;

  private final Vertx vertx;
  private final LineStore line;
  private final TicketRepository tickets;
  private final BusinessMetrics metrics;
  private final EventPublisher events;
  private final AtomicReference<Future<Void>> inflight = new AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicBoolean dirty = new java.util.concurrent.atomic.AtomicBoolean();

  public LineRebuilder(Vertx vertx, LineStore line, TicketRepository tickets, BusinessMetrics metrics,
                       EventPublisher events) {
    this.events = events;
    this.metrics = metrics;
    this.vertx = vertx;
    this.line = line;
    this.tickets = tickets;
  }

  /** Completes once the mirror is ready; starts (or joins) a rebuild when it is not. */
  public Future<Void> ensureReady() {
    Future<Void> running = inflight.get();
    if (running != null) {
      return running;
    }
    Promise<Void> promise = Promise.promise();
    if (!inflight.compareAndSet(null, promise.future())) {
      return inflight.get();
    }
    line.isReady().compose(ready -> ready ? Future.<Void>succeededFuture() : rebuildOrWait())
        .onComplete(ar -> inflight.set(null))
        .onComplete(promise);
    return promise.future();
  }

  /** Notes that a committed change may be missing from the mirror. */
  public void markDirty() {
    dirty.set(true);
  }

  /** Clears and returns the dirty flag (housekeeping then reconciles). */
  public boolean takeDirty() {
    return dirty.getAndSet(false);
  }

  /** Start-up: rebuild from Postgres even if a marker exists (it may predate a crash of ours). */
  public Future<Void> rebuildAtStartup() {
    return rebuildOrWait();
  }

  /** Runs {@code op}; if the mirror is not ready, waits for a rebuild and runs it once more. */
  public <T> Future<T> withReady(Supplier<Future<T>> op) {
    return op.get().recover(t -> t instanceof LineStore.NotReady ? ensureReady().compose(v -> op.get())
        : Future.failedFuture(t));
  }

  private Future<Void> rebuildOrWait() {
    String token = UUID.randomUUID().toString();
    Request lock = Request.cmd(Command.SET).arg(line.keys().rebuildLock()).arg(token).arg("NX").arg("PX").arg(60_000);
    return line.send(lock).compose(r -> r != null ? rebuild(token) : waitForReady(System.currentTimeMillis()));
  }

  private Future<Void> waitForReady(long since) {
    return line.isReady().compose(ready -> {
      if (ready) {
        return Future.succeededFuture();
      }
      if (System.currentTimeMillis() - since > WAIT_MILLIS) {
        return rebuildOrWait();
      }
      return vertx.timer(100).compose(x -> waitForReady(since));
    });
  }

  private Future<Void> rebuild(String token) {
    long started = System.currentTimeMillis();
    return raiseCounters().compose(v -> addAllWaiting()).compose(n -> reconcile().map(n))
        .compose(n -> line.send(Request.cmd(Command.SET).arg(line.keys().ready()).arg(started))
            .onSuccess(r -> LOG.info("waiting-line mirror rebuilt from Postgres: {} waiting tickets in {} ms",
                n, System.currentTimeMillis() - started))
            .onSuccess(r -> metrics.mirrorRebuilt()))
        .eventually(() -> line.releaseLock(line.keys().rebuildLock(), token))
        .mapEmpty();
  }

  private Future<Void> raiseCounters() {
    return tickets.maxNumbers().compose(rs -> {
      List<Request> reqs = new ArrayList<>();
      rs.forEach(r -> {
        reqs.add(line.raiseCounter(r.getUUID(0), r.getLong(1)));
        reqs.add(line.setCursor(r.getUUID(0), r.getInteger(2), r.getInteger(3)));
      });
      return line.batch(reqs).mapEmpty();
    });
  }

  private Future<Integer> addAllWaiting() {
    return tickets.allWaiting().compose(rs -> {
      List<Request> reqs = new ArrayList<>();
      rs.forEach(r -> reqs.add(Request.cmd(Command.ZADD).arg(line.keys().line(r.getUUID(1), r.getInteger(2)))
          .arg(r.getLong(3)).arg(r.getUUID(0).toString())));
      return inChunks(reqs).map(rs.size());
    });
  }

  private Future<Void> inChunks(List<Request> reqs) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < reqs.size(); i += CHUNK) {
      List<Request> chunk = reqs.subList(i, Math.min(reqs.size(), i + CHUNK));
      chain = chain.compose(v -> line.batch(chunk).mapEmpty());
    }
    return chain;
  }

  /**
   * Repairs drift in both directions: removes mirror entries whose ticket no longer waits in
   * Postgres, and adds waiting tickets the mirror lacks (a join committed while its answer was lost,
   * or whose mirror update failed). Postgres is read before Redis, and additions skip tickets
   * removed meanwhile, so a ticket called during the pass is never put back. Live sockets of each
   * repaired queue are told to recompute.
   */
  public Future<Void> reconcile() {
    return tickets.allWaiting().compose(rows -> {
      Map<String, Waiting> truth = new HashMap<>();
      rows.forEach(r -> truth.computeIfAbsent(line.keys().line(r.getUUID(1), r.getInteger(2)),
          k -> new Waiting(r.getUUID(1))).add(r.getUUID(0), r.getLong(3)));
      return scanLines("0", new ArrayList<>()).compose(keys -> {
        Set<String> all = new LinkedHashSet<>(keys);
        all.addAll(truth.keySet());
        Set<UUID> repaired = new HashSet<>();
        Future<Void> chain = Future.succeededFuture();
        for (String key : all) {
          chain = chain.compose(v -> reconcileKey(key, truth.get(key)).map(n -> {
            if (n > 0) {
              repaired.add(queueOf(key));
            }
            return null;
          }));
        }
        return chain.onSuccess(v -> repaired.forEach(queueId -> events.publish(
            DomainEvent.ofQueue(DomainEvent.Kind.LINE_REPAIRED, queueId, null))));
      });
    });
  }

  /** Waiting tickets of one line as read from Postgres. */
  private record Waiting(UUID queueId, List<UUID> ids, List<Long> numbers) {
    Waiting(UUID queueId) {
      this(queueId, new ArrayList<>(), new ArrayList<>());
    }

    void add(UUID id, long number) {
      ids.add(id);
      numbers.add(number);
    }
  }

  private static UUID queueOf(String key) {
    String[] parts = key.split(":");
    return UUID.fromString(parts[parts.length - 3]);
  }

  private Future<List<String>> scanLines(String cursor, List<String> acc) {
    return line.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(line.keys().linePattern())
        .arg("COUNT").arg(1000)).compose(r -> {
          r.get(1).forEach(k -> acc.add(k.toString()));
          String next = r.get(0).toString();
          return "0".equals(next) ? Future.succeededFuture(acc) : scanLines(next, acc);
        });
  }

  /** Repairs one line; returns how many entries were removed or added. */
  private Future<Integer> reconcileKey(String key, Waiting waiting) {
    return line.send(Request.cmd(Command.ZRANGE).arg(key).arg(0).arg(-1)).compose(members -> {
      Set<UUID> present = new HashSet<>();
      for (Response m : members) {
        present.add(UUID.fromString(m.toString()));
      }
      return removeStale(key, present).compose(removed -> addMissing(key, waiting, present).map(added -> removed + added));
    });
  }

  private Future<Integer> removeStale(String key, Set<UUID> present) {
    if (present.isEmpty()) {
      return Future.succeededFuture(0);
    }
    String[] parts = key.split(":");
    int classRank = Integer.parseInt(parts[parts.length - 1]);
    // read after the members: an entry still waiting now is not stale
    return tickets.stillWaiting(new ArrayList<>(present), queueOf(key), classRank).compose(still -> {
      Set<UUID> stale = new HashSet<>(present);
      still.forEach(stale::remove);
      if (stale.isEmpty()) {
        return Future.succeededFuture(0);
      }
      LOG.info("removing {} stale entries from {}", stale.size(), key);
      metrics.mirrorRepaired(stale.size());
      Request zrem = Request.cmd(Command.ZREM).arg(key);
      stale.forEach(id -> zrem.arg(id.toString()));
      return line.send(zrem).map(stale.size());
    });
  }

  private Future<Integer> addMissing(String key, Waiting waiting, Set<UUID> present) {
    if (waiting == null) {
      return Future.succeededFuture(0);
    }
    List<UUID> ids = new ArrayList<>();
    List<Long> numbers = new ArrayList<>();
    for (int i = 0; i < waiting.ids().size(); i++) {
      if (!present.contains(waiting.ids().get(i))) {
        ids.add(waiting.ids().get(i));
        numbers.add(waiting.numbers().get(i));
      }
    }
    if (ids.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return line.addMissing(key, waiting.queueId(), ids, numbers).onSuccess(n -> {
      if (n > 0) {
        LOG.info("adding {} missing waiting tickets to {}", n, key);
        metrics.mirrorRepaired(n);
      }
    });
  }

  /**
   * Notes a failure of a change that may have committed without reaching the mirror (a lost
   * connection, a store starting up): the next housekeeping pass reconciles. Returns it unchanged.
   */
  public Throwable noteFailure(Throwable t) {
    if (Errors.isUnavailable(t)) {
      markDirty();
    }
    return t;
  }
}
