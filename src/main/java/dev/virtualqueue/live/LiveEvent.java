package dev.virtualqueue.live;

import java.util.UUID;

/**
 * A committed change that may move people in a queue, fanned out to every server process.
 * {@code atMillis} is when the change was committed (push latency is measured from it).
 */
public record LiveEvent(UUID queueId, Kind kind, UUID ticketId, String status, String code, UUID counterId,
                        String counterName, long atMillis) {

  /** What happened. Ticket kinds carry the ticket; queue kinds only the queue. */
  public enum Kind {
    JOIN, CALL, RECALL, START, COMPLETE, NO_SHOW, LEAVE, TRANSFER_OUT, TRANSFER_IN, EXPIRE,
    /** Settings, status or counters of the queue changed (ETA inputs). */
    QUEUE,
    /** Subscription was interrupted: events may be missing, recompute everything. */
    RESYNC;

    /** True when the ticket itself changed status (its holder is told at once). */
    public boolean ownStatusChange() {
      return this != JOIN && this != QUEUE && this != RESYNC && this != TRANSFER_IN && this != TRANSFER_OUT;
    }

    /** True when it can move waiting people (or their ETA at once): recompute without delay. */
    public boolean movesLine() {
      return this == JOIN || this == CALL || this == LEAVE || this == EXPIRE || this == TRANSFER_IN
          || this == TRANSFER_OUT || this == QUEUE || this == RESYNC;
    }

    /** True when boards announce it at once. */
    public boolean announced() {
      return this == CALL || this == RECALL;
    }
  }

  public static LiveEvent queue(UUID queueId) {
    return new LiveEvent(queueId, Kind.QUEUE, null, null, null, null, null, System.currentTimeMillis());
  }
}
