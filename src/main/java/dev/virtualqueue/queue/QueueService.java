package dev.virtualqueue.queue;

import dev.virtualqueue.auth.Principal;
import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Errors;
import dev.virtualqueue.common.Secrets;
import dev.virtualqueue.common.ShortCache;
import dev.virtualqueue.events.DomainEvent;
import dev.virtualqueue.events.EventPublisher;
import dev.virtualqueue.events.Outbox;
import dev.virtualqueue.line.LineMirror;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Queue settings and lifecycle (open, paused, closed), scoped to the caller's tenant. */
public final class QueueService {
  private static final Logger LOG = LoggerFactory.getLogger(QueueService.class);
  /** How long a cached queue is trusted on the hot read path; changes elsewhere show within it. */
  private static final long CACHE_MILLIS = 1_000;

  private final QueueRepository repo;
  private final ShortCache<UUID, Queue> cache = new ShortCache<>(CACHE_MILLIS);
  private final ShortCache<String, Queue> bySlug = new ShortCache<>(CACHE_MILLIS);

  private final EventPublisher events;
  private final LineMirror line;
  private final JoinLimitDirectory joinLimits;

  QueueService(QueueRepository repo, EventPublisher events, LineMirror line, JoinLimitDirectory joinLimits) {
    this.repo = repo;
    this.events = events;
    this.line = line;
    this.joinLimits = joinLimits;
  }

  /** Creates a queue; a taken slug is a 409 {@code queue.slug_taken}. */
  public Future<Queue> create(Principal who, QueueRequest req) {
    Queue q = req.applyTo(null, UUID.randomUUID(), who.tenantId());
    return repo.insert(q)
        .recover(t -> Future.failedFuture(Errors.translate(t, "queue.slug_taken", "A queue with this slug exists.")))
        .onSuccess(saved -> LOG.info("queue {} ({}) created in tenant {}", saved.slug(), saved.id(), who.tenantId()))
        .compose(saved -> saved.joinLimit() == null ? Future.succeededFuture(saved) : limitsReloaded(saved));
  }

  /** The answer waits for this server's join limits to include the change (a failed reload keeps the old ones). */
  private Future<Queue> limitsReloaded(Queue saved) {
    return joinLimits.reload().otherwiseEmpty().map(saved);
  }

  /** A queue of the caller's tenant, or 404. */
  public Future<Queue> get(Principal who, UUID id) {
    return repo.find(who.tenantId(), id).map(QueueService::found);
  }

  public Future<List<Queue>> list(Principal who, String afterSlug, int limit) {
    return repo.list(who.tenantId(), afterSlug == null ? "" : afterSlug, limit);
  }

  /** Partial update; priority classes cannot be reshaped while people wait in them. */
  public Future<Queue> update(Principal who, UUID id, QueueRequest req) {
    return get(who, id).compose(base -> waitingCount(base).compose(waiting -> {
      Queue next = req.applyTo(base, base.id(), base.tenantId());
      if (waiting > 0 && !sameClassNames(base, next)) {
        throw new ApiException.Conflict("queue.classes_in_use",
            "Priority classes can only be reweighted or appended while people are waiting.");
      }
      return save(next, DomainEvent.Kind.QUEUE_CHANGED)
          .compose(saved -> limitMoved(base, saved) ? limitsReloaded(saved) : Future.succeededFuture(saved));
    }));
  }

  /** Whether a change touches the join-limit directory, which holds limited queues by tenant and slug. */
  private static boolean limitMoved(Queue before, Queue after) {
    return !Objects.equals(before.joinLimit(), after.joinLimit())
        || before.joinLimit() != null && !before.slug().equals(after.slug());
  }

  private static boolean sameClassNames(Queue a, Queue b) {
    List<PriorityClass> x = a.priorityClasses();
    List<PriorityClass> y = b.priorityClasses();
    if (y.size() < x.size()) {
      return false;
    }
    for (int i = 0; i < x.size(); i++) {
      if (!x.get(i).name().equals(y.get(i).name())) {
        return false;
      }
    }
    return true;
  }

  /** Moves a queue to open, paused or closed. */
  public Future<Queue> setStatus(Principal who, UUID id, String status) {
    return get(who, id).compose(q -> save(q.withStatus(status), DomainEvent.Kind.QUEUE_STATUS))
        .onSuccess(q -> LOG.info("queue {} is now {}", q.id(), status));
  }

  /** Stores a change and, once committed, publishes its one event ({@code kind}). */
  private Future<Queue> save(Queue q, DomainEvent.Kind kind) {
    String outboxType = kind == DomainEvent.Kind.QUEUE_STATUS ? Outbox.queueStatusType(q.status())
        : Outbox.QUEUE_UPDATED;
    return repo.update(q, outboxType)
        .recover(t -> Future.failedFuture(Errors.translate(t, "queue.slug_taken", "A queue with this slug exists.")))
        .map(saved -> {
          if (saved == null) {
            throw new ApiException.Conflict("queue.concurrent_update", "The queue changed meanwhile; retry.");
          }
          cache.invalidate(saved.id());
          bySlug.invalidateIf(cached -> cached.id().equals(saved.id()));
          events.publish(DomainEvent.ofQueue(kind, saved.id(),
              kind == DomainEvent.Kind.QUEUE_STATUS ? saved.status() : null));
          return saved;
        });
  }

