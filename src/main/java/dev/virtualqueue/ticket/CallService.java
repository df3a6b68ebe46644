package dev.virtualqueue.ticket;

import dev.virtualqueue.auth.Principal;
import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Errors;
import dev.virtualqueue.counter.Counter;
import dev.virtualqueue.counter.CounterService;
import dev.virtualqueue.line.LineMirror;
import dev.virtualqueue.line.PresenceStore;
import dev.virtualqueue.queue.PriorityPicker;
import dev.virtualqueue.queue.Queue;
import dev.virtualqueue.queue.QueueService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Staff calling people. Call-next takes the queue's row lock, so concurrent counters are served
 * one at a time, strictly in line order, and never get the same person.
 */
public final class CallService {
  private static final Logger LOG = LoggerFactory.getLogger(CallService.class);

  private final Pool pool;
  private final TicketRepository tickets;
  private final QueueService queues;
  private final CounterService counters;
  private final LineMirror line;
  private final PresenceStore presence;
  private final AbsentSkipper skipper;
  private final AfterCommit after;
  private final CounterFinish finisher;

  public CallService(Pool pool, TicketRepository tickets, QueueService queues, CounterService counters,
                     LineMirror line, PresenceStore presence, AfterCommit after) {
    this.pool = pool;
    this.tickets = tickets;
    this.queues = queues;
    this.counters = counters;
    this.line = line;
    this.presence = presence;
    this.skipper = new AbsentSkipper(tickets, presence);
    this.after = after;
    this.finisher = new CounterFinish(this, tickets, queues);
  }

  /** Calls the next person to a counter, or returns null when nobody waits. */
  public Future<Ticket> callNext(Principal who, UUID counterId) {
    return turn(who, counterId, CounterFinish.NOTHING);
  }

  /**
   * "Done and call next" in one transaction under the queue lock: finishes the ticket at the
   * counter (see {@link CounterFinish}), then calls the next person, or returns null when nobody
   * waits (the finish stays done). {@code expected} is the ticket the caller sees at the counter.
   */
  public Future<Ticket> completeAndCallNext(Principal who, UUID counterId, UUID expected) {
    return turn(who, counterId, (tx, counter, busy) -> finisher.finish(tx, who, counter, busy, expected));
  }

  private record Turn(List<CounterFinish.Step> finished, Called called) {
  }

  private Future<Ticket> turn(Principal who, UUID counterId, CounterFinish.Rule finish) {
    return pool.withTransaction(tx -> counters.find(tx, who.tenantId(), counterId)
            .compose(counter -> {
              if (!counter.open()) {
                throw new ApiException.Conflict("counter.closed", "Open the counter before calling.");
              }
              return queues.lockForCall(tx, counter.queueId())
                  .compose(q -> tickets.activeAtCounter(tx, counter.id())
                      .compose(busy -> finish.apply(tx, counter.id(), busy))
                      .compose(done -> pickAndCall(tx, q, counter, who).map(called -> new Turn(done, called))));
            }))
        .onSuccess(turn -> turn.finished().forEach(step -> announceStep(step, who)))
        .map(Turn::called)
        .compose(called -> called == null ? Future.succeededFuture(null)
            : afterExpiries(called.expired()).compose(v -> called.ticket() == null ? Future.succeededFuture(null)
                : after.called(called.ticket(), called.cursor()).map(called.ticket())))
        .onFailure(line::noteFailure);
  }

  private void announceStep(CounterFinish.Step step, Principal who) {
    Ticket t = step.ticket();
    LOG.debug("ticket {} {} by {}", t.id(), step.action().wire(), who.actorId());
    after.acted(t, step.action(), step.measured());
  }

  private Future<Void> afterExpiries(List<Ticket> expired) {
    Future<Void> chain = Future.succeededFuture();
    for (Ticket t : expired) {
      chain = chain.compose(v -> after.leftLine(t, TicketAction.EXPIRE));
    }
    return chain;
  }

  /**
   * Marks no-show the called people of "grace" queues who are still not connected once their
   * grace has run out. Returns how many.
   */
  public Future<Integer> noShowAbsentAfterGrace() {
    return tickets.calledPastGrace().compose(rows -> presence.absent(rows.stream().map(r -> r[0]).toList())
        .compose(absent -> {
          Future<Integer> chain = Future.succeededFuture(0);
          for (UUID[] r : rows) {
            if (absent.contains(r[0])) {
              chain = chain.compose(n -> act(Principal.system(r[1]), r[0], TicketAction.NO_SHOW).map(n + 1)
                  .recover(t -> Future.succeededFuture(n)));
            }
          }
          return chain;
        }));
  }

  private record Called(Ticket ticket, PriorityPicker.Cursor cursor, List<Ticket> expired) {
  }

  private Future<Called> pickAndCall(SqlConnection tx, Queue q, Counter counter, Principal who) {
    if (q.absentPolicyOrDefault().skips()) {
      return skipper.decide(tx, q).compose(d -> expire(tx, q, d.expire()).compose(expired -> d.call() == null
          ? Future.succeededFuture(new Called(null, null, expired))
          : tickets.lock(tx, q.tenantId(), d.call().id())
              .compose(t -> apply(tx, t, TicketAction.CALL, who, counter, null))
              .compose(t -> queues.saveCursor(tx, q.id(), d.call().after())
                  .map(new Called(t, d.call().after(), expired)))));
    }
    int classes = q.priorityClasses().size();
    return tickets.heads(tx, q.id(), classes).compose(heads -> {
      PriorityPicker.Pick pick = PriorityPicker.next(q.weighted(), q.weights(),
          new PriorityPicker.Cursor(q.rrClass(), q.rrCount()), i -> heads[i] != null);
      if (pick == null) {
        return Future.succeededFuture(null);
      }
      return tickets.lock(tx, q.tenantId(), heads[pick.cls()])
          .compose(t -> apply(tx, t, TicketAction.CALL, who, counter, null))
          .compose(t -> queues.saveCursor(tx, q.id(), pick.next()).map(new Called(t, pick.next(), List.of())));
    });
  }

