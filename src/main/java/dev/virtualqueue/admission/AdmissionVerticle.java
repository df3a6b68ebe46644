package dev.virtualqueue.admission;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admitter of one process (deployed once). Every {@value #RENEW_MILLIS} ms it takes or keeps
 * the lease of every waiting room that is free or already its own ({@link AdmissionStore#lease});
 * every {@value #TICK_MILLIS} ms it runs a room it holds when a slot is due by the schedule, when
 * the room lets people straight through, when a slot was freed here, and at least every
 * {@value #IDLE_MILLIS} ms (which also ends sessions that ran out). Each run is one transaction
 * ({@link RoomRun}) under the fence: a process that paused past its lease admits nobody.
 */
final class AdmissionVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionVerticle.class);
  static final long RENEW_MILLIS = 1_000;
  static final double LEASE_SECONDS = 5;
  static final long TICK_MILLIS = 100;
  static final long IDLE_MILLIS = 500;

  private final AdmissionModule module;
  /** Rooms freed or joined here that should run at the next tick (any thread adds). */
  private final Set<UUID> nudged = ConcurrentHashMap.newKeySet();
  private final Map<UUID, Room> held = new HashMap<>();
  private boolean stopped;

  /** A room this process holds, and when it should run next (System.nanoTime). */
  private static final class Room {
    long fence;
    long dueNanos;
    boolean running;
    boolean passthrough;

    Room(long fence) {
      this.fence = fence;
    }
  }

  AdmissionVerticle(AdmissionModule module) {
    this.module = module;
  }

  @Override
  public Future<?> start() {
    module.bind(this);
    renew();
    vertx.setPeriodic(RENEW_MILLIS, id -> renew());
    vertx.setPeriodic(TICK_MILLIS, id -> tick());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    module.bind(null);
    // hand over at once rather than after the lease runs out
    return module.store().release(module.owner()).recover(t -> Future.succeededFuture());
  }

  /** A slot of {@code queueId} was freed, or someone joined a room that lets people through. */
  void nudge(UUID queueId) {
    nudged.add(queueId);
  }

  private void renew() {
    if (stopped) {
      return;
    }
    module.store().lease(module.owner(), LEASE_SECONDS).onSuccess(rooms -> {
      Set<UUID> now = new HashSet<>();
      for (AdmissionStore.Held h : rooms) {
        now.add(h.queueId());
        Room r = held.get(h.queueId());
        if (r == null || r.fence != h.fence()) {
          LOG.info("admitting for waiting room {} (fence {})", h.queueId(), h.fence());
          module.metrics().leaseTaken(h.queueId());
          if (r == null) {
            held.put(h.queueId(), new Room(h.fence()));
          } else {
            r.fence = h.fence();
          }
        }
      }
      held.keySet().removeIf(id -> {
        boolean lost = !now.contains(id);
        if (lost) {
          LOG.info("no longer admitting for waiting room {}", id);
        }
        return lost;
      });
      module.metrics().leasesHeld(held.size());
    }).onFailure(t -> LOG.warn("admission lease renewal failed: {}", t.getMessage()));
  }

  private void tick() {
    if (stopped) {
      return;
    }
    long now = System.nanoTime();
    for (Map.Entry<UUID, Room> e : held.entrySet()) {
      Room r = e.getValue();
      boolean wake = nudged.remove(e.getKey());
      if (!r.running && (wake || r.passthrough || now - r.dueNanos >= 0)) {
        run(e.getKey(), r);
      }
    }
  }

  private void run(UUID queueId, Room r) {
    r.running = true;
    long started = System.nanoTime();
    new RoomRun(module, queueId, r.fence).run().onComplete(ar -> {
      r.running = false;
      long idle = IDLE_MILLIS * 1_000_000L;
      if (ar.failed()) {
        LOG.warn("admission run for waiting room {} failed: {}", queueId, ar.cause().toString());
        r.dueNanos = started + idle;
        return;
      }
      RoomRun.Outcome o = ar.result();
      if (o.lostLease()) {
        held.remove(queueId);
        return;
      }
      r.passthrough = o.passthrough();
      r.dueNanos = started + (o.nextSlotMicros() < 0 ? idle : Math.min(idle, o.nextSlotMicros() * 1_000L));
    });
  }
}
