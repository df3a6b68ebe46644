package dev.virtualqueue.metrics;

import dev.virtualqueue.metrics.MetricsQueries.QueueInfo;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Label values of a queue (tenant slug, queue slug, mode) by queue id. Filled by every gauge
 * refresh; a queue created since the last refresh is looked up once on first use. Labels are
 * slugs chosen by tenants when configuring queues, so their number is bounded by configuration,
 * never by traffic.
 */
final class QueueLabels {
  private final MetricsQueries sql;
  private final Map<UUID, QueueInfo> known = new ConcurrentHashMap<>();

  QueueLabels(MetricsQueries sql) {
    this.sql = sql;
  }

  void remember(QueueInfo q) {
    known.put(q.id(), q);
  }

  /** The queue's info, or null if it no longer exists. */
  Future<QueueInfo> info(UUID queueId) {
    QueueInfo q = known.get(queueId);
    if (q != null) {
      return Future.succeededFuture(q);
    }
    return sql.queue(queueId).onSuccess(found -> {
      if (found != null) {
        remember(found);
      }
    });
  }

  /** {@code tenant} and {@code queue} tags of a queue, or null if it no longer exists. */
  Future<Tags> tags(UUID queueId) {
    return info(queueId).map(q -> q == null ? null : Tags.of("tenant", q.tenant(), "queue", q.slug()));
  }
}
