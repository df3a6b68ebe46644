package dev.virtualqueue.ticket;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Remembers the median ETA each ticket was promised at join ({@code tickets.eta_p50_s}), so the
 * ETA error can be measured when it is called. Writes are batched (housekeeping flushes every
 * second) so a join costs no extra statement; a prediction lost in a crash only means one
 * sample fewer for the ETA-error metric.
 */
public final class EtaRecorder {
  private static final int MAX_BATCH = 5_000;
  private static final String UPDATE = "UPDATE tickets t SET eta_p50_s = v.p50"
      + " FROM unnest($1::uuid[], $2::int[]) AS v(id, p50) WHERE t.id = v.id";

  private final Pool pool;
  private final ConcurrentLinkedQueue<Promised> pending = new ConcurrentLinkedQueue<>();

  public EtaRecorder(Pool pool) {
    this.pool = pool;
  }

  private record Promised(UUID id, int p50) {
  }

  /** Notes the ETA shown in a join response (nothing when there was none). */
  public void promised(TicketView view) {
    if (view.eta() != null) {
      pending.add(new Promised(view.id(), (int) Math.min(Integer.MAX_VALUE, view.eta().p50())));
    }
  }

  /** Writes the pending predictions in one statement; returns how many were written. */
  public Future<Integer> flush() {
    List<UUID> ids = new ArrayList<>();
    List<Integer> etas = new ArrayList<>();
    for (Promised p = pending.poll(); p != null && ids.size() < MAX_BATCH; p = pending.poll()) {
      ids.add(p.id());
      etas.add(p.p50());
    }
    if (ids.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return pool.preparedQuery(UPDATE)
        .execute(Tuple.tuple().addArrayOfUUID(ids.toArray(new UUID[0])).addArrayOfInteger(etas.toArray(new Integer[0])))
        .map(rs -> rs.rowCount());
  }
}
