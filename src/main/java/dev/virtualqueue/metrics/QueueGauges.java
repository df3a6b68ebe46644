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
import java.util.ArrayList;
import java.util.Arrays;
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

  private final MetricsQueries sql;
  private final QueueLabels labels;
  private final MultiGauge waiting;
  private final MultiGauge oldest;
  private final MultiGauge inService;
  private final MultiGauge countersOpen;
  private final MultiGauge utilisation;
  private final MultiGauge status;
  private final MultiGauge activePeople;
  private final MultiGauge withinHours;
  private final RoomGauges rooms;
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
    withinHours = MultiGauge.builder("vq.queue.within.hours")
        .description("1 while the queue is within its opening hours (always, without any), 0 outside them")
        .register(registry);
    rooms = new RoomGauges(registry);
    Gauge.builder("vq.metrics.refresh.last.success.timestamp", lastSuccess, AtomicLong::get).baseUnit("seconds")
        .description("Unix time of the last successful refresh of the queue gauges").register(registry);
  }

  /**
   * Reads the state of every queue (and waiting room) and replaces all rows of the gauges; returns
   * the queues.
   */
  Future<List<QueueInfo>> refresh() {
    return Future.all(sql.queues(), sql.waiting(), sql.inService(), sql.openCounters(), sql.activeSessions())
        .map(all -> {
          List<QueueInfo> queues = all.resultAt(0);
          queues.forEach(labels::remember);
          List<State> states = states(queues, all.resultAt(1), all.resultAt(2), all.resultAt(3));
          publish(states);
          Map<UUID, Long> waitingByQueue = new HashMap<>();
          states.forEach(q -> waitingByQueue.put(q.queue().id(), q.waitingTotal()));
          rooms.publish(queues, waitingByQueue, all.resultAt(4));
          lastSuccess.set(Instant.now().getEpochSecond());
          return queues;
        });
  }

  /** One queue's state as read by a refresh. */
  private record State(QueueInfo queue, long[] waiting, Instant oldest, long called, long serving, long countersOpen) {
    Tags tags() {
      return Tags.of("tenant", queue.tenant(), "queue", queue.slug());
    }

    long waitingTotal() {
      return Arrays.stream(waiting).sum();
    }
  }

  private static List<State> states(List<QueueInfo> queues, RowSet<Row> waitingRows, RowSet<Row> serviceRows,
                                    RowSet<Row> counterRows) {
    Map<UUID, long[]> perClass = new HashMap<>();
    Map<UUID, Instant> oldestAt = new HashMap<>();
    Map<UUID, Integer> classes = new HashMap<>();
    queues.forEach(q -> classes.put(q.id(), q.classes().size()));
    for (Row r : waitingRows) {
      UUID id = r.getUUID("queue_id");
      int rank = r.getInteger("class_rank");
      if (classes.containsKey(id) && rank < classes.get(id)) {
        perClass.computeIfAbsent(id, k -> new long[classes.get(id)])[rank] = r.getLong("n");
        oldestAt.merge(id, r.getOffsetDateTime("oldest").toInstant(), (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    Map<String, Long> service = counts(serviceRows, "status");
    Map<String, Long> counters = counts(counterRows, null);
    List<State> out = new ArrayList<>(queues.size());
    for (QueueInfo q : queues) {
      out.add(new State(q, perClass.getOrDefault(q.id(), new long[q.classes().size()]), oldestAt.get(q.id()),
          service.getOrDefault(q.id() + "called", 0L), service.getOrDefault(q.id() + "serving", 0L),
          counters.getOrDefault(q.id().toString(), 0L)));
    }
    return out;
  }

  private void publish(List<State> states) {
    long now = Instant.now().getEpochSecond();
    List<MultiGauge.Row<?>> w = new ArrayList<>();
    List<MultiGauge.Row<?>> o = new ArrayList<>();
    List<MultiGauge.Row<?>> s = new ArrayList<>();
    List<MultiGauge.Row<?>> c = new ArrayList<>();
    List<MultiGauge.Row<?>> u = new ArrayList<>();
    List<MultiGauge.Row<?>> st = new ArrayList<>();
    List<MultiGauge.Row<?>> h = new ArrayList<>();
    Instant at = Instant.ofEpochSecond(now);
    Map<String, Long> people = new HashMap<>();
    for (State q : states) {
      Tags tags = q.tags();
      for (int i = 0; i < q.waiting().length; i++) {
        w.add(MultiGauge.Row.of(tags.and("class", q.queue().classes().get(i)), q.waiting()[i]));
      }
      o.add(MultiGauge.Row.of(tags, q.oldest() == null ? 0 : Math.max(0, now - q.oldest().getEpochSecond())));
      s.add(MultiGauge.Row.of(tags.and("status", "called"), q.called()));
      s.add(MultiGauge.Row.of(tags.and("status", "serving"), q.serving()));
      c.add(MultiGauge.Row.of(tags, q.countersOpen()));
      if (q.queue().capacity() != null) {
        u.add(MultiGauge.Row.of(tags, (double) q.waitingTotal() / q.queue().capacity()));
      }
      QUEUE_STATUSES.forEach(x -> st.add(MultiGauge.Row.of(tags.and("status", x), x.equals(q.queue().status()) ? 1 : 0)));
      h.add(MultiGauge.Row.of(tags, q.queue().withinHours(at) ? 1 : 0));
      people.merge(q.queue().tenant(), q.waitingTotal() + q.called() + q.serving(), Long::sum);
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
    withinHours.register(h, true);
  }

  /** Counts keyed by queue id (plus the value of {@code column} when given). */
  private static Map<String, Long> counts(RowSet<Row> rows, String column) {
    Map<String, Long> out = new HashMap<>();
    rows.forEach(r -> out.put(r.getUUID("queue_id") + (column == null ? "" : r.getString(column)), r.getLong("n")));
    return out;
  }
}
