package dev.virtualqueue.ticket;

import dev.virtualqueue.auth.Principal;
import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.queue.QueueService;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.UUID;

/**
 * The "done" half of "done and call next", run inside call-next's transaction. A serving ticket is
 * completed; a called one is started and completed (two legal transitions, both in the event log;
 * its service time is not measured, since nobody pressed start). The caller names the ticket it
 * sees at the counter: when another ticket, or none, is there, nothing changes, so a double click
 * or a second console can never finish the person who was only just called.
 */
final class CounterFinish {
  /** One transition made: the ticket after it, and whether its service time was measured. */
  record Step(Ticket ticket, TicketAction action, boolean measured) {
  }

  /** What happens to the counter's current ticket (its id, or null) before the call. */
  interface Rule {
    Future<List<Step>> apply(SqlConnection tx, UUID counterId, UUID busy);
  }

  /** Plain call-next: the counter must be free. */
  static final Rule NOTHING = (tx, counterId, busy) -> {
    if (busy != null) {
      throw new ApiException.Conflict("counter.busy",
          "This counter still has a called or serving ticket; finish it first.");
    }
    return Future.succeededFuture(List.of());
  };

  private final CallService calls;
  private final TicketRepository tickets;
  private final QueueService queues;

  CounterFinish(CallService calls, TicketRepository tickets, QueueService queues) {
    this.calls = calls;
    this.tickets = tickets;
    this.queues = queues;
  }

  /**
   * Finishes {@code busy} (the called or serving ticket of counter {@code counterId}, or null) when it
   * is {@code expected}. With no {@code expected}, an idle counter simply calls next and a busy one is
   * refused.
   */
  Future<List<Step>> finish(SqlConnection tx, Principal who, UUID counterId, UUID busy, UUID expected) {
    if (expected == null && busy == null) {
      return Future.succeededFuture(List.of());
    }
    if (expected == null) {
      throw new ApiException.Conflict("counter.busy", "This counter has a called or serving ticket: send its id"
          + " as ticketId to finish it and call the next person.");
    }
    if (!expected.equals(busy)) {
      throw changed();
    }
    return tickets.lock(tx, who.tenantId(), busy).compose(t -> {
      if (t == null || !counterId.equals(t.counterId())
          || t.status() != TicketStatus.CALLED && t.status() != TicketStatus.SERVING) {
        throw changed();
      }
      return t.status() == TicketStatus.SERVING ? complete(tx, who, t)
          : calls.apply(tx, t, TicketAction.START, who, null, null)
              .compose(started -> calls.apply(tx, started, TicketAction.COMPLETE, who, null, null)
                  .map(done -> List.of(new Step(started, TicketAction.START, false),
                      new Step(done, TicketAction.COMPLETE, false))));
    });
  }

  private Future<List<Step>> complete(SqlConnection tx, Principal who, Ticket serving) {
    return calls.apply(tx, serving, TicketAction.COMPLETE, who, null, null)
        .compose(done -> queues.recordServiceTime(tx, done.queueId(),
                CallService.seconds(done.startedAt(), done.finishedAt()))
            .map(v -> List.of(new Step(done, TicketAction.COMPLETE, true))));
  }

  private static ApiException changed() {
    return new ApiException.Conflict("counter.ticket_changed", "That ticket is no longer at this counter (it was"
        + " finished or moved meanwhile); nothing was changed. Reload to see who is there now.");
  }
}
