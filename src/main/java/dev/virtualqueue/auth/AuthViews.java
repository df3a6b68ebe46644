package dev.virtualqueue.auth;

import java.time.Instant;
import java.util.UUID;

/** Request and response bodies of the auth routes (JSON only at the edge). */
public final class AuthViews {
  private AuthViews() {
  }

  public record LoginRequest(String tenant, String email, String password) {
  }

  public record LoginResponse(String accessToken, String tokenType, int expiresIn, String role, String refreshToken,
      int refreshExpiresIn) {
  }

  public record RefreshRequest(String refreshToken) {
  }

  public record CreateStaff(String email, String displayName, String role, String password) {
  }

  public record CreateApiKey(String name, String role) {
  }

  /** {@code PATCH /api/v1/staff/{id}}: each field optional, at least one. */
  public record UpdateStaff(String role, Boolean disabled, String name) {
  }

  public record ChangePassword(String currentPassword, String newPassword) {
  }

  public record ResetPassword(String tenant, String token, String newPassword) {
  }

  /**
   * A staff account without its password hash; {@code invited} while it has no password yet, and
   * {@code invite} (the one-time link, only in the answer that made it) for an account created without one.
   */
  public record StaffView(UUID id, String email, String displayName, String role, boolean disabled, boolean invited,
                          Instant createdAt, PasswordLinks.Issued invite) {
    public static StaffView of(StaffUser u) {
      return of(u, null);
    }

    static StaffView of(StaffUser u, PasswordLinks.Issued invite) {
      return new StaffView(u.id(), u.email(), u.displayName(), u.role().wire(), u.disabled(), u.passwordHash() == null,
          u.createdAt(), invite);
    }
  }

  /** An API key in lists: never the key or its hash. */
  public record ApiKeyView(UUID id, String name, String role, String prefix, UUID createdBy, Instant createdAt,
                    Instant lastUsedAt, Instant revokedAt) {
    public static ApiKeyView of(ApiKey k) {
      return new ApiKeyView(k.id(), k.name(), k.role().wire(), k.prefix(), k.createdBy(), k.createdAt(),
          k.lastUsedAt(), k.revokedAt());
    }
  }

  /** The answer to creating a key: the only time {@code key} is shown. */
  public record CreatedApiKey(UUID id, String name, String role, String prefix, String key, Instant createdAt) {
  }
}
