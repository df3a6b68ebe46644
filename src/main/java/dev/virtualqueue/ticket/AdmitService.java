package dev.virtualqueue.ticket;

import dev.virtualqueue.auth.Principal;
import dev.virtualqueue.line.LinePlace;
import dev.virtualqueue.line.PresenceStore;
import dev.virtualqueue.queue.Queue;
import dev.virtualqueue.queue.QueueService;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The ticket side of a waiting room's admission: who is let in next, as {@code waiting → admitted}
 * transitions written and evented like every other one. The admission engine (package
 * {@code admission}) decides when and how many, holds the queue lock and writes the sessions.
 *
 * <p>People whose live page is gone (they used it, and it is not connected now) are passed over
 * and keep their place; once absent longer than the queue's hold time (absent policy
 * {@code holdMinutes}, default {@value #DEFAULT_HOLD_MINUTES}) their ticket expires. People who
 * never opened the live page (an API join, a kiosk ticket) count as present.
 */
public final class AdmitService {
  static final int DEFAULT_HOLD_MINUTES = 10;
  /** Candidates looked at beyond the number wanted, so a few absent people do not stall a batch. */
  static final int SPARE = 25;
  private final TicketRepository tickets;
  private final QueueService queues;
  private final PresenceStore presence;
  private final CallService calls;
  private final AfterCommit after;

  AdmitService(TicketRepository tickets, QueueService queues, PresenceStore presence, CallService calls,
               AfterCommit after) {
    this.tickets = tickets;
    this.queues = queues;
    this.presence = presence;
    this.calls = calls;
    this.after = after;
  }

  /** The people admitted by one batch, and the absent ones whose hold ran out. */
  public record Batch(List<Ticket> admitted, List<Ticket> expired) {
    public static final Batch EMPTY = new Batch(List.of(), List.of());
  }

  /**
   * Admits up to {@code max} waiting people of waiting room {@code q}, in line order (or at random
   * for a {@code random} room), passing over the absent. The caller holds the queue lock in
   * {@code tx}; nothing is announced before {@link #announce}.
   */
  public Future<Batch> admit(SqlConnection tx, Queue q, int max) {
    if (max <= 0) {
      return Future.succeededFuture(Batch.EMPTY);
    }
    Future<List<AbsentSkipper.Candidate>> order = q.waitingRoom().random() ? randomOrder(tx, q, max + SPARE)
        : tickets.firstWaiting(tx, q.id(), q.priorityClasses().size(), max + SPARE)
            .map(lists -> AbsentSkipper.order(q, lists));
    return order.compose(candidates -> presence.absent(candidates.stream().map(AbsentSkipper.Candidate::id).toList())
        .compose(absent -> walk(tx, q, candidates, absent, max)));
  }

  private Future<List<AbsentSkipper.Candidate>> randomOrder(SqlConnection tx, Queue q, int n) {
    return tx.preparedQuery("SELECT id FROM tickets WHERE queue_id = $1 AND status = 'waiting' ORDER BY random() LIMIT $2")
        .execute(Tuple.of(q.id(), n)).map(rs -> {
          List<AbsentSkipper.Candidate> out = new ArrayList<>();
          rs.forEach(r -> out.add(new AbsentSkipper.Candidate(r.getUUID(0), null)));
          return out;
        });
  }

  private Future<Batch> walk(SqlConnection tx, Queue q, List<AbsentSkipper.Candidate> order, Set<UUID> absent,
                             int max) {
    Integer hold = q.absentPolicyOrDefault().holdMinutes();
    long holdMillis = (hold != null ? hold : DEFAULT_HOLD_MINUTES) * 60_000L;
    Principal system = Principal.system(q.tenantId());
    List<Ticket> admitted = new ArrayList<>();
    List<Ticket> expired = new ArrayList<>();
    Future<AbsentSkipper.Candidate> last = Future.succeededFuture(null);
    for (AbsentSkipper.Candidate c : order) {
      last = last.compose(prev -> {
        if (admitted.size() >= max) {
          return Future.succeededFuture(prev);
        }
        if (!absent.contains(c.id())) {
          return step(tx, q, c.id(), TicketAction.ADMIT, system, admitted).map(c);
        }
        long now = System.currentTimeMillis();
        return presence.skippedSince(c.id(), now).compose(since -> now - since >= holdMillis
            ? step(tx, q, c.id(), TicketAction.EXPIRE, system, expired).map(prev) : Future.succeededFuture(prev));
      });
    }
    return last.compose(c -> c == null || c.after() == null ? Future.succeededFuture()
            : queues.saveCursor(tx, q.id(), c.after()))
        .map(v -> new Batch(List.copyOf(admitted), List.copyOf(expired)));
  }

  private Future<Void> step(SqlConnection tx, Queue q, UUID id, TicketAction action, Principal system,
                            List<Ticket> into) {
    return tickets.lock(tx, q.tenantId(), id).compose(t -> t == null || !action.allowedFrom(t.status())
        ? Future.succeededFuture()
        : calls.apply(tx, t, action, system, null, null).map(saved -> {
          into.add(saved);
          return null;
        }));
  }

  /**
   * Puts the waiting ones of {@code order} (a pre-queue, in its drawn order) in that order: they
   * swap their numbers among themselves (the lowest number goes to the first drawn), so everyone
   * who joined later stays behind them. Codes stay as issued. Returns the new places, for
   * {@link #reordered} after the commit. The caller holds the queue lock.
   */
  public Future<List<LinePlace>> reorder(SqlConnection tx, UUID queueId, List<UUID> order) {
    String read = "SELECT id, class_rank, number FROM tickets WHERE id = ANY($1::uuid[]) AND queue_id = $2"
        + " AND status = 'waiting'";
    return tx.preparedQuery(read).execute(Tuple.tuple().addValue(order.toArray(new UUID[0])).addValue(queueId)).compose(rs -> {
      Map<UUID, Integer> classOf = new HashMap<>();
      List<Long> numbers = new ArrayList<>();
      rs.forEach(r -> {
        classOf.put(r.getUUID("id"), r.getInteger("class_rank"));
        numbers.add(r.getLong("number"));
      });
      numbers.sort(null);
      List<UUID> ids = order.stream().filter(classOf::containsKey).toList();
      List<LinePlace> places = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        places.add(new LinePlace(queueId, classOf.get(ids.get(i)), ids.get(i), numbers.get(i)));
      }
      if (ids.isEmpty()) {
        return Future.succeededFuture(places);
      }
      UUID[] idArray = ids.toArray(new UUID[0]);
      // (queue_id, number) is unique: step aside to negative numbers first, then take the new ones
      return tx.preparedQuery("UPDATE tickets SET number = -number WHERE id = ANY($1::uuid[])")
          .execute(Tuple.tuple().addValue(idArray))
          .compose(x -> tx.preparedQuery("UPDATE tickets t SET number = x.n, version = t.version + 1"
                  + " FROM unnest($1::uuid[], $2::bigint[]) AS x(id, n) WHERE t.id = x.id")
              .execute(Tuple.tuple().addValue(idArray).addValue(numbers.subList(0, ids.size()).toArray(new Long[0]))))
          .map(places);
    });
  }

  /** After the commit of a {@link #reorder}: the mirror takes the new order, and the queue's sockets recompute. */
  public Future<Void> reordered(UUID queueId, List<LinePlace> moved) {
    return after.reordered(queueId, moved);
  }

  /**
   * After the commit: each admitted or expired ticket leaves the mirror and is announced (a mirror
   * failure schedules its repair and does not stop the others).
   */
  public Future<Void> announce(Batch batch) {
    Future<Void> chain = Future.succeededFuture();
    for (Ticket t : batch.expired()) {
      chain = chain.compose(v -> after.leftLine(t, TicketAction.EXPIRE).recover(e -> Future.succeededFuture()));
    }
    for (Ticket t : batch.admitted()) {
      chain = chain.compose(v -> after.leftLine(t, TicketAction.ADMIT).recover(e -> Future.succeededFuture()));
    }
    return chain;
  }
}
