package dev.virtualqueue.notify;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Re-evaluates "almost your turn" for a queue whose line moved (or, periodically, for every queue
 * where somebody is still owed it): position and p50 ETA as the ticket view computes them, against
 * each ticket's thresholds. The work is bounded: each class is walked in line order and left as
 * soon as neither threshold can fire for anybody behind (positions and ETAs only grow backwards).
 * A due message is queued as its own outbox row, which is then sent like any other.
 */
final class AlmostTurnScan {
  /** Candidates read per queue and pass; those further back are left for a later pass. */
  static final int LIMIT = 200;
  private final Mailing m;

  AlmostTurnScan(Mailing m) {
    this.m = m;
  }

  /** One pass over {@code queueId}; resolves once every due message is queued. */
  Future<Void> scan(UUID queueId) {
    return m.store().candidates(queueId, LIMIT).compose(list -> {
      Set<Integer> finished = new HashSet<>();
      Future<Void> chain = Future.succeededFuture();
      for (MailStore.Candidate c : list) {
        chain = chain.compose(v -> finished.contains(c.classRank()) ? Future.succeededFuture()
            : evaluate(c).map(more -> {
              if (!more) {
                finished.add(c.classRank());
              }
              return null;
            }));
      }
      return chain;
    });
  }

  /** Every queue where somebody is owed the message (for ETAs that shrink without a line move). */
  Future<Void> sweep() {
    return m.store().queuesOwingAlmost().compose(queues -> {
      Future<Void> chain = Future.succeededFuture();
      for (UUID q : queues) {
        chain = chain.compose(v -> scan(q));
      }
      return chain;
    });
  }

  /** Queues the message if due; false when nobody later in this class can be due now. */
  private Future<Boolean> evaluate(MailStore.Candidate c) {
    return m.tickets().viewById(c.ticketId()).compose(v -> {
      if (v.position() == null) {
        return Future.succeededFuture(true); // not waiting any more, or no position right now
      }
      long ahead = v.position() - 1;
      Duration eta = v.eta() == null ? null : Duration.ofSeconds(v.eta().p50());
      if (AlmostTurn.due(false, ahead, eta, c.ahead(), c.minutes()).isPresent()) {
        Integer minutes = eta == null ? null : (int) Math.max(1, (eta.toSeconds() + 59) / 60);
        return m.store().queueAlmost(c.ticketId(), ahead, minutes).map(true);
      }
      boolean aheadCanFire = c.laterAhead() != null && ahead <= c.laterAhead();
      boolean etaCanFire = c.laterMinutes() != null && eta != null
          && eta.compareTo(Duration.ofMinutes(c.laterMinutes())) <= 0;
      return Future.succeededFuture(aheadCanFire || etaCanFire);
    });
  }
}