  /**
   * The public face of a queue: by tenant and queue slug, 404 when either is unknown. Cached for
   * a second like {@link #cached}: every public join starts here.
   */
  public Future<Queue> byPublicSlugs(String tenantSlug, String queueSlug) {
    return bySlug.get(tenantSlug + "/" + queueSlug,
        () -> repo.findBySlugs(tenantSlug, queueSlug).map(QueueService::found));
  }

  /** A queue by id, from a one-second cache: for the hot read path only (positions, ETA). */
  public Future<Queue> cached(UUID id) {
    return cache.get(id, () -> repo.findById(repoPool(), id).map(QueueService::found));
  }

  private SqlClient repoPool() {
    return repo.pool();
  }

  /** Start of "today" in the queue's time zone (UTC when it has no opening hours). */
  public static Instant dayStart(Queue q, Instant now) {
    ZoneId zone = q.openingHours() == null ? ZoneOffset.UTC : ZoneId.of(q.openingHours().timezone());
    return now.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
  }

  /** Lets a display board in: public boards need nothing, others the queue's display key. */
  public Future<Void> checkBoardAccess(UUID queueId, String key) {
    return repo.boardAccess(queueId).map(access -> DisplayKeys.check(DisplayKeys.Use.BOARD, access, key));
  }

  /**
   * Lets a kiosk in: the queue must have a display key and {@code key} must be it (a kiosk issues
   * tickets of any class, so an open board is not enough).
   */
  public Future<Void> checkKioskKey(UUID queueId, String key) {
    return repo.boardAccess(queueId).map(access -> DisplayKeys.check(DisplayKeys.Use.KIOSK, access, key));
  }

  /** Issues a new display key (shown once) and makes the queue's boards require it. */
  public Future<String> rotateDisplayKey(Principal who, UUID queueId) {
    String key = DisplayKeys.generate();
    return repo.setDisplayKey(who.tenantId(), queueId, Secrets.sha256(key)).map(ok -> {
      if (!ok) {
        throw Errors.notFound("queue");
      }
      return key;
    });
  }

  /** Makes the queue's boards public again. */
  public Future<Void> clearDisplayKey(Principal who, UUID queueId) {
    return repo.setDisplayKey(who.tenantId(), queueId, null).map(ok -> {
      if (!ok) {
        throw Errors.notFound("queue");
      }
      return null;
    });
  }

  /** Locks a queue row inside a call-next transaction (call-next of one queue runs one at a time). */
  public Future<Queue> lockForCall(SqlClient tx, UUID id) {
    return repo.lock(tx, id).map(QueueService::found);
  }

  /** Stores the weighted-interleave cursor after a call, inside the same transaction. */
  public Future<Void> saveCursor(SqlClient tx, UUID id, PriorityPicker.Cursor cursor) {
    return repo.saveCursor(tx, id, cursor);
  }

  /** Feeds one measured service time into the queue's service-rate estimate. */
  public Future<Void> recordServiceTime(SqlClient tx, UUID id, double seconds) {
    return repo.recordServiceTime(tx, id, seconds);
  }

  /** Today's figures for the snapshot. */
  private Future<Row> todayStats(Queue q) {
    return repo.todayStats(q.id(), dayStart(q, Instant.now()).atOffset(ZoneOffset.UTC));
  }

  private static Queue found(Queue q) {
    if (q == null) {
      throw Errors.notFound("queue");
    }
    return q;
  }

  /** Waiting people in a queue, from the line mirror. */
  public Future<Long> waitingCount(Queue q) {
    return line.counts(q.id(), q.priorityClasses().size()).map(w -> Arrays.stream(w).sum());
  }

  /** Queue snapshot: waiting per class, in service, served today, average and p90 wait today. */
  public record Snapshot(UUID queueId, String status, Map<String, Long> waitingByClass, long waiting,
                         long inService, long servedToday, long noShowToday, Double averageWaitSeconds,
                         Double p90WaitSeconds) {
  }

  /** The snapshot of a queue of the caller's tenant. */
  public Future<Snapshot> snapshot(Principal who, UUID queueId) {
    return get(who, queueId).compose(q -> Future.all(line.counts(q.id(), q.priorityClasses().size()), todayStats(q))
        .map(all -> snapshot(q, all.resultAt(0), all.resultAt(1))));
  }

  private static Snapshot snapshot(Queue q, long[] waiting, Row today) {
    Map<String, Long> byClass = new LinkedHashMap<>();
    long total = 0;
    List<PriorityClass> classes = q.priorityClasses();
    for (int i = 0; i < classes.size(); i++) {
      byClass.put(classes.get(i).name(), waiting[i]);
      total += waiting[i];
    }
    return new Snapshot(q.id(), q.status(), byClass, total, today.getLong("in_service"),
        today.getLong("served_today"), today.getLong("no_show_today"), round(today.getDouble("avg_wait")),
        round(today.getDouble("p90_wait")));
  }

  private static Double round(Double d) {
    return d == null ? null : Math.round(d * 10) / 10.0;
  }
}
