package dev.virtualqueue.ticket;

import dev.virtualqueue.auth.Principal;
import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Errors;
import dev.virtualqueue.common.Page;
import dev.virtualqueue.queue.QueueService;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Reading tickets (by their holder or by staff), leaving, staff lists and what a board starts from. */
public final class TicketService {
  private final Pool pool;
  private final TicketRepository tickets;
  private final QueueService queues;
  private final Positions positions;
  private final CallService calls;
  private final MailCapability mailCapability;
  private volatile AdmissionLink link = AdmissionLink.NONE;

  public TicketService(Pool pool, TicketRepository tickets, QueueService queues, Positions positions,
                       CallService calls, MailCapability mailCapability) {
    this.pool = pool;
    this.tickets = tickets;
    this.queues = queues;
    this.positions = positions;
    this.calls = calls;
    this.mailCapability = mailCapability;
  }

  /**
   * The holder's view of their ticket, by its token or by the capability of a message's live link;
   * a wrong or missing one is refused.
   */
  public Future<TicketView> getByHolder(UUID id, String token) {
    return held(id, token, true).compose(t -> positions.view(t, true).compose(v -> withAccess(t, v)));
  }

  /** An admitted holder's view carries their access token (signed anew; it is never stored). */
  private Future<TicketView> withAccess(Ticket t, TicketView v) {
    return t.status() != TicketStatus.ADMITTED ? Future.succeededFuture(v) : link.access(t).map(v::withAccess);
  }

  /** An admitted holder's access to the protected site (live sockets send it), or null. */
  public Future<AdmissionLink.Access> access(Ticket t) {
    return link.access(t);
  }

  /** {@link #access} of a ticket by id (null when it is not admitted or its session ended). */
  public Future<AdmissionLink.Access> accessById(UUID id) {
    return tickets.find(pool, id).compose(t -> t == null || t.status() != TicketStatus.ADMITTED
        ? Future.succeededFuture(null) : link.access(t));
  }

  /** Wires the waiting room in (it is built after the ticket feature). */
  public void link(AdmissionLink admission) {
    this.link = admission;
  }

  /** Staff view of a ticket of their tenant (404 for any other tenant's ticket). */
  public Future<TicketView> getByStaff(Principal who, UUID id) {
    return tickets.find(pool, id).compose(t -> {
      if (t == null || !t.tenantId().equals(who.tenantId())) {
        throw Errors.notFound("ticket");
      }
      return positions.view(t, true);
    });
  }

  /** The holder leaves the line (with the ticket token only: a message's capability cannot). */
  public Future<TicketView> leave(UUID id, String token) {
    return held(id, token, false).compose(t -> t.status() == TicketStatus.ADMITTED ? leaveAdmitted(t)
        : calls.leave(t)).compose(t -> positions.view(t, true));
  }

  /** An admitted holder is done: their session ends (409 when it already had). */
  private Future<Ticket> leaveAdmitted(Ticket t) {
    return link.leave(t).map(ended -> {
      if (!ended) {
        throw new ApiException.Conflict("ticket.invalid_transition",
            "This admitted ticket's session has already ended.");
      }
      return t;
    });
  }

  /** Checks a holder's token or message capability (for live sockets); 401/403/404 as for the REST read. */
  public Future<Ticket> holder(UUID id, String token) {
    try {
      return held(id, token, true);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
  }

  /** The current view of a ticket by id, for a caller already authorised for it. */
  public Future<TicketView> viewById(UUID id) {
    return tickets.find(pool, id).compose(t -> {
      if (t == null) {
        throw Errors.notFound("ticket");
      }
      return positions.view(t, false);
    });
  }

  /** What a display board starts from: who is at which counter now and the latest calls. */
  public record BoardData(String queueName, List<TicketRepository.ServingRow> nowServing,
                          List<TicketRepository.CallRow> recentCalls) {
  }

  public Future<BoardData> boardData(UUID queueId) {
    return queues.cached(queueId).compose(q -> Future.all(tickets.nowServing(queueId), tickets.recentCalls(queueId, 10))
        .map(all -> new BoardData(q.name(), all.resultAt(0), all.resultAt(1))));
  }

  /**
   * The called or serving ticket of a counter, or null when it is free. The caller has already
   * found the counter in its own tenant, and a ticket at it belongs to the same queue.
   */
  public Future<TicketView> atCounter(UUID counterId) {
    return tickets.activeAtCounter(pool, counterId)
        .compose(id -> id == null ? Future.succeededFuture(null) : tickets.find(pool, id))
        .compose(t -> t == null ? Future.succeededFuture(null) : positions.view(t, true));
  }

  /** A ticket of the caller's tenant, as a view (used after staff actions). */
  public Future<TicketView> view(Ticket t) {
    return positions.view(t, true);
  }

  private Future<Ticket> held(UUID id, String token, boolean capabilityReads) {
    if (token == null || token.isEmpty()) {
      throw new ApiException.Unauthorized("ticket.token_missing", "Send the ticket token in X-Ticket-Token.");
    }
    boolean capability = MailCapability.isCapability(token);
    return tickets.find(pool, id).map(t -> {
      if (t == null) {
        throw Errors.notFound("ticket");
      }
      boolean ok = capability ? capabilityReads && mailCapability.matches(id, token)
          : TicketTokens.matches(token, t.tokenHash());
      if (!ok) {
        throw new ApiException.Forbidden("ticket.invalid_token", "This token does not belong to the ticket.");
      }
      return t;
    });
  }

  /** Waiting tickets of a queue in line order (class, then number), {@code limit} per page. */
  public Future<Page<TicketView>> listWaiting(Principal who, UUID queueId, String cursor, int limit) {
    long[] after = decodeCursor(cursor);
    return queues.get(who, queueId)
        .compose(q -> tickets.waiting(who.tenantId(), q.id(), (int) after[0], after[1], limit + 1))
        .map(list -> {
          boolean more = list.size() > limit;
          List<Ticket> page = more ? list.subList(0, limit) : list;
          List<TicketView> views = new ArrayList<>();
          page.forEach(t -> views.add(TicketView.of(t, null, null, true)));
          Ticket last = page.isEmpty() ? null : page.get(page.size() - 1);
          return new Page<>(views, more && last != null ? encodeCursor(last.classRank(), last.number()) : null);
        });
  }

  private static String encodeCursor(int cls, long number) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((cls + ":" + number).getBytes(StandardCharsets.UTF_8));
  }

  private static long[] decodeCursor(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return new long[] {-1, -1};
    }
    try {
      String[] p = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
      return new long[] {Integer.parseInt(p[0]), Long.parseLong(p[1])};
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      throw new ApiException.BadRequest("request.invalid_cursor", "The cursor is not one this server issued.");
    }
  }
}
