package dev.virtualqueue.live;

import dev.virtualqueue.counter.CounterService;
import dev.virtualqueue.line.LineMirror;
import dev.virtualqueue.line.PresenceStore;
import dev.virtualqueue.queue.QueueService;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Process-wide source of {@link LineOrder}s. One Redis read serves every event loop and every
 * socket of a queue: a caller asks for an order fetched no earlier than the change it reacts to,
 * and reuses a fetch already started after that instant.
 */
public final class LineOrders implements OrderSource {
  private final LineMirror line;
  private final QueueService queues;
  private final CounterService counters;
  private final Map<UUID, Fetch> latest = new ConcurrentHashMap<>();
  /** A read still unanswered after this long is not shared any more. */
  private static final long STALE_NANOS = 2_000_000_000L;

  private final PresenceStore presence;

  /** {@code presence}: who is connected, which a waiting room's estimates need. */
  public LineOrders(LineMirror line, QueueService queues, CounterService counters, PresenceStore presence) {
    this.presence = presence;
    this.line = line;
    this.queues = queues;
    this.counters = counters;
  }

  private record Fetch(long startedNanos, Future<LineOrder> future) {
  }

  @Override
  public Future<LineOrder> get(UUID queueId, long notBeforeNanos) {
    Fetch f = latest.get(queueId);
    boolean fresh = f != null && (f.future().isComplete() || System.nanoTime() - f.startedNanos() < STALE_NANOS);
    if (f != null && fresh && f.startedNanos() >= notBeforeNanos && !f.future().failed()) {
      return f.future();
    }
    long started = System.nanoTime();
    long startedAt = System.currentTimeMillis();
    Future<LineOrder> future = queues.cached(queueId).compose(q -> Future.all(
            line.fullLine(q.id(), q.priorityClasses().size()), counters.openCount(q.id()))
        .map(all -> LineOrder.of(q, all.<Integer>resultAt(1), all.resultAt(0), startedAt))
        .compose(order -> q.isWaitingRoom() ? withPresence(order) : Future.succeededFuture(order)));
    latest.merge(queueId, new Fetch(started, future), (old, neu) -> old.startedNanos() >= neu.startedNanos() ? old : neu);
    return future;
  }

  /** A waiting room's order with who is absent, for the estimates (without it when presence cannot be read). */
  private Future<LineOrder> withPresence(LineOrder order) {
    List<UUID> ids = order.order().stream().map(UUID::fromString).toList();
    return presence.absent(ids).map(absent -> order.withAbsent(absent.stream().map(UUID::toString)
            .collect(Collectors.toSet())))
        .recover(t -> Future.succeededFuture(order));
  }

  /** Forgets a queue nobody watches any more on this process. */
  public void forget(UUID queueId) {
    latest.remove(queueId);
  }
}
