package dev.virtualqueue.ticket;

import dev.virtualqueue.counter.CounterService;
import dev.virtualqueue.line.LineMirror;
import dev.virtualqueue.line.LineStore;
import dev.virtualqueue.queue.PriorityPicker;
import dev.virtualqueue.queue.Queue;
import dev.virtualqueue.queue.QueueService;
import io.vertx.core.Future;
import java.time.Instant;

/** Turns a ticket into its view: exact position from the Redis mirror and the ETA range. */
public final class Positions {
  private final LineMirror line;
  private final QueueService queues;
  private final CounterService counters;

  public Positions(LineMirror line, QueueService queues, CounterService counters) {
    this.line = line;
    this.queues = queues;
    this.counters = counters;
  }

  /** The view of a ticket; position and ETA only while it waits. */
  public Future<TicketView> view(Ticket t, boolean withContact) {
    return view(t, withContact, null);
  }

  /** As {@link #view(Ticket, boolean)}, first adding the ticket to the mirror when {@code addScore} is set. */
  public Future<TicketView> view(Ticket t, boolean withContact, Long addScore) {
    if (t.status() != TicketStatus.WAITING) {
      return Future.succeededFuture(TicketView.of(t, null, null, withContact));
    }
    return queues.cached(t.queueId()).compose(q -> line
            .position(q.id(), q.priorityClasses().size(), t.classRank(), t.id(), addScore)
            .compose(counts -> counts == null ? Future.succeededFuture(TicketView.of(t, null, null, withContact))
                : counters.openCount(q.id()).map(open -> {
                  long pos = position(q, t.classRank(), counts);
                  return TicketView.of(t, pos, eta(q, pos, open), withContact);
                })));
  }

  /**
   * The ETA at {@code pos}. In a waiting room this read does not know who ahead is present (the
   * live socket does, and refines it): everyone counts as present, so p50 is the slower case here.
   */
  private static EtaEstimator.Eta eta(Queue q, long pos, int openCounters) {
    if (q.isWaitingRoom() && q.waitingRoom() != null) {
      return EtaEstimator.waitingRoom(pos, pos - 1, q.waitingRoom(), Instant.now());
    }
    return EtaEstimator.estimate(pos, openCounters, q.serviceStats(), q.serviceTimeGuessSeconds());
  }

  /** Exact position (1 = next) under the queue's priority policy. */
  public static long position(Queue q, int classRank, LineStore.LineCounts counts) {
    PriorityPicker.Cursor cursor = counts.cursor() != null
        ? new PriorityPicker.Cursor(counts.cursor()[0], counts.cursor()[1])
        : new PriorityPicker.Cursor(q.rrClass(), q.rrCount());
    return PriorityPicker.position(q.weighted(), q.weights(), cursor, counts.waiting(), classRank, counts.rank());
  }
}
