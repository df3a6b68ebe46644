package dev.virtualqueue.ticket;

import dev.virtualqueue.events.DomainEvent;
import dev.virtualqueue.events.EventPublisher;
import dev.virtualqueue.line.LineMirror;
import dev.virtualqueue.line.LinePlace;
import dev.virtualqueue.metrics.BusinessMetrics;
import dev.virtualqueue.queue.PriorityPicker;
import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What follows a committed ticket change, always in this order: the Redis mirror takes the change
 * (a failure there only schedules a repair), then the one domain event is published (live fan-out
 * and business metrics subscribe to it). Also the join hooks of the business metrics, which count
 * what no event carries: refused and replayed joins.
 */
public final class AfterCommit {
  private final LineMirror mirror;
  private final EventPublisher events;
  private final BusinessMetrics metrics;
  private final EtaRecorder etas;

  public AfterCommit(LineMirror mirror, EventPublisher events, BusinessMetrics metrics, EtaRecorder etas) {
    this.mirror = mirror;
    this.events = events;
    this.metrics = metrics;
    this.etas = etas;
  }

  /** A join committed and placed in the mirror ({@code view} is what its holder was shown). */
  void joined(Ticket saved, TicketView view) {
    events.publish(saved.event(DomainEvent.Kind.JOIN, false));
    etas.promised(view);
  }

  /** Runs a join, counting a refusal by its reason. */
  <T> Future<T> trackJoin(UUID queueId, Supplier<Future<T>> join) {
    return metrics.trackJoin(queueId, join);
  }

  /** An idempotent join returned the ticket it had created before. */
  void replayed(UUID queueId) {
    metrics.joined(queueId, "replayed");
  }

  /** A call committed: the mirror drops the ticket and stores the cursor, then the call is announced. */
  Future<Void> called(Ticket t, PriorityPicker.Cursor cursor) {
    return mirror.afterCall(t.place(), cursor.cls(), cursor.count()).onSuccess(v -> events.publish(t.event(DomainEvent.Kind.CALL, false)));
  }

  /** A transition that moves nobody in the line (start, complete, no-show, recall). */
  void acted(Ticket t, TicketAction action, boolean serviceTimed) {
    events.publish(t.event(action.eventKind(), serviceTimed));
  }

  /** The holder left the line, or the ticket expired: out of the mirror, then announced. */
  Future<Void> leftLine(Ticket t, TicketAction action) {
    return mirror.afterLeave(t.place()).onSuccess(v -> events.publish(t.event(action.eventKind(), false)));
  }

  /** Tickets of a queue were put in a new order (a draw): the mirror moves them, then the queue's sockets recompute. */
  Future<Void> reordered(UUID queueId, List<LinePlace> moved) {
    return mirror.afterReorder(moved)
        .onSuccess(v -> events.publish(DomainEvent.ofQueue(DomainEvent.Kind.LINE_REPAIRED, queueId, null)));
  }

  /** A transfer: the mirror moves the ticket, then the queue it left and the new one are told. */
  Future<Void> transferred(Ticket before, Ticket after) {
    LinePlace from = before.status() == TicketStatus.WAITING ? before.place() : null;
    return mirror.afterTransfer(from, after.place()).onSuccess(v -> {
      events.publish(before.event(DomainEvent.Kind.TRANSFER_OUT, false));
      events.publish(after.event(TicketAction.TRANSFER.eventKind(), false));
    });
  }
}
