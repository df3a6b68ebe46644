package dev.virtualqueue.live;

import dev.virtualqueue.events.DomainEvent;
import java.util.UUID;

/**
 * A committed change that may move people in a queue, fanned out to every server process (the
 * live form of a {@link DomainEvent}, as sent on the Redis channel).
 * {@code atMillis} is when the change was committed (push latency is measured from it).
 */
public record LiveEvent(UUID queueId, Kind kind, UUID ticketId, String status, String code, UUID counterId,
                        String counterName, long atMillis) {

  /** What happened. Ticket kinds carry the ticket; queue kinds only the queue. */
  public enum Kind {
    JOIN, CALL, RECALL, START, COMPLETE, NO_SHOW, LEAVE, TRANSFER_OUT, TRANSFER_IN, EXPIRE, ADMIT,
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
      return this == JOIN || this == CALL || this == LEAVE || this == EXPIRE || this == ADMIT || this == TRANSFER_IN
          || this == TRANSFER_OUT || this == QUEUE || this == RESYNC;
    }

    /** True when boards announce it at once. */
    public boolean announced() {
      return this == CALL || this == RECALL;
    }
  }

  /** The live form of a domain event, kind by kind: queue and counter changes all become {@code QUEUE}. */
  public static LiveEvent from(DomainEvent e) {
    Kind kind = switch (e.kind()) {
      case JOIN -> Kind.JOIN;
      case CALL -> Kind.CALL;
      case RECALL -> Kind.RECALL;
      case START -> Kind.START;
      case COMPLETE -> Kind.COMPLETE;
      case NO_SHOW -> Kind.NO_SHOW;
      case LEAVE -> Kind.LEAVE;
      case EXPIRE -> Kind.EXPIRE;
      case ADMIT -> Kind.ADMIT;
      case TRANSFER_OUT -> Kind.TRANSFER_OUT;
      case TRANSFER_IN -> Kind.TRANSFER_IN;
      case QUEUE_CHANGED, QUEUE_STATUS, COUNTER_CHANGED, LINE_REPAIRED -> Kind.QUEUE;
    };
    return kind == Kind.QUEUE ? new LiveEvent(e.queueId(), kind, null, null, null, null, null, e.atMillis())
        : new LiveEvent(e.queueId(), kind, e.ticketId(), e.status(), e.code(), e.counterId(), e.counterName(),
            e.atMillis());
  }

  /** Asks every live queue to recompute: the subscription was interrupted, events may be missing. */
  public static LiveEvent resync() {
    return new LiveEvent(null, Kind.RESYNC, null, null, null, null, null, System.currentTimeMillis());
  }
}
