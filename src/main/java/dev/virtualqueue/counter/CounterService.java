package dev.virtualqueue.counter;

import dev.virtualqueue.auth.Principal;
import dev.virtualqueue.common.Errors;
import dev.virtualqueue.common.ShortCache;
import dev.virtualqueue.common.Validate;
import dev.virtualqueue.events.DomainEvent;
import dev.virtualqueue.events.EventPublisher;
import dev.virtualqueue.queue.QueueService;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import java.util.UUID;

/** Counters of a queue: create, open, close; the open count feeds the ETA. */
public final class CounterService {
  private static final long CACHE_MILLIS = 1_000;
  private final CounterRepository repo;
  private final QueueService queues;
  private final ShortCache<UUID, Integer> openCounts = new ShortCache<>(CACHE_MILLIS);

  private final EventPublisher events;

  public CounterService(CounterRepository repo, QueueService queues, EventPublisher events) {
    this.repo = repo;
    this.queues = queues;
    this.events = events;
  }

  /** Body of counter creation. */
  public record CreateCounter(String name) {
  }

  /** Adds a counter (closed) to a queue of the caller's tenant; duplicate names are 409. */
  public Future<Counter> create(Principal who, UUID queueId, CreateCounter req) {
    String name = Validate.text("name", req.name(), 60, true);
    return queues.get(who, queueId)
        .compose(q -> repo.insert(new Counter(UUID.randomUUID(), who.tenantId(), q.id(), name, Counter.CLOSED,
            null, null, null, null)))
        .recover(t -> Future.failedFuture(Errors.translate(t, "counter.name_taken",
            "This queue already has a counter with that name.")));
  }

  public Future<Counter> get(Principal who, UUID id) {
    return find(repo.pool(), who.tenantId(), id);
  }

  /** A counter of the tenant (inside a transaction when given one), or 404. */
  public Future<Counter> find(SqlClient client, UUID tenantId, UUID id) {
    return repo.find(client, tenantId, id).map(c -> {
      if (c == null) {
        throw Errors.notFound("counter");
      }
      return c;
    });
  }

  public Future<List<Counter>> list(Principal who, UUID queueId) {
    return queues.get(who, queueId).compose(q -> repo.byQueue(who.tenantId(), q.id()));
  }

  /** Opens or closes a counter. */
  public Future<Counter> setStatus(Principal who, UUID id, String status) {
    return repo.setStatus(who.tenantId(), id, status, who).map(c -> {
      if (c == null) {
        throw Errors.notFound("counter");
      }
      openCounts.invalidate(c.queueId());
      events.publish(DomainEvent.ofQueue(DomainEvent.Kind.COUNTER_CHANGED, c.queueId(), null));
      return c;
    });
  }

  /** Open counters of a queue, cached for a second (used on every ETA). */
  public Future<Integer> openCount(UUID queueId) {
    return openCounts.get(queueId, () -> repo.openCount(queueId));
  }
}
