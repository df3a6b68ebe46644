package dev.virtualqueue.ticket;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Remembers the median ETA each ticket was promised at join ({@code tickets.eta_p50_s}), so the
 * ETA error can be measured when it is called. Writes are batched (housekeeping flushes every
 * second) so a join costs no extra statement. The batch never waits for a row lock: a ticket
 * being called or finished right now is skipped and tried again on the next flushes (waiting
 * would let the batch join a lock cycle with call-next and complete, which lock the queue row and
 * ticket rows in opposite orders). A prediction that is never written only means one sample fewer
 * for the ETA-error metric.
 */
public final class EtaRecorder {
  private static final int MAX_BATCH = 5_000;
  private static final int MAX_ATTEMPTS = 3;
  private static final String UPDATE = """
      UPDATE tickets t SET eta_p50_s = v.p50
      FROM unnest($1::uuid[], $2::int[]) AS v(id, p50)
      WHERE t.id = v.id
        AND t.id IN (SELECT id FROM tickets WHERE id = ANY($1) FOR UPDATE SKIP LOCKED)
      RETURNING t.id""";

  private final Pool pool;
  private final ConcurrentLinkedQueue<Promised> pending = new ConcurrentLinkedQueue<>();

  public EtaRecorder(Pool pool) {
    this.pool = pool;
  }

  private record Promised(UUID id, int p50, int attempt) {
  }

  /** Notes the ETA shown in a join response (nothing when there was none). */
  public void promised(TicketView view) {
    if (view.eta() != null) {
      pending.add(new Promised(view.id(), (int) Math.min(Integer.MAX_VALUE, view.eta().p50()), 0));
    }
  }

  /** Writes the pending predictions in one statement; returns how many were written. */
  public Future<Integer> flush() {
    List<Promised> batch = new ArrayList<>();
    for (Promised p = pending.poll(); p != null && batch.size() < MAX_BATCH; p = pending.poll()) {
      batch.add(p);
    }
    if (batch.isEmpty()) {
      return Future.succeededFuture(0);
    }
    Tuple args = Tuple.tuple()
        .addArrayOfUUID(batch.stream().map(Promised::id).toArray(UUID[]::new))
        .addArrayOfInteger(batch.stream().map(Promised::p50).toArray(Integer[]::new));
    return pool.preparedQuery(UPDATE).execute(args).map(rs -> {
      Set<UUID> written = new HashSet<>();
      for (Row r : rs) {
        written.add(r.getUUID(0));
      }
      batch.stream().filter(p -> !written.contains(p.id()) && p.attempt() + 1 < MAX_ATTEMPTS)
          .forEach(p -> pending.add(new Promised(p.id(), p.p50(), p.attempt() + 1)));
      return written.size();
    });
  }
}
