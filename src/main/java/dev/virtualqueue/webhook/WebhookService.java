package dev.virtualqueue.webhook;

import dev.virtualqueue.auth.Principal;
import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Errors;
import dev.virtualqueue.common.SecretSealer;
import dev.virtualqueue.common.Validate;
import dev.virtualqueue.events.WebhookInterest;
import dev.virtualqueue.webhook.UrlVerdict.Refused;
import dev.virtualqueue.webhook.WebhookViews.CreateWebhook;
import dev.virtualqueue.webhook.WebhookViews.DeliveryView;
import dev.virtualqueue.webhook.WebhookViews.EndpointView;
import dev.virtualqueue.webhook.WebhookViews.Queued;
import dev.virtualqueue.webhook.WebhookViews.UpdateWebhook;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tenant's webhook endpoints: register (the secret shown once, stored sealed), list, change,
 * delete, rotate the secret, and look at, retry and test deliveries. Every call is scoped to the
 * caller's tenant: another tenant's ids are "not found".
 */
public final class WebhookService {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookService.class);
  public static final String TEST_TYPE = "webhook.test";
  private static final Set<String> DELIVERY_STATUSES = Set.of("pending", "succeeded", "dead");

  private final Vertx vertx;
  private final EndpointRepository endpoints;
  private final DeliveryRepository deliveries;
  private final UrlGuard guard;
  private final SecretSealer sealer;
  private final WebhookSigner signer;
  private final WebhookInterest interest;

  WebhookService(Vertx vertx, EndpointRepository endpoints, DeliveryRepository deliveries, UrlGuard guard,
                 SecretSealer sealer, WebhookSigner signer, WebhookInterest interest) {
    this.interest = interest;
    this.vertx = vertx;
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.guard = guard;
    this.sealer = sealer;
    this.signer = signer;
  }

  /** Registers an endpoint; the answer holds its secret, which is never shown again. */
  public Future<EndpointView> create(Principal who, CreateWebhook req) {
    List<String> events = Subscription.parse(req.events()).wireNames();
    String description = Validate.text("description", req.description(), 500, false);
    UUID id = UUID.randomUUID();
    String secret = signer.newSecret();
    return checkUrl(req.url())
        .compose(url -> endpoints.insert(id, who.tenantId(), url, description, events,
            sealer.seal(secret, id.toString())))
        .map(e -> {
          interest.changed(); // before the answer: this server's next change already carries the CTE
          LOG.info("webhook endpoint {} created in tenant {} by {} {}", id, who.tenantId(), who.actorKind(),
              who.actorId());
          return EndpointView.of(e, secret);
        });
  }

  /** A page of the tenant's endpoints in creation order, after endpoint {@code afterId}. */
  public Future<List<EndpointView>> list(Principal who, UUID afterId, int limit) {
    return endpoints.list(who.tenantId(), afterId, limit)
        .map(all -> all.stream().map(e -> EndpointView.of(e, null)).toList());
  }

  public Future<EndpointView> get(Principal who, UUID id) {
    return found(who, id).map(e -> EndpointView.of(e, null));
  }

  /** Changes url, events, enabled and description; re-enabling clears the disable reason and the failing run. */
  public Future<EndpointView> update(Principal who, UUID id, UpdateWebhook req) {
    List<String> events = req.events() == null ? null : Subscription.parse(req.events()).wireNames();
    String description = req.description() == null ? null : Validate.text("description", req.description(), 500, false);
    Future<String> url = req.url() == null ? Future.succeededFuture(null) : checkUrl(req.url());
    return url.compose(u -> endpoints.update(who.tenantId(), id, u, events, req.enabled(), description,
            req.description() != null))
        .map(e -> {
          if (e == null) {
            throw Errors.notFound("webhook");
          }
          interest.changed();
          return EndpointView.of(e, null);
        });
  }

  public Future<Void> delete(Principal who, UUID id) {
    return endpoints.delete(who.tenantId(), id).map(gone -> {
      if (!gone) {
        throw Errors.notFound("webhook");
      }
      interest.changed();
      LOG.info("webhook endpoint {} deleted in tenant {} by {} {}", id, who.tenantId(), who.actorKind(), who.actorId());
      return null;
    });
  }

  /** A new secret, shown once; the old one keeps signing (a second signature) for 24 hours. */
  public Future<EndpointView> rotateSecret(Principal who, UUID id) {
    String secret = signer.newSecret();
    return endpoints.rotate(who.tenantId(), id, sealer.seal(secret, id.toString())).map(e -> {
      if (e == null) {
        throw Errors.notFound("webhook");
      }
      LOG.info("webhook endpoint {} secret rotated in tenant {} by {} {}", id, who.tenantId(), who.actorKind(),
          who.actorId());
      return EndpointView.of(e, secret);
    });
  }

  /** A page of the endpoint's deliveries (newest first), optionally of one status, with their attempts. */
  public Future<List<DeliveryView>> deliveries(Principal who, UUID id, String status, UUID before, int limit) {
    if (status != null && !DELIVERY_STATUSES.contains(status)) {
      throw new ApiException.BadRequest("webhook.invalid_status", "status must be pending, succeeded or dead.");
    }
    return found(who, id).compose(e -> deliveries.list(e.id(), status, before, limit));
  }

  /** Puts a dead (or still pending) delivery back in line for now. */
  public Future<Queued> retry(Principal who, UUID id, UUID deliveryId) {
    return enabled(who, id).compose(e -> deliveries.retry(e.id(), deliveryId)).map(before -> {
      if (before == null) {
        throw Errors.notFound("webhook_delivery");
      }
      if ("succeeded".equals(before)) {
        throw new ApiException.Conflict("webhook.delivery_succeeded", "This delivery has succeeded already.");
      }
      return new Queued(deliveryId, "pending");
    });
  }

  /** Queues a {@code webhook.test} delivery to this endpoint only. */
  public Future<Queued> test(Principal who, UUID id) {
    UUID deliveryId = UUID.randomUUID();
    UUID eventId = UUID.randomUUID();
    return enabled(who, id).compose(e -> deliveries.insertTest(deliveryId, e.id(), e.tenantId(), eventId,
            WebhookPayload.body(TEST_TYPE, Instant.now(), Map.of("endpointId", e.id().toString(),
                "message", "A test delivery from Virtual Queue."))))
        .map(v -> new Queued(deliveryId, "pending"));
  }

  private Future<Endpoint> found(Principal who, UUID id) {
    return endpoints.find(who.tenantId(), id).map(e -> {
      if (e == null) {
        throw Errors.notFound("webhook");
      }
      return e;
    });
  }

  private Future<Endpoint> enabled(Principal who, UUID id) {
    return found(who, id).map(e -> {
      if (!e.enabled()) {
        throw new ApiException.Conflict("webhook.disabled", "The endpoint is disabled; enable it first.");
      }
      return e;
    });
  }

  /** The URL as registered, once the SSRF guard allowed it (resolving it on a worker thread). */
  private Future<String> checkUrl(String url) {
    return guard.check(vertx, url).map(v -> {
      if (v instanceof Refused r) {
        throw new ApiException.BadRequest(r.code(), r.reason());
      }
      return url;
    });
  }
}
