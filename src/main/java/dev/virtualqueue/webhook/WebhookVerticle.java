package dev.virtualqueue.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.virtualqueue.common.Json;
import dev.virtualqueue.events.OutboxStore;
import dev.virtualqueue.webhook.DeliveryRepository.FanOutRow;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook worker of one process (deployed once; several processes share the work through
 * leases and {@code SKIP LOCKED}). Two loops: the fan-out turns outbox rows of channel 'webhook' into
 * one delivery per subscribed endpoint; the delivery loop claims due deliveries and attempts them,
 * at most {@value #MAX_IN_FLIGHT} at once. Each loop polls every {@value #IDLE_MILLIS} ms when idle
 * and goes again at once after a full batch.
 */
public final class WebhookVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookVerticle.class);
  static final long IDLE_MILLIS = 250;
  static final int FAN_OUT_BATCH = 100;
  static final int MAX_IN_FLIGHT = 32;
  private static final Duration FAN_OUT_LEASE = Duration.ofSeconds(30);
  private static final long DEAD_LETTER_REFRESH_MILLIS = 15_000;
  /** Finished deliveries (succeeded or dead) and their attempts are kept this long, then purged. */
  static final Duration RETENTION = Duration.ofDays(30);
  private static final long PURGE_MILLIS = 15 * 60_000;
  private static final int PURGE_BATCH = 5_000;

  private final WebhookModule module;
  private Deliverer deliverer;
  private Duration deliveryLease;
  private int inFlight;
  private boolean claiming;
  private boolean kicked;
  private long timer = -1;
  private boolean stopped;

  WebhookVerticle(WebhookModule module) {
    this.module = module;
  }

  @Override
  public Future<?> start() {
    long timeout = module.timeoutSeconds() * 1000L;
    deliveryLease = Duration.ofMillis(timeout).plusSeconds(15);
    var client = vertx.createHttpClient(new HttpClientOptions().setMetricsName("webhooks").setKeepAlive(true)
        .setMaxRedirects(0), new PoolOptions().setHttp1MaxSize(8));
    deliverer = new Deliverer(vertx, module.guard(), module.sealer(), new Sender(vertx, client, timeout),
        module.deliveries(), new RetryPlan(Clock.systemUTC(), ThreadLocalRandom.current()), module.metrics());
    fanOut();
    deliver();
    vertx.setPeriodic(1, DEAD_LETTER_REFRESH_MILLIS, id -> module.deliveries().deadLetters()
        .onSuccess(module.metrics()::deadLetters)
        .onFailure(t -> LOG.debug("dead-letter count failed: {}", t.getMessage())));
    vertx.setPeriodic(PURGE_MILLIS, id -> module.deliveries().purge(RETENTION, PURGE_BATCH)
        .onSuccess(n -> LOG.debug("purged {} finished webhook deliveries", n))
        .onFailure(t -> LOG.warn("webhook delivery purge failed: {}", t.getMessage())));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    return Future.succeededFuture();
  }

  private void fanOut() {
    if (stopped) {
      return;
    }
    module.outbox().claim("webhook", FAN_OUT_BATCH, FAN_OUT_LEASE)
        .compose(rows -> rows.isEmpty() ? Future.succeededFuture(0)
            : module.deliveries().fanOut(rows.stream().map(WebhookVerticle::row).toList()).map(rows.size()))
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("webhook fan-out failed: {}", ar.cause().getMessage());
          } else if (ar.result() > 0) {
            kick();
          }
          boolean full = ar.succeeded() && ar.result() == FAN_OUT_BATCH;
          next(full ? 0 : IDLE_MILLIS, this::fanOut);
        });
  }

  private static FanOutRow row(OutboxStore.Claimed c) {
    Optional<WebhookEvent> type = WebhookEvent.fromWire(c.type());
    if (type.isEmpty()) {
      LOG.warn("outbox row {} has no webhook type '{}': dropped", c.seq(), c.type());
      return new FanOutRow(c.seq(), c.id(), c.tenantId(), c.type(), c.ticketId(), null);
    }
    try {
      Object data = Json.MAPPER.readTree(c.data().encode());
      return new FanOutRow(c.seq(), c.id(), c.tenantId(), c.type(), c.ticketId(),
          WebhookPayload.body(type.get(), c.occurredAt(), data));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("outbox row " + c.seq() + " has unreadable data", e);
    }
  }

  /** Runs the delivery loop now (new deliveries, or room for more), unless a claim is under way. */
  private void kick() {
    if (claiming) {
      kicked = true;
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    deliver();
  }

  /**
   * Claims as many due deliveries as there is room for and starts them. One chain: at any time either
   * a claim is under way or one timer is set.
   */
  private void deliver() {
    timer = -1;
    if (stopped) {
      return;
    }
    int room = MAX_IN_FLIGHT - inFlight;
    if (room <= 0) {
      timer = vertx.setTimer(IDLE_MILLIS, id -> deliver());
      return;
    }
    claiming = true;
    module.deliveries().claim(room, deliveryLease).onComplete(ar -> {
      claiming = false;
      List<Delivery> claimed = ar.succeeded() ? ar.result() : List.of();
      if (ar.failed()) {
        LOG.warn("claiming webhook deliveries failed: {}", ar.cause().getMessage());
      }
      claimed.forEach(this::start);
      boolean again = kicked || claimed.size() == room;
      kicked = false;
      if (!stopped) {
        timer = vertx.setTimer(again ? 1 : IDLE_MILLIS, id -> deliver());
      }
    });
  }

  private void start(Delivery d) {
    inFlight++;
    deliverer.deliver(d).onComplete(ar -> {
      inFlight--;
      if (ar.failed()) {
        LOG.warn("webhook delivery {}: outcome not stored ({}); retried after its lease", d.id(),
            ar.cause().getMessage());
      }
      if (inFlight == MAX_IN_FLIGHT - 1) {
        kick(); // there is room again
      }
    });
  }

  private void next(long delayMillis, Runnable task) {
    if (!stopped) {
      vertx.setTimer(Math.max(1, delayMillis), id -> task.run());
    }
  }
}
