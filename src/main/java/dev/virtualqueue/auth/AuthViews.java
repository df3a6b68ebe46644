package dev.virtualqueue.auth;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of the auth routes (JSON only at the edge). */
public final class AuthViews {
  private AuthViews() {
  }

  public record LoginRequest(String tenant, String email, String password) {
  }

  /** What a correct password gets: tokens, a 2FA challenge, or an enrolment token. */
  public sealed interface SignInAnswer permits LoginResponse, MfaChallenge, EnrolmentRequired {
  }

  public record LoginResponse(String accessToken, String tokenType, int expiresIn, String role, String refreshToken,
      int refreshExpiresIn) implements SignInAnswer {
  }

  /** The account has 2FA on: send {@code challenge} with a code to {@code POST /api/v1/auth/login/2fa}. */
  public record MfaChallenge(boolean mfaRequired, String challenge, int expiresIn) implements SignInAnswer {
  }

  /**
   * The tenant requires 2FA for the account's role and it has none: {@code enrolmentToken} (as
   * {@code Authorization: Bearer}) reaches only the enrolment routes; confirming signs in.
   */
  public record EnrolmentRequired(boolean enrolmentRequired, String enrolmentToken, int expiresIn)
      implements SignInAnswer {
  }

  public record LoginCodeRequest(String challenge, String code) {
  }

  public record CodeRequest(String code) {
  }

  /** Turning 2FA off: a current code (TOTP or recovery) or the password. */
  public record DisableRequest(String code, String password) {
  }

  public record TwoFactorStatus(boolean enabled, boolean pending, int recoveryCodesLeft, boolean required) {
  }

  /** A new authenticator to add to an app: the otpauth URI, its secret, and the URI as a QR code (PNG data URI). */
  public record Enrolment(String otpauthUri, String secret, String qrCode, int period, int digits) {
  }

  /** 2FA is on: the recovery codes, shown only here; with an enrolment token, also the sign-in's tokens. */
  public record Confirmed(List<String> recoveryCodes, LoginResponse signIn) {
  }

  public record TenantSettings(List<String> requireTwoFactorFor) {
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
