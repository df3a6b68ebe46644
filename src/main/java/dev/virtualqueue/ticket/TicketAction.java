package dev.virtualqueue.ticket;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.events.DomainEvent;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Every legal transition of a ticket, as one table: the states an action may start from and the
 * state it leads to. Anything not in the table is refused with 409 and changes nothing.
 */
public enum TicketAction {
  CALL(EnumSet.of(TicketStatus.WAITING), TicketStatus.CALLED),
  RECALL(EnumSet.of(TicketStatus.CALLED), TicketStatus.CALLED),
  START(EnumSet.of(TicketStatus.CALLED), TicketStatus.SERVING),
  COMPLETE(EnumSet.of(TicketStatus.SERVING), TicketStatus.SERVED),
  NO_SHOW(EnumSet.of(TicketStatus.CALLED), TicketStatus.NO_SHOW),
  LEAVE(EnumSet.of(TicketStatus.WAITING), TicketStatus.LEFT),
  EXPIRE(EnumSet.of(TicketStatus.WAITING), TicketStatus.EXPIRED),
  ADMIT(EnumSet.of(TicketStatus.WAITING), TicketStatus.ADMITTED),
  /** Moves the person to the back of another queue's line (their class there). */
  TRANSFER(EnumSet.of(TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING), TicketStatus.WAITING);

  private final Set<TicketStatus> from;
  private final TicketStatus to;

  TicketAction(Set<TicketStatus> from, TicketStatus to) {
    this.from = from;
    this.to = to;
  }

  public boolean allowedFrom(TicketStatus status) {
    return from.contains(status);
  }

  public TicketStatus to() {
    return to;
  }

  /**
   * The event a committed action publishes, mapped one by one (a new action must choose its own).
   * A transfer publishes two: {@code TRANSFER_OUT} on the queue it left, then this one on the new queue.
   */
  public DomainEvent.Kind eventKind() {
    return switch (this) {
      case CALL -> DomainEvent.Kind.CALL;
      case RECALL -> DomainEvent.Kind.RECALL;
      case START -> DomainEvent.Kind.START;
      case COMPLETE -> DomainEvent.Kind.COMPLETE;
      case NO_SHOW -> DomainEvent.Kind.NO_SHOW;
      case LEAVE -> DomainEvent.Kind.LEAVE;
      case EXPIRE -> DomainEvent.Kind.EXPIRE;
      case ADMIT -> DomainEvent.Kind.ADMIT;
      case TRANSFER -> DomainEvent.Kind.TRANSFER_IN;
    };
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The target state, or a 409 {@code ticket.invalid_transition} naming both ends. */
  public TicketStatus apply(TicketStatus current) {
    if (!allowedFrom(current)) {
      throw new ApiException.Conflict("ticket.invalid_transition",
          "A " + current.wire() + " ticket cannot be " + pastTense() + ".");
    }
    return to;
  }

  private String pastTense() {
    return switch (this) {
      case CALL -> "called";
      case RECALL -> "recalled";
      case START -> "started";
      case COMPLETE -> "completed";
      case NO_SHOW -> "marked no-show";
      case LEAVE -> "left";
      case EXPIRE -> "expired";
      case ADMIT -> "admitted";
      case TRANSFER -> "transferred";
    };
  }
}