  private Future<List<Ticket>> expire(SqlConnection tx, Queue q, List<UUID> ids) {
    Future<List<Ticket>> chain = Future.succeededFuture(new ArrayList<>());
    for (UUID id : ids) {
      chain = chain.compose(acc -> tickets.lock(tx, q.tenantId(), id)
          .compose(t -> apply(tx, t, TicketAction.EXPIRE, Principal.system(q.tenantId()), null, null))
          .map(t -> {
            acc.add(t);
            return acc;
          }));
    }
    return chain;
  }

  /** Start, complete, no-show or recall a ticket of the caller's tenant. */
  public Future<Ticket> act(Principal who, UUID ticketId, TicketAction action) {
    if (action == TicketAction.CALL || action == TicketAction.TRANSFER || action == TicketAction.LEAVE) {
      throw new IllegalArgumentException(action + " has its own entry point");
    }
    return pool.withTransaction(tx -> tickets.lock(tx, who.tenantId(), ticketId)
            .compose(t -> {
              if (t == null) {
                throw Errors.notFound("ticket");
              }
              return apply(tx, t, action, who, null, null)
                  .compose(after -> action == TicketAction.COMPLETE && after.startedAt() != null
                      ? queues.recordServiceTime(tx, after.queueId(), seconds(after.startedAt(), after.finishedAt()))
                          .map(after)
                      : Future.succeededFuture(after));
            }))
        .onSuccess(t -> {
          LOG.debug("ticket {} {} by {}", t.id(), action.wire(), who.actorId());
          after.acted(t, action, true);
        });
  }

  /** The holder leaves the line (the token was checked by the caller). */
  public Future<Ticket> leave(Ticket held) {
    return pool.withTransaction(tx -> tickets.lock(tx, held.tenantId(), held.id())
            .compose(t -> apply(tx, t, TicketAction.LEAVE, null, null, null)))
        .compose(t -> after.leftLine(t, TicketAction.LEAVE).map(t))
        .onFailure(line::noteFailure);
  }

  /** Body of a transfer: the target queue of the same tenant and, optionally, the class there. */
  public record TransferRequest(UUID queueId, String priority) {
  }

  /** Moves a waiting, called or serving ticket to the back of another queue's line. */
  public Future<Ticket> transfer(Principal who, UUID ticketId, TransferRequest req) {
    if (req.queueId() == null) {
      throw new ApiException.BadRequest("request.missing_field", "Field 'queueId' is required.");
    }
    return queues.get(who, req.queueId()).compose(target -> {
      if (Queue.CLOSED.equals(target.status())) {
        throw new ApiException.Conflict("queue.closed", "The target queue is closed.");
      }
      return line.allocate(target.id(), target.priorityClasses().size(), 0)
          .compose(number -> pool.withTransaction(tx -> tickets.lock(tx, who.tenantId(), ticketId).compose(t -> {
            if (t == null) {
              throw Errors.notFound("ticket");
            }
            int cls = targetClass(target, req.priority(), t.className());
            return apply(tx, t, TicketAction.TRANSFER, who, null, new Transfer(target, cls, number))
                .map(after -> new Ticket[] {t, after});
          })))
          .compose(pair -> after.transferred(pair[0], pair[1]).map(pair[1]))
          .onFailure(line::noteFailure);
    });
  }

  private static int targetClass(Queue target, String priority, String currentClass) {
    if (priority != null) {
      int i = target.classIndex(priority);
      if (i < 0) {
        throw new ApiException.BadRequest("ticket.unknown_priority",
            "The target queue has no priority class '" + priority + "'.");
      }
      return i;
    }
    return Math.max(0, target.classIndex(currentClass));
  }

  /** Applies one legal transition under the row lock; illegal ones are a 409 and change nothing. */
  Future<Ticket> apply(SqlConnection tx, Ticket t, TicketAction action, Principal who, Counter counter,
                       Transfer transfer) {
    TicketStatus to = action.apply(t.status());
    Instant now = Instant.now();
    Ticket after = switch (action) {
      case CALL -> t.calledTo(counter.id(), now);
      case RECALL -> t.recalled(now);
      case START -> t.started(now);
      case COMPLETE, NO_SHOW -> t.finished(to, now);
      case LEAVE, EXPIRE, ADMIT -> t.outOfLine(to, now);
      case TRANSFER -> t.movedTo(transfer.target(), transfer.classRank(), transfer.number(), now);
    };
    String actorKind = who == null ? "public" : who.actorKind();
    UUID actorId = who == null ? null : who.actorId();
    JsonObject detail = transfer == null ? null
        : new JsonObject().put("fromQueue", t.queueId().toString()).put("fromCode", t.code());
    return tickets.transition(tx, t, new TicketChange(after, action, actorKind, actorId,
            after.counterId() != null ? after.counterId() : t.counterId(), detail))
        .map(saved -> {
          if (saved == null) {
            throw new ApiException.Conflict("ticket.concurrent_update", "The ticket changed meanwhile; reload it.");
          }
          return saved;
        });
  }

  static double seconds(Instant from, Instant to) {
    return Math.max(0, (to.toEpochMilli() - from.toEpochMilli()) / 1000.0);
  }

  /** Where a transferred ticket lands: the target queue, its class there and its new number. */
  record Transfer(Queue target, int classRank, long number) {
  }
}
