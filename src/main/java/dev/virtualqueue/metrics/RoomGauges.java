package dev.virtualqueue.metrics;

import dev.virtualqueue.metrics.MetricsQueries.QueueInfo;
import dev.virtualqueue.metrics.MetricsQueries.Room;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Gauges of every waiting room, refreshed with the queue gauges from Postgres: what the room does
 * (sessions holding a slot, people waiting) next to what it is set to do (rate, cap, holding), so
 * an alert can tell a stalled admitter from a room that is full, held or paused on purpose. Every
 * instance publishes the same values (rules aggregate them with max), and only waiting rooms have
 * these series, which is how a rule tells a waiting room from a service queue.
 */
final class RoomGauges {
  private final MultiGauge active;
  private final MultiGauge waiting;
  private final MultiGauge rate;
  private final MultiGauge maxActive;
  private final MultiGauge holding;

  RoomGauges(MeterRegistry registry) {
    active = MultiGauge.builder("vq.waiting.room.active")
        .description("Admitted sessions of a waiting room holding a slot now").register(registry);
    waiting = MultiGauge.builder("vq.waiting.room.waiting").description("People waiting in a waiting room")
        .register(registry);
    rate = MultiGauge.builder("vq.waiting.room.admission.rate")
        .description("The room's admission rate setting, people per minute (0: none)").register(registry);
    maxActive = MultiGauge.builder("vq.waiting.room.max.active")
        .description("The room's cap of active sessions (0: none)").register(registry);
    holding = MultiGauge.builder("vq.waiting.room.holding")
        .description("1 while the room admits nobody on purpose (queueAll on, or before opensAt), else 0")
        .register(registry);
  }

  /**
   * Replaces every row with the waiting rooms of {@code queues}: {@code waitingByQueue} people
   * waiting per queue id, and the {@code activeRows} (queue_id, n) of open sessions.
   */
  void publish(List<QueueInfo> queues, Map<UUID, Long> waitingByQueue, RowSet<Row> activeRows) {
    Map<UUID, Long> sessions = new HashMap<>();
    activeRows.forEach(r -> sessions.put(r.getUUID("queue_id"), r.getLong("n")));
    List<MultiGauge.Row<?>> a = new ArrayList<>();
    List<MultiGauge.Row<?>> w = new ArrayList<>();
    List<MultiGauge.Row<?>> r = new ArrayList<>();
    List<MultiGauge.Row<?>> m = new ArrayList<>();
    List<MultiGauge.Row<?>> h = new ArrayList<>();
    for (QueueInfo q : queues) {
      Room room = q.room();
      if (room == null) {
        continue;
      }
      Tags tags = Tags.of("tenant", q.tenant(), "queue", q.slug());
      a.add(MultiGauge.Row.of(tags, sessions.getOrDefault(q.id(), 0L)));
      w.add(MultiGauge.Row.of(tags, waitingByQueue.getOrDefault(q.id(), 0L)));
      r.add(MultiGauge.Row.of(tags, room.ratePerMinute()));
      m.add(MultiGauge.Row.of(tags, room.maxActive()));
      h.add(MultiGauge.Row.of(tags, room.holding() ? 1 : 0));
    }
    active.register(a, true);
    waiting.register(w, true);
    rate.register(r, true);
    maxActive.register(m, true);
    holding.register(h, true);
  }
}
