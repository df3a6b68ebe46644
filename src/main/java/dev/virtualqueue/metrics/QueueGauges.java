package dev.virtualqueue.metrics;

import dev.virtualqueue.metrics.MetricsQueries.QueueInfo;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges of the state of every queue, read from Postgres (the system of record) on each refresh.
 * Every instance publishes the same values, so rules aggregate them with max, never sum.
 * Rows of deleted queues disappear on the next refresh.
 */
final class QueueGauges {
  static final List<String> QUEUE_STATUSES = List.of("open", "paused", "closed");
  static final List<String> SERVICE_STATUSES = List.of("called", "serving");

  private final MetricsQueries sql;
  private final QueueLabels labels;
  private final MultiGauge waiting;
  private final MultiGauge oldest;
  private final MultiGauge inService;
  private final MultiGauge countersOpen;
  private final MultiGauge utilisation;
  private final MultiGauge status;
  private final MultiGauge activePeople;
  private final AtomicLong lastSuccess = new AtomicLong();

  QueueGauges(MeterRegistry registry, MetricsQueries sql, QueueLabels labels) {
    this.sql = sql;
    this.labels = labels;
    waiting = MultiGauge.builder("vq.queue.waiting").description("People waiting, per queue and priority class")
        .register(registry);
    oldest = MultiGauge.builder("vq.queue.oldest.waiting").baseUnit("seconds")
        .description("How long the longest-waiting person of a queue has waited").register(registry);
    inService = MultiGauge.builder("vq.queue.in.service")
        .description("Tickets called to a counter or being served, per queue").register(registry);
    countersOpen = MultiGauge.builder("vq.queue.counters.open").description("Open counters per queue")
        .register(registry);
    utilisation = MultiGauge.builder("vq.queue.capacity.utilisation").baseUnit("ratio")
        .description("Waiting people divided by the queue's capacity (queues with a capacity only)")
        .register(registry);
    status = MultiGauge.builder("vq.queue.status").description("1 for the queue's current status, 0 otherwise")
        .register(registry);
    activePeople = MultiGauge.builder("vq.active.people")
        .description("People holding a place (waiting, called or being served), per tenant").register(registry);
    Gauge.builder("vq.metrics.refresh.last.success.timestamp", lastSuccess, AtomicLong::get).baseUnit("seconds")
        .description("Unix time of the last successful refresh of the queue gauges").register(registry);
  }

  /** Reads the state of every queue and replaces all rows of the gauges; returns the queues. */
  Future<List<QueueInfo>> refresh() {
    return Future.all(sql.queues(), sql.waiting(), sql.inService(), sql.openCounters()).map(all -> {
      List<QueueInfo> queues = all.resultAt(0);
      queues.forEach(labels::remember);
      publish(queues, all.resultAt(1), all.resultAt(2), all.resultAt(3));
      lastSuccess.set(Instant.now().getEpochSecond());
      return queues;
    });
  }

  private void publish(List<QueueInfo> queues, RowSet<Row> waitingRows, RowSet<Row> serviceRows,
                       RowSet<Row> counterRows) {
    Map<UUID, QueueInfo> byId = new HashMap<>();
    queues.forEach(q -> byId.put(q.id(), q));
    Map<UUID, long[]> perClass = new HashMap<>();
    Map<UUID, Instant> oldestAt = new HashMap<>();
    Instant now = Instant.now();
    for (Row r : waitingRows) {
      QueueInfo q = byId.get(r.getUUID("queue_id"));
      int rank = r.getInteger("class_rank");
      if (q != null && rank < q.classes().size()) {
        perClass.computeIfAbsent(q.id(), id -> new long[q.classes().size()])[rank] = r.getLong("n");
        OffsetDateTime at = r.getOffsetDateTime("oldest");
        oldestAt.merge(q.id(), at.toInstant(), (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    Map<String, Long> service = counts(serviceRows, "status");
    Map<String, Long> counters = counts(counterRows, null);
    List<MultiGauge.Row<?>> w = new ArrayList<>();
    List<MultiGauge.Row<?>> o = new ArrayList<>();
    List<MultiGauge.Row<?>> s = new ArrayList<>();
    List<MultiGauge.Row<?>> c = new ArrayList<>();
    List<MultiGauge.Row<?>> u = new ArrayList<>();
    List<MultiGauge.Row<?>> st = new ArrayList<>();
    Map<String, Long> people = new HashMap<>();
    for (QueueInfo q : queues) {
      Tags tags = Tags.of("tenant", q.tenant(), "queue", q.slug());
      long[] classes = perClass.getOrDefault(q.id(), new long[q.classes().size()]);
      long total = 0;
      for (int i = 0; i < classes.length; i++) {
        w.add(MultiGauge.Row.of(tags.and("class", q.classes().get(i)), classes[i]));
        total += classes[i];
      }
      Instant first = oldestAt.get(q.id());
      o.add(MultiGauge.Row.of(tags, first == null ? 0 : Math.max(0, now.getEpochSecond() - first.getEpochSecond())));
      long active = total;
      for (String status : SERVICE_STATUSES) {
        long n = service.getOrDefault(q.id() + status, 0L);
        s.add(MultiGauge.Row.of(tags.and("status", status), n));
        active += n;
      }
      c.add(MultiGauge.Row.of(tags, counters.getOrDefault(q.id().toString(), 0L)));
      if (q.capacity() != null) {
        u.add(MultiGauge.Row.of(tags, (double) total / q.capacity()));
      }
      QUEUE_STATUSES.forEach(x -> st.add(MultiGauge.Row.of(tags.and("status", x), x.equals(q.status()) ? 1 : 0)));
      people.merge(q.tenant(), active, Long::sum);
    }
    List<MultiGauge.Row<?>> p = new ArrayList<>();
    people.forEach((tenant, n) -> p.add(MultiGauge.Row.of(Tags.of("tenant", tenant), n)));
    waiting.register(w, true);
    oldest.register(o, true);
    inService.register(s, true);
    countersOpen.register(c, true);
    utilisation.register(u, true);
    status.register(st, true);
    activePeople.register(p, true);
  }

  /** Counts keyed by queue id (plus the value of {@code column} when given). */
  private static Map<String, Long> counts(RowSet<Row> rows, String column) {
    Map<String, Long> out = new HashMap<>();
    rows.forEach(r -> out.put(r.getUUID("queue_id") + (column == null ? "" : r.getString(column)), r.getLong("n")));
    return out;
  }
}
