package dev.virtualqueue.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A committed change of a ticket, a queue or a counter, published once by the one place that made
 * it, after the commit. Ticket kinds carry the ticket ({@code status} is its new status); queue and
 * counter kinds carry only the queue ({@code status} is a queue's new status for
 * {@link Kind#QUEUE_STATUS}). {@code atMillis} is when the change was committed (epoch ms).
 */
public record DomainEvent(Kind kind, UUID queueId, UUID ticketId, String status, String code, UUID counterId,
                          String counterName, TicketTimes times, long atMillis) {

  /** What happened. */
  public enum Kind {
    JOIN, CALL, RECALL, START, COMPLETE, NO_SHOW, LEAVE, EXPIRE, ADMIT,
    /** A ticket left this queue for another one (the event of the queue it left). */
    TRANSFER_OUT,
    /** A ticket arrived from another queue, at the back of its class (the event of the new queue). */
    TRANSFER_IN,
    /** A queue's settings changed (classes, ETA inputs). */
    QUEUE_CHANGED,
    /** A queue moved to open, paused or closed. */
    QUEUE_STATUS,
    /** A counter of the queue opened or closed (the ETA divides by open counters). */
    COUNTER_CHANGED,
    /** The Redis mirror of the queue's line was repaired: views computed from it may be stale. */
    LINE_REPAIRED;

    /** True for the kinds that carry a ticket. */
    public boolean ofTicket() {
      return ordinal() <= TRANSFER_IN.ordinal();
    }
  }

  /**
   * The instants of a ticket after the change. {@code serviceStartedAt} is null when its service was
   * not timed (nobody pressed start: "done and call next" on a called ticket).
   */
  public record TicketTimes(Instant createdAt, Instant queuedAt, Instant calledAt, Instant serviceStartedAt,
                            Instant finishedAt) {
  }

  /** A change of a queue or one of its counters; {@code status} only for {@link Kind#QUEUE_STATUS}. */
  public static DomainEvent ofQueue(Kind kind, UUID queueId, String status) {
    if (kind.ofTicket()) {
      throw new IllegalArgumentException(kind + " is a ticket event");
    }
    return new DomainEvent(kind, queueId, null, status, null, null, null, null, System.currentTimeMillis());
  }
}
