package dev.virtualqueue.metrics;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.events.DomainEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The business meters ({@code vq_*}, see docs/metrics.md), built once with the registry. Committed
 * changes reach them as domain events ({@link #onEvent}); what no event carries (refused and
 * replayed joins, authentication failures, the mirror's health) through one-line hooks. Neither
 * ever fails or slows the request it observes: label look-ups are asynchronous and errors are only
 * logged.
 */
public final class BusinessMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(BusinessMetrics.class);
  static final Duration[] WAIT_BUCKETS = Meters.seconds(60, 300, 600, 900, 1800, 3600, 7200);
  static final Duration[] SERVICE_BUCKETS = Meters.seconds(60, 300, 600, 1200, 1800, 3600);
  static final double[] ETA_ERROR_BUCKETS = {60, 300, 600, 1800, 3600};

  /** A per-queue counter: its name and help text (the same at every registration). */
  private record QueueCounter(String name, String help) {
  }

  private static final QueueCounter CALLED = new QueueCounter("vq.tickets.called", "Tickets called to a counter by call-next");
  private static final QueueCounter SERVED = new QueueCounter("vq.tickets.served", "Tickets served to completion");
  private static final QueueCounter NO_SHOW = new QueueCounter("vq.tickets.no.show", "Called tickets marked no-show");
  private static final QueueCounter RECALLED = new QueueCounter("vq.tickets.recalled", "Calls repeated (recall)");
  private static final QueueCounter LEFT = new QueueCounter("vq.tickets.left", "Tickets whose holder left the line");
  private static final QueueCounter TRANSFERRED = new QueueCounter("vq.tickets.transferred",
      "Tickets transferred away to another queue");
  private static final QueueCounter EXPIRED = new QueueCounter("vq.tickets.expired",
      "Waiting tickets expired because their holder was absent when their turn came");
  private static final List<QueueCounter> QUEUE_COUNTERS =
      List.of(CALLED, SERVED, NO_SHOW, RECALLED, LEFT, TRANSFERRED, EXPIRED);
  private static final QueueCounter ADMITTED = new QueueCounter("vq.waiting.room.admitted",
      "People admitted by a waiting room (counted by the instance that admitted them)");
  private static final QueueCounter LEASE_CHANGES = new QueueCounter("vq.waiting.room.lease.changes",
      "Times this instance took the admitter lease of a waiting room (from nobody, a lapsed holder, or back)");
  /** Counters that only waiting rooms have. */
  private static final List<QueueCounter> ROOM_COUNTERS = List.of(ADMITTED, LEASE_CHANGES);
  private static final String JOINED = "vq.tickets.joined";
  /** Every {@code result} of {@code vq_tickets_joined_total}: accepted joins, then each reason of {@link #refusal}. */
  static final List<String> JOIN_RESULTS = List.of("created", "replayed", "queue_full", "queue_paused", "queue_closed",
      "outside_hours", "duplicate", "rejected", "failed");
  private static final List<String> ETA_DIRECTIONS = List.of("early", "late");

  private final MeterRegistry registry;
  private final MetricsQueries sql;
  private final QueueLabels labels;
  private final QueueGauges gauges;
  private final OutboxGauges outbox;
  private final AtomicInteger mirrorReady = new AtomicInteger();
  /** The bounded reasons of {@code vq_auth_failures_total}: the codes {@code auth.<reason>}. */
  static final List<String> AUTH_FAILURE_REASONS =
      List.of("missing_token", "invalid_token", "invalid_api_key", "invalid_credentials", "forbidden",
          "throttled", "locked", "busy", "token_revoked", "wrong_password");
  private final Map<String, Counter> authFailures = new HashMap<>();

  public BusinessMetrics(MeterRegistry registry, Pool pool) {
    this.registry = registry;
    this.sql = new MetricsQueries(pool);
    this.labels = new QueueLabels(sql);
    this.gauges = new QueueGauges(registry, sql, labels);
    this.outbox = new OutboxGauges(registry, sql);
    Gauge.builder("vq.line.mirror.ready", mirrorReady, AtomicInteger::get)
        .description("1 when the last check found the Redis line mirror complete (or rebuilt it)").register(registry);
    // label-free and bounded-label counters exist from the start, so rates see their first increment
    mirrorRebuilds();
    mirrorRepairs();
    AUTH_FAILURE_REASONS.forEach(r -> authFailures.put("auth." + r, Counter.builder("vq.auth.failures")
        .description("Refused staff/API-key authentications and authorisations, by reason").tag("reason", r)
        .register(registry)));
  }

  /** Subscriber of the event path: counts each committed change. */
  public void onEvent(DomainEvent e) {
    switch (e.kind()) {
      case JOIN -> joined(e.queueId(), "created");
      case CALL -> called(e.queueId(), e.ticketId(), e.times().createdAt(), e.times().queuedAt(),
          e.times().calledAt());
      case COMPLETE -> served(e.queueId(), e.times().serviceStartedAt(), e.times().finishedAt());
      case NO_SHOW -> withTags(e.queueId(), tags -> counter(NO_SHOW, tags).increment());
      case RECALL -> withTags(e.queueId(), tags -> counter(RECALLED, tags).increment());
      case LEAVE -> withTags(e.queueId(), tags -> counter(LEFT, tags).increment());
      case EXPIRE -> withTags(e.queueId(), tags -> counter(EXPIRED, tags).increment());
      case ADMIT -> admitted(e.queueId(), e.ticketId(), e.times().createdAt(), e.times().queuedAt(),
          e.times().finishedAt());
      case TRANSFER_OUT -> withTags(e.queueId(), tags -> counter(TRANSFERRED, tags).increment());
      case QUEUE_STATUS -> withTags(e.queueId(), tags -> statusChanges(tags, e.status()).increment());
      default -> { }
    }
  }

  /** This instance took the admitter lease of waiting room {@code queueId}. */
  public void leaseTaken(UUID queueId) {
    withTags(queueId, tags -> counter(LEASE_CHANGES, tags).increment());
  }

  /** A request refused with an {@code auth.*} error code (401/403); other codes are ignored. */
  public void authFailed(String code) {
    Counter c = authFailures.get(code);
    if (c != null) {
      c.increment();
    }
  }

  /**
   * Re-reads queue state and the outbox backlog from Postgres into the gauges (housekeeping calls it
   * periodically), and
   * makes sure every queue's meters exist, at 0 when new, for every bounded label value: increase()
   * cannot see a counter's first increment if its series starts at 1, so the first call after a
   * restart, or a queue's first {@code queue_full} refusal, would otherwise never count.
   */
  public Future<Void> refresh() {
    return gauges.refresh().map(queues -> {
      queues.forEach(this::preRegister);
      return null;
    }).compose(v -> outbox.refresh());
  }

  private void preRegister(MetricsQueries.QueueInfo q) {
    Tags tags = Tags.of("tenant", q.tenant(), "queue", q.slug());
    QUEUE_COUNTERS.forEach(c -> counter(c, tags));
    if ("waiting_room".equals(q.mode())) {
      ROOM_COUNTERS.forEach(c -> counter(c, tags));
    }
    JOIN_RESULTS.forEach(r -> joinCounter(q, r));
    QueueGauges.QUEUE_STATUSES.forEach(st -> statusChanges(tags, st));
    waitTimer(tags);
    serviceTimer(tags);
    ETA_DIRECTIONS.forEach(d -> etaError(tags, d));
  }

  /** Runs a join and counts a refusal by its reason; accepted joins are counted by {@link #joined}. */
  public <T> Future<T> trackJoin(UUID queueId, Supplier<Future<T>> join) {
    Future<T> result;
    try {
      result = join.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.onFailure(t -> joined(queueId, refusal(t)));
  }

  /** A join that returned a ticket: {@code created} a new one or {@code replayed} an idempotent one. */
  public void joined(UUID queueId, String result) {
    withQueue(queueId, q -> joinCounter(q, result).increment());
  }

  private Counter joinCounter(MetricsQueries.QueueInfo q, String result) {
    return Counter.builder(JOINED).description("Joins by result: created, replayed, or the reason they were refused")
        .tags(Tags.of("tenant", q.tenant(), "queue", q.slug(), "mode", q.mode(), "result", result)).register(registry);
  }

  /** A ticket was called by call-next: counts it and observes its wait and the ETA error. */
  private void called(UUID queueId, UUID ticketId, Instant createdAt, Instant queuedAt, Instant calledAt) {
    turnCame(CALLED, queueId, ticketId, createdAt, queuedAt, calledAt);
  }

  /** A waiting room admitted the holder: their turn came as a call's does (wait, ETA error), counted apart. */
  private void admitted(UUID queueId, UUID ticketId, Instant createdAt, Instant queuedAt, Instant admittedAt) {
    turnCame(ADMITTED, queueId, ticketId, createdAt, queuedAt, admittedAt);
  }

  private void turnCame(QueueCounter what, UUID queueId, UUID ticketId, Instant createdAt, Instant queuedAt,
                        Instant calledAt) {
    withTags(queueId, tags -> {
      counter(what, tags).increment();
      waitTimer(tags).record(Duration.between(queuedAt, calledAt));
    });
    if (createdAt != null && createdAt.equals(queuedAt)) {
      long actual = Duration.between(queuedAt, calledAt).toSeconds();
      sql.etaAtJoin(ticketId).onSuccess(p50 -> {
        if (p50 != null) {
          etaError(queueId, actual, p50);
        }
      }).onFailure(t -> LOG.debug("ETA look-up failed: {}", t.getMessage()));
    }
  }

  private void etaError(UUID queueId, long actual, long predicted) {
    String direction = actual > predicted ? "late" : "early";
    withTags(queueId, tags -> etaError(tags, direction).record(Math.abs(actual - predicted)));
  }

  private DistributionSummary etaError(Tags tags, String direction) {
    return DistributionSummary.builder("vq.eta.error").baseUnit("seconds")
        .description("Absolute difference between the median ETA promised at join and the actual wait")
        .serviceLevelObjectives(ETA_ERROR_BUCKETS).tags(tags.and("direction", direction)).register(registry);
  }

  private Timer waitTimer(Tags tags) {
    return Timer.builder("vq.ticket.wait").description("Time from joining (or transfer) to being called")
        .serviceLevelObjectives(WAIT_BUCKETS).tags(tags).register(registry);
  }

  private Timer serviceTimer(Tags tags) {
    return Timer.builder("vq.ticket.service").description("Time from start of service to completion")
        .serviceLevelObjectives(SERVICE_BUCKETS).tags(tags).register(registry);
  }

  /** A ticket was served to completion; its service time only when it was measured. */
  private void served(UUID queueId, Instant startedAt, Instant finishedAt) {
    withTags(queueId, tags -> {
      counter(SERVED, tags).increment();
      if (startedAt != null) {
        serviceTimer(tags).record(Duration.between(startedAt, finishedAt));
      }
    });
  }

  private Counter statusChanges(Tags tags, String status) {
    return Counter.builder("vq.queue.status.changes").description("Queue status changes by new status")
        .tags(tags.and("status", status)).register(registry);
  }

  /** Housekeeping's last check of the Redis line mirror. */
  public void mirrorReady(boolean ready) {
    mirrorReady.set(ready ? 1 : 0);
  }

  /** A full rebuild of the Redis mirror from Postgres (start-up, Redis flushed or restarted). */
  public void mirrorRebuilt() {
    mirrorRebuilds().increment();
  }

  private Counter mirrorRebuilds() {
    return Counter.builder("vq.line.mirror.rebuilds").description("Full rebuilds of the Redis line mirror from Postgres")
        .register(registry);
  }

  /** Stale mirror entries removed by reconciliation (a missed removal after a Redis failure). */
  public void mirrorRepaired(int entries) {
    mirrorRepairs().increment(entries);
  }

  private Counter mirrorRepairs() {
    return Counter.builder("vq.line.mirror.repairs").description("Stale Redis line entries removed by reconciliation")
        .register(registry);
  }

  private Counter counter(QueueCounter c, Tags tags) {
    return Counter.builder(c.name()).description(c.help()).tags(tags).register(registry);
  }

  private void withTags(UUID queueId, Consumer<Tags> use) {
    labels.tags(queueId).onSuccess(tags -> {
      if (tags != null) {
        use.accept(tags);
      }
    }).onFailure(t -> LOG.debug("metric labels for queue {} unavailable: {}", queueId, t.getMessage()));
  }

  private void withQueue(UUID queueId, Consumer<MetricsQueries.QueueInfo> use) {
    labels.info(queueId).onSuccess(q -> {
      if (q != null) {
        use.accept(q);
      }
    }).onFailure(t -> LOG.debug("metric labels for queue {} unavailable: {}", queueId, t.getMessage()));
  }

  /** The bounded {@code result} of a refused join, from its stable error code. */
  static String refusal(Throwable t) {
    if (!(t instanceof ApiException api)) {
      return "failed";
    }
    return switch (api.code()) {
      case "queue.full" -> "queue_full";
      case "queue.paused" -> "queue_paused";
      case "queue.closed" -> "queue_closed";
      case "queue.outside_hours" -> "outside_hours";
      case "ticket.duplicate" -> "duplicate";
      default -> api.status() >= 500 ? "failed" : "rejected";
    };
  }
}
