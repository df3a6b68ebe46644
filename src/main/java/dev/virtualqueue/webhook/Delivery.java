package dev.virtualqueue.webhook;

import java.time.Instant;
import java.util.UUID;

/**
 * A delivery claimed for an attempt, with what its endpoint needs to send it: the URL (checked again
 * by the SSRF guard before each attempt) and the sealed secrets. {@code attempts} counts the earlier
 * attempts; {@code failingSince} is the endpoint's.
 */
record Delivery(UUID id, UUID endpointId, UUID tenantId, UUID eventId, String type, String body, int attempts,
                String url, String secretSealed, String previousSealed, Instant previousExpiresAt,
                Instant failingSince) {

  /** The number of the attempt about to be made (1 for the first). */
  int attempt() {
    return attempts + 1;
  }
}
