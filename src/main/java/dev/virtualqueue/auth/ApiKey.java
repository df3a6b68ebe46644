package dev.virtualqueue.auth;

import java.time.Instant;
import java.util.UUID;

/** An integration's API key as stored: the SHA-256 of the key, never the key. */
public record ApiKey(UUID id, UUID tenantId, String name, String prefix, byte[] keyHash, Role role,
                     UUID createdBy, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {

  public boolean revoked() {
    return revokedAt != null;
  }

  @Override
  public String toString() {
    return "ApiKey[" + id + ", tenant " + tenantId + ", prefix " + prefix + ", " + role.wire() + "]";
  }
}
