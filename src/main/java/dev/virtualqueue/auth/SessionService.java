package dev.virtualqueue.auth;

import dev.virtualqueue.common.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refresh tokens: {@code vqr_} + 256 random bits (base64url), stored only as their SHA-256. A sign-in
 * starts a family; {@link #refresh} rotates the token (the old one is spent) and issues a new
 * access token with the account's current role. Presenting a spent token revokes the whole family
 * ({@code vq_auth_refresh_reuse_total}); a disabled account cannot refresh.
 */
final class SessionService {
  private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);
  static final String PREFIX = "vqr_";
  static final long REFRESH_TTL_SECONDS = 14 * 24 * 3600L;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SessionRepository repo;
  private final StaffRepository staff;
  private final TokenService tokens;
  private final Counter reuse;
  private final AccountTokens ended;

  SessionService(SessionRepository repo, StaffRepository staff, TokenService tokens, AccountTokens ended,
                 MeterRegistry registry) {
    this.repo = repo;
    this.staff = staff;
    this.tokens = tokens;
    this.ended = ended;
    this.reuse = Counter.builder("vq.auth.refresh.reuse")
        .description("Refresh tokens presented again after rotation (their family is revoked)").register(registry);
  }

  /** Starts a new family for a signed-in account: access and refresh token. */
  Future<AuthViews.LoginResponse> start(StaffUser user) {
    return issue(UUID.randomUUID(), user);
  }

  private Future<AuthViews.LoginResponse> issue(UUID familyId, StaffUser user) {
    String refresh = newToken();
    return repo.insert(familyId, user.tenantId(), user.id(), hash(refresh), REFRESH_TTL_SECONDS).map(v -> {
      TokenService.Issued access = tokens.issue(user);
      return new AuthViews.LoginResponse(access.token(), "Bearer", access.expiresInSeconds(), user.role().wire(),
          refresh, (int) REFRESH_TTL_SECONDS);
    });
  }

  /** Rotates a refresh token; 401 {@code auth.invalid_refresh_token} for an unknown, spent, revoked or expired one. */
  Future<AuthViews.LoginResponse> refresh(String token) {
    if (token == null || !token.startsWith(PREFIX) || token.length() > 100) {
      return Future.failedFuture(invalid());
    }
    return repo.find(hash(token)).compose(s -> {
      if (s == null || s.revoked() || s.expired()) {
        return Future.failedFuture(invalid());
      }
      if (s.rotated()) {
        return reused(s);
      }
      return repo.markRotated(s.id()).compose(first -> first ? continueFamily(s) : reused(s));
    });
  }

  private Future<AuthViews.LoginResponse> continueFamily(SessionRepository.Session s) {
    return staff.find(s.tenantId(), s.staffId()).compose(user -> {
      if (user == null || user.disabled()) {
        return repo.revokeFamily(s.familyId()).compose(n -> Future.failedFuture(invalid()));
      }
      return issue(s.familyId(), user);
    });
  }

  private Future<AuthViews.LoginResponse> reused(SessionRepository.Session s) {
    reuse.increment();
    LOG.warn("refresh token of staff {} reused after rotation: session family {} revoked", s.staffId(), s.familyId());
    return repo.revokeFamily(s.familyId()).compose(n -> {
      if (n > 0) {
        ended.counted("reuse");
      }
      return Future.failedFuture(invalid());
    });
  }

  /**
   * Signs {@code who} out: the session of {@code token} is revoked if it is the caller's (an unknown
   * token is fine: idempotent), and the account's token version is raised, so every access token of
   * the account dies at once on every server. The account's other sessions keep their refresh
   * tokens: those clients get a fresh access token by refreshing.
   */
  Future<Void> logout(Principal who, String token) {
    if (token == null || !token.startsWith(PREFIX) || token.length() > 100) {
      return Future.failedFuture(new ApiException.BadRequest("request.missing_field",
          "Field 'refreshToken' is required (the refresh token of the session to end)."));
    }
    return repo.find(hash(token)).compose(s -> {
      boolean own = s != null && s.staffId().equals(who.actorId()) && s.tenantId().equals(who.tenantId());
      return staff.pool().withTransaction(conn -> staff.bump(conn, who.tenantId(), who.actorId())
          .compose(v -> own ? repo.revokeFamily(conn, s.familyId()) : Future.succeededFuture(0)));
    }).map(n -> {
      ended.ended(who.actorId(), "logout");
      return (Void) null;
    });
  }

  private static ApiException invalid() {
    return new ApiException.Unauthorized("auth.invalid_refresh_token",
        "The refresh token is unknown, expired, revoked or already used; sign in again.");
  }

  static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
