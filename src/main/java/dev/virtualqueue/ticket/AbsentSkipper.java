package dev.virtualqueue.ticket;

import dev.virtualqueue.line.PresenceStore;
import dev.virtualqueue.queue.PriorityPicker;
import dev.virtualqueue.queue.Queue;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Call-next for queues whose absent policy is "skip": walks the line in call order and takes the
 * first person who is present (or never used the live page). Absent people keep their place;
 * once absent longer than the hold time, their ticket expires.
 */
final class AbsentSkipper {
  static final int CANDIDATES_PER_CLASS = 25;
  private final TicketRepository tickets;
  private final PresenceStore presence;

  AbsentSkipper(TicketRepository tickets, PresenceStore presence) {
    this.tickets = tickets;
    this.presence = presence;
  }

  /** A ticket that could be called next, and the interleave cursor after calling it. */
  record Candidate(UUID id, PriorityPicker.Cursor after) {
  }

  /** What to do: call {@code call} (null: nobody present) and expire {@code expire}. */
  record Decision(Candidate call, List<UUID> expire) {
  }

  Future<Decision> decide(SqlConnection tx, Queue q) {
    int holdMillis = q.absentPolicyOrDefault().holdMinutes() * 60_000;
    return tickets.firstWaiting(tx, q.id(), q.priorityClasses().size(), CANDIDATES_PER_CLASS)
        .map(lists -> order(q, lists))
        .compose(order -> presence.absent(order.stream().map(Candidate::id).toList())
            .compose(absent -> walk(order, absent, 0, holdMillis, new ArrayList<>())));
  }

  private Future<Decision> walk(List<Candidate> order, Set<UUID> absent, int i, int holdMillis, List<UUID> expire) {
    if (i >= order.size()) {
      return Future.succeededFuture(new Decision(null, expire));
    }
    Candidate c = order.get(i);
    if (!absent.contains(c.id())) {
      return Future.succeededFuture(new Decision(c, expire));
    }
    long now = System.currentTimeMillis();
    return presence.skippedSince(c.id(), now).compose(since -> {
      if (now - since >= holdMillis) {
        expire.add(c.id());
      }
      return walk(order, absent, i + 1, holdMillis, expire);
    });
  }

  /** The candidates in the order call-next would take them, with the cursor after each. */
  static List<Candidate> order(Queue q, List<List<UUID>> lists) {
    int[] next = new int[lists.size()];
    List<Candidate> out = new ArrayList<>();
    PriorityPicker.Cursor cursor = new PriorityPicker.Cursor(q.rrClass(), q.rrCount());
    while (true) {
      PriorityPicker.Pick pick = PriorityPicker.next(q.weighted(), q.weights(), cursor,
          i -> next[i] < lists.get(i).size());
      if (pick == null) {
        return out;
      }
      out.add(new Candidate(lists.get(pick.cls()).get(next[pick.cls()]++), pick.next()));
      cursor = pick.next();
    }
  }
}
