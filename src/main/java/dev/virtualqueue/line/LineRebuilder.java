package dev.virtualqueue.line;

import dev.virtualqueue.common.Errors;
import dev.virtualqueue.events.DomainEvent;
import dev.virtualqueue.events.EventPublisher;
import dev.virtualqueue.metrics.BusinessMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
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
  private final WaitingTickets tickets;
  private final BusinessMetrics metrics;
  private final EventPublisher events;
  private final AtomicReference<Future<Void>> inflight = new AtomicReference<>();
  private final AtomicBoolean dirty = new AtomicBoolean();

  public LineRebuilder(Vertx vertx, LineStore line, WaitingTickets tickets, BusinessMetrics metrics,
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
    return line.takeRebuildLock(token)
        .compose(locked -> locked ? rebuild(token) : waitForReady(System.currentTimeMillis()));
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
        .compose(n -> line.markReady(started)
            .onSuccess(r -> LOG.info("waiting-line mirror rebuilt from Postgres: {} waiting tickets in {} ms",
                n, System.currentTimeMillis() - started))
            .onSuccess(r -> metrics.mirrorRebuilt()))
        .eventually(() -> line.releaseRebuildLock(token))
        .mapEmpty();
  }

  private Future<Void> raiseCounters() {
    return tickets.queueSeeds().compose(seeds -> {
      List<Request> reqs = new ArrayList<>();
      seeds.forEach(s -> {
        reqs.add(line.raiseCounter(s.queueId(), s.maxNumber()));
        reqs.add(line.setCursor(s.queueId(), s.cursorClass(), s.cursorCount()));
      });
      return line.batch(reqs).mapEmpty();
    });
  }

  private Future<Integer> addAllWaiting() {
    return tickets.allWaiting().compose(places -> {
      List<Request> reqs = new ArrayList<>();
      places.forEach(p -> reqs.add(line.addRequest(p)));
      return inChunks(reqs).map(places.size());
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
    return tickets.allWaiting().compose(places -> {
      Map<String, Waiting> truth = new HashMap<>();
      places.forEach(p -> truth.computeIfAbsent(line.keys().line(p.queueId(), p.classRank()),
          k -> new Waiting(p.queueId())).add(p.ticketId(), p.number()));
      return scanLines("0", new ArrayList<>()).compose(keys -> {
        Set<String> all = new LinkedHashSet<>(keys);
        all.addAll(truth.keySet());
        Set<UUID> repaired = new HashSet<>();
        Future<Void> chain = Future.succeededFuture();
        for (String key : all) {
          chain = chain.compose(v -> reconcileKey(key, truth.get(key)).map(n -> {
            if (n > 0) {
              repaired.add(LineKeys.queueOfLine(key));
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

  private Future<List<String>> scanLines(String cursor, List<String> acc) {
    return line.scanLines(cursor).compose(page -> {
      acc.addAll(page.keys());
      return "0".equals(page.next()) ? Future.succeededFuture(acc) : scanLines(page.next(), acc);
    });
  }

  /** Repairs one line; returns how many entries were removed or added. */
  private Future<Integer> reconcileKey(String key, Waiting waiting) {
    return line.members(key).compose(present -> removeStale(key, present)
        .compose(removed -> addMissing(key, waiting, present).map(added -> removed + added)));
  }

  private Future<Integer> removeStale(String key, Set<UUID> present) {
    if (present.isEmpty()) {
      return Future.succeededFuture(0);
    }
    // read after the members: an entry still waiting now is not stale
    return tickets.stillWaiting(new ArrayList<>(present), LineKeys.queueOfLine(key), LineKeys.classOfLine(key))
        .compose(still -> {
          Set<UUID> stale = new HashSet<>(present);
          still.forEach(stale::remove);
          if (stale.isEmpty()) {
            return Future.succeededFuture(0);
          }
          LOG.info("removing {} stale entries from {}", stale.size(), key);
          metrics.mirrorRepaired(stale.size());
          return line.removeMembers(key, stale).map(stale.size());
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
