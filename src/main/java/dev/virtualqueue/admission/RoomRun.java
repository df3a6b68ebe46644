package dev.virtualqueue.admission;

import dev.virtualqueue.line.LinePlace;
import dev.virtualqueue.queue.Queue;
import dev.virtualqueue.queue.WaitingRoom;
import dev.virtualqueue.ticket.AdmitService;
import dev.virtualqueue.ticket.Ticket;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * One run of the admitter for one room, in one transaction: under the fence (the schedule row
 * locked only if the lease is still ours) and the queue lock, it ends sessions that ran out, draws
 * the pre-queue's order when the room opens, counts the active sessions and admits as many as
 * both the schedule and the cap allow, opening a session for each. The cap is exact: every
 * admission of a room happens under its queue lock, and the count is taken under it.
 */
final class RoomRun {
  /** At most this many admissions per run (the rest follow at the next tick). */
  static final int MAX_BATCH = 200;

  private final AdmissionModule module;
  private final UUID queueId;
  private final long fence;

  RoomRun(AdmissionModule module, UUID queueId, long fence) {
    this.module = module;
    this.queueId = queueId;
    this.fence = fence;
  }

  /**
   * What a run found: the lease was lost; or how long until the next slot (µs, -1: none due, wait
   * for a nudge), and whether the room lets people straight through.
   */
  record Outcome(boolean lostLease, long nextSlotMicros, boolean passthrough, int admitted) {
    static final Outcome LOST = new Outcome(true, -1, false, 0);
    static final Outcome IDLE = new Outcome(false, -1, false, 0);
  }

  private record Done(Outcome outcome, AdmitService.Batch batch, Queue queue, List<LinePlace> moved) {
    Done withMoved(List<LinePlace> m) {
      return new Done(outcome, batch, queue, m);
    }
  }

  Future<Outcome> run() {
    AdmissionStore store = module.store();
    return store.pool().withTransaction(tx -> store.lockSchedule(tx, queueId, module.owner(), fence)
            .compose(slot -> slot == null ? Future.succeededFuture(new Done(Outcome.LOST, null, null, List.of()))
                : module.queues().lockForCall(tx, queueId).compose(q -> admit(tx, q, slot))))
        .compose(done -> (done.moved().isEmpty() ? Future.<Void>succeededFuture()
            : module.admits().reordered(queueId, done.moved())).map(done))
        .compose(done -> {
          if (done.batch() == null || (done.batch().admitted().isEmpty() && done.batch().expired().isEmpty())) {
            return Future.succeededFuture(done.outcome());
          }
          return module.admits().announce(done.batch()).map(done.outcome());
        });
  }

  private Future<Done> admit(SqlConnection tx, Queue q, AdmissionStore.Slot slot) {
    WaitingRoom room = q.waitingRoom();
    if (!q.isWaitingRoom() || room == null) {
      return Future.succeededFuture(new Done(Outcome.IDLE, null, q, List.of()));
    }
    Instant now = Instant.EPOCH.plus(slot.nowMicros(), ChronoUnit.MICROS);
    return module.store().endExpired(tx, queueId)
        .compose(ended -> module.draws().drawIfDue(tx, q, now))
        .compose(moved -> {
          if (!Queue.OPEN.equals(q.status()) || room.holding(now)) {
            // nobody goes in; slots do not pile up meanwhile
            return module.store().saveSchedule(tx, queueId, Math.max(slot.nextMicros(), slot.nowMicros()))
                .map(new Done(Outcome.IDLE, null, q, moved));
          }
          return module.store().active(tx, queueId).compose(active -> admitUpTo(tx, q, room, slot, active))
              .map(done -> done.withMoved(moved));
        });
  }

  private Future<Done> admitUpTo(SqlConnection tx, Queue q, WaitingRoom room, AdmissionStore.Slot slot,
                                 long active) {
    RateSchedule schedule = room.passthrough() ? null : RateSchedule.perMinute(room.newUsersPerMinute());
    long next = schedule == null ? slot.nowMicros() : schedule.clip(slot.nextMicros(), slot.nowMicros());
    long byRate = schedule == null ? Long.MAX_VALUE : schedule.open(next, slot.nowMicros());
    long byCap = room.maxActiveUsers() == null ? Long.MAX_VALUE : Math.max(0, room.maxActiveUsers() - active);
    int n = (int) Math.min(MAX_BATCH, Math.min(byRate, byCap));
    return module.admits().admit(tx, q, n).compose(batch -> {
      List<UUID> ids = batch.admitted().stream().map(Ticket::id).toList();
      long after = schedule == null ? slot.nowMicros()
          : schedule.saved(next, ids.size(), Math.min(MAX_BATCH, byRate), slot.nowMicros());
      long wait;
      if (byCap <= ids.size() && room.maxActiveUsers() != null) {
        wait = -1; // full: a freed slot (or the idle run) wakes the room
      } else if (schedule == null) {
        wait = ids.size() == MAX_BATCH ? 0 : -1;
      } else {
        wait = Math.max(0, after - slot.nowMicros());
      }
      Outcome o = new Outcome(false, wait, room.passthrough() || schedule == null, ids.size());
      return module.store().open(tx, q.tenantId(), q.id(), ids, fence, room.sessionSeconds(), room.maxSessionSeconds())
          .compose(v -> module.store().saveSchedule(tx, queueId, after))
          .map(new Done(o, batch, q, List.of()));
    });
  }
}
