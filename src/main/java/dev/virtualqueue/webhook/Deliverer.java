package dev.virtualqueue.webhook;

import dev.virtualqueue.common.SecretSealer;
import dev.virtualqueue.webhook.DeliveryRepository.Verdict;
import dev.virtualqueue.webhook.RetryPlan.Decision;
import dev.virtualqueue.webhook.UrlVerdict.Allowed;
import dev.virtualqueue.webhook.UrlVerdict.Refused;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one attempt of a claimed delivery and records what follows: the URL is checked (and its
 * address pinned) again before every attempt, the body signed with every active secret at this
 * attempt's time, sent, and the outcome applied (succeeded; retried per {@link RetryPlan}, with
 * Retry-After; dead; the endpoint disabled).
 */
final class Deliverer {
  private static final Logger LOG = LoggerFactory.getLogger(Deliverer.class);

  private final Vertx vertx;
  private final UrlGuard guard;
  private final SecretSealer sealer;
  private final WebhookSigner signer = new WebhookSigner(new SecureRandom());
  private final Sender sender;
  private final DeliveryRepository deliveries;
  private final RetryPlan plan;
  private final WebhookMetrics metrics;

  Deliverer(Vertx vertx, UrlGuard guard, SecretSealer sealer, Sender sender, DeliveryRepository deliveries,
            RetryPlan plan, WebhookMetrics metrics) {
    this.vertx = vertx;
    this.guard = guard;
    this.sealer = sealer;
    this.sender = sender;
    this.deliveries = deliveries;
    this.plan = plan;
    this.metrics = metrics;
  }

  /** One attempt of {@code d}, recorded; fails only when the outcome could not be stored (the lease then runs out). */
  Future<Void> deliver(Delivery d) {
    return attempt(d).compose(r -> {
      Verdict verdict = verdict(d, r);
      return deliveries.record(d, r, verdict).map(disabled -> {
        metrics.attempt(r.delivered() ? "succeeded" : "dead".equals(verdict.status()) ? "dead" : "failed",
            r.latencyMs());
        if (disabled) {
          metrics.disabled(verdict.disableReason());
          LOG.warn("webhook endpoint {} of tenant {} disabled ({}): {}", d.endpointId(), d.tenantId(),
              verdict.disableReason(), r.error());
        } else if ("dead".equals(verdict.status())) {
          LOG.info("webhook delivery {} to endpoint {} is a dead letter after {} attempts: {}", d.id(), d.endpointId(),
              d.attempt(), r.error());
        }
        return null;
      });
    });
  }

  private Future<AttemptResult> attempt(Delivery d) {
    long start = System.nanoTime();
    return guard.check(vertx, d.url()).compose(v -> {
      if (v instanceof Refused refused) {
        return Future.succeededFuture(AttemptResult.failed("refused by the SSRF guard: " + refused.reason(),
            elapsed(start)));
      }
      WebhookSigner.SignedHeaders headers = signer.sign(WebhookPayload.messageId(d.eventId()), Instant.now(),
          d.body(), keys(d));
      return sender.send((Allowed) v, headers, d.body());
    }).recover(t -> Future.succeededFuture(AttemptResult.failed("not sent: " + t.getMessage(), elapsed(start))));
  }

  private SigningKeys keys(Delivery d) {
    String owner = d.endpointId().toString();
    String current = sealer.open(d.secretSealed(), owner);
    if (d.previousSealed() == null || d.previousExpiresAt() == null) {
      return SigningKeys.of(current);
    }
    return new SigningKeys(current, sealer.open(d.previousSealed(), owner), d.previousExpiresAt());
  }

  private Verdict verdict(Delivery d, AttemptResult r) {
    if (r.delivered()) {
      return new Verdict("succeeded", null, null);
    }
    Decision decision = plan.afterFailure(d.attempt(), r.outcome(), d.failingSince());
    if (decision instanceof Decision.Retry retry) {
      return new Verdict("pending", retry.at(), null);
    }
    if (decision instanceof Decision.DisableEndpoint disable) {
      return new Verdict("dead", null, disable.reason());
    }
    return new Verdict("dead", null, null);
  }

  private static long elapsed(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
