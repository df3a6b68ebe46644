package dev.virtualqueue.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outbox backlog per channel, read from Postgres on each refresh: {@code vq_outbox_pending}
 * (rows not yet handled) and {@code vq_outbox_oldest_pending_seconds} (age of the oldest, 0 when
 * none). Every instance reads the same table, so rules aggregate them with max.
 */
final class OutboxGauges {
  static final List<String> CHANNELS = List.of("mail", "webhook");
  private final MetricsQueries sql;
  private final Map<String, AtomicLong> pending;
  private final Map<String, AtomicLong> oldestMillis;

  OutboxGauges(MeterRegistry registry, MetricsQueries sql) {
    this.sql = sql;
    this.pending = Map.of("mail", new AtomicLong(), "webhook", new AtomicLong());
    this.oldestMillis = Map.of("mail", new AtomicLong(), "webhook", new AtomicLong());
    for (String channel : CHANNELS) {
      Gauge.builder("vq.outbox.pending", pending.get(channel), AtomicLong::get).tag("channel", channel)
          .description("Outbox rows not yet handled by their channel (e-mail or webhook fan-out)").register(registry);
      Gauge.builder("vq.outbox.oldest.pending", oldestMillis.get(channel), v -> v.get() / 1000.0)
          .tag("channel", channel).baseUnit("seconds")
          .description("Age of the oldest outbox row not yet handled (0 when none)").register(registry);
    }
  }

  Future<Void> refresh() {
    return sql.outboxBacklog().map(rs -> {
      rs.forEach(r -> {
        String channel = r.getString("channel");
        pending.get(channel).set(r.getLong("n"));
        oldestMillis.get(channel).set(Math.round(r.getDouble("age") * 1000));
      });
      return null;
    });
  }
}
