package dev.virtualqueue.notify;

import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.metrics.VerticleMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * E-mail to ticket holders and tenant owners, one instance per process (several processes share the
 * outbox safely): builds the SMTP client, drains outbox channel {@code mail} every half second (at
 * once again after a full batch) and sweeps "almost your turn" every minute, for ETAs that shrink
 * without the line moving. Nothing here runs on the request path.
 */
public final class NotificationVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationVerticle.class);
  private static final String NAME = "notifications";
  private static final long POLL_MILLIS = 500;
  private static final long SWEEP_MILLIS = 60_000;

  private final AppConfig.Mail config;
  private final String messageHost;
  private final Function<MailSender, Mailing> wiring;
  private final VerticleMetrics verticles;
  private final NotifyMetrics metrics;
  private MailSender sender;
  private MailDrain drain;
  private AlmostTurnScan almost;
  private boolean draining;
  private boolean sweeping;

  NotificationVerticle(AppConfig.Mail config, String messageHost, NotifyMetrics metrics,
                       Function<MailSender, Mailing> wiring, VerticleMetrics verticles) {
    this.config = config;
    this.messageHost = messageHost;
    this.metrics = metrics;
    this.wiring = wiring;
    this.verticles = verticles;
  }

  @Override
  public Future<?> start() {
    return MailSender.create(vertx, config, messageHost, metrics).map(s -> {
      sender = s;
      Mailing m = wiring.apply(s);
      almost = new AlmostTurnScan(m);
      drain = new MailDrain(m, almost);
      vertx.setPeriodic(POLL_MILLIS, id -> drain());
      vertx.setPeriodic(SWEEP_MILLIS, id -> sweep());
      LOG.info("e-mail on: SMTP {}:{} (STARTTLS {}), {} per tenant and hour", config.host(), config.port(),
          config.starttls(), config.tenantPerHour());
      return null;
    });
  }

  @Override
  public Future<?> stop() {
    return sender == null ? Future.succeededFuture() : sender.close();
  }

  private void drain() {
    if (draining) {
      return;
    }
    draining = true;
    long start = System.nanoTime();
    verticles.time(NAME, drain.drainOnce(), start)
        .onComplete(ar -> {
          draining = false;
          if (ar.failed()) {
            LOG.warn("mail outbox drain failed: {}", String.valueOf(ar.cause()));
          } else if (ar.result() == MailDrain.BATCH) {
            drain(); // more are due: do not wait for the next tick
          }
        });
  }

  private void sweep() {
    if (sweeping) {
      return;
    }
    sweeping = true;
    verticles.time(NAME, almost.sweep(), System.nanoTime())
        .onComplete(ar -> {
          sweeping = false;
          if (ar.failed()) {
            LOG.warn("almost-your-turn sweep failed: {}", String.valueOf(ar.cause()));
          }
        });
  }
}
