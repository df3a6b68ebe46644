package dev.virtualqueue.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A webhook endpoint as stored: its secrets only sealed ({@link dev.virtualqueue.common.SecretSealer}, owner = the id), the
 * previous one kept until {@code previousExpiresAt} after a rotation. {@code failingSince} is when its
 * current run of failed attempts began (null after a success).
 */
record Endpoint(UUID id, UUID tenantId, String url, String description, List<String> events, boolean enabled,
                String disabledReason, String secretSealed, String previousSealed, Instant previousExpiresAt,
                Instant failingSince, Instant createdAt, Instant updatedAt) {
}
