package dev.virtualqueue.ticket;

import dev.virtualqueue.line.LineStore;
import dev.virtualqueue.metrics.BusinessMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
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
  private final AtomicReference<Future<Void>> inflight = new AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicBoolean dirty = new java.util.concurrent.atomic.AtomicBoolean();

  public LineRebuilder(Vertx vertx, LineStore line, TicketRepository tickets, BusinessMetrics metrics) {
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

  /** Removes mirror entries whose ticket no longer waits in Postgres (missed removals, old state). */
  public Future<Void> reconcile() {
    return scanLines("0", new ArrayList<>()).compose(keys -> {
      Future<Void> chain = Future.succeededFuture();
      for (String key : keys) {
        chain = chain.compose(v -> reconcileKey(key));
      }
      return chain;
    });
  }

  private Future<List<String>> scanLines(String cursor, List<String> acc) {
    return line.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(line.keys().linePattern())
        .arg("COUNT").arg(1000)).compose(r -> {
          r.get(1).forEach(k -> acc.add(k.toString()));
          String next = r.get(0).toString();
          return "0".equals(next) ? Future.succeededFuture(acc) : scanLines(next, acc);
        });
  }

  private Future<Void> reconcileKey(String key) {
    return line.send(Request.cmd(Command.ZRANGE).arg(key).arg(0).arg(-1)).compose(members -> {
      List<UUID> ids = new ArrayList<>();
      for (Response m : members) {
        ids.add(UUID.fromString(m.toString()));
      }
      if (ids.isEmpty()) {
        return Future.succeededFuture();
      }
      String[] parts = key.split(":");
      UUID queueId = UUID.fromString(parts[parts.length - 3]);
      int classRank = Integer.parseInt(parts[parts.length - 1]);
      return tickets.stillWaiting(ids, queueId, classRank).compose(waiting -> {
        ids.removeAll(new java.util.HashSet<>(waiting)); // a set: the line can hold thousands
        if (ids.isEmpty()) {
          return Future.succeededFuture();
        }
        LOG.info("removing {} stale entries from {}", ids.size(), key);
        metrics.mirrorRepaired(ids.size());
        Request zrem = Request.cmd(Command.ZREM).arg(key);
        ids.forEach(id -> zrem.arg(id.toString()));
        return line.send(zrem).mapEmpty();
      });
    });
  }
}
