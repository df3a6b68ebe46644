package dev.virtualqueue.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of the webhook routes. */
public final class WebhookViews {
  private WebhookViews() {
  }

  /** {@code POST /webhooks}. */
  public record CreateWebhook(String url, List<String> events, String description) {
  }

  /** {@code PATCH /webhooks/{id}}: absent fields stay as they are; an empty description clears it. */
  public record UpdateWebhook(String url, List<String> events, Boolean enabled, String description) {
  }

  /** An endpoint; {@code secret} only in the answers that made it (create, rotate-secret). */
  public record EndpointView(UUID id, String url, String description, List<String> events, boolean enabled,
                             String disabledReason, Instant failingSince, Instant previousSecretExpiresAt,
                             Instant createdAt, Instant updatedAt, String secret) {

    static EndpointView of(Endpoint e, String secret) {
      return new EndpointView(e.id(), e.url(), e.description(), e.events(), e.enabled(), e.disabledReason(),
          e.failingSince(), e.previousExpiresAt(), e.createdAt(), e.updatedAt(), secret);
    }
  }

  /** One try of a delivery: {@code statusCode} absent when no response came (see {@code error}). */
  public record AttemptView(Instant attemptedAt, Integer statusCode, int latencyMs, String responseExcerpt,
                            String error) {
  }

  /** A delivery of one event to one endpoint, with every attempt, oldest first. */
  public record DeliveryView(UUID id, UUID eventId, String webhookId, String type, String status, int attemptCount,
                             Instant nextAttemptAt, Integer lastStatus, Instant createdAt, Instant finishedAt,
                             List<AttemptView> attempts) {
  }

  /** The answer of a retry or a test: the delivery that is queued. */
  public record Queued(UUID deliveryId, String status) {
  }
}
