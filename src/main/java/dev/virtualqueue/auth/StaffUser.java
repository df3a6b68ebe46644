package dev.virtualqueue.auth;

import java.time.Instant;
import java.util.UUID;

/**
 * A staff account of one tenant. {@code passwordHash} is bcrypt and never leaves the auth package
 * (null for an invited account that has not chosen one yet); {@code tokenVersion} is the version
 * its access tokens must carry (claim {@code ver}).
 */
public record StaffUser(UUID id, UUID tenantId, String email, String displayName, Role role,
                        String passwordHash, boolean disabled, Instant createdAt, int tokenVersion) {

  @Override
  public String toString() {
    return "StaffUser[" + id + ", tenant " + tenantId + ", " + role.wire() + (disabled ? ", disabled]" : "]");
  }
}
