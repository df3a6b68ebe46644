package dev.virtualqueue.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Staff access tokens: ES256 JWTs with a {@code kid} header and the claims {@code sub} (staff user
 * id), {@code tenant}, {@code role}, {@code ver} (the account's token version), {@code iss},
 * {@code iat}, {@code exp}. This class checks only the token itself; {@link AuthHandler} then
 * checks its version against the account ({@link TokenVersions}).
 *
 * <p>An ES256 check costs about a millisecond of event-loop CPU, and a signed-in client sends the
 * same token on every request; a token that verified is therefore remembered (bounded, by the
 * exact token string) until its expiry. Since verification is stateless, the cache answers
 * exactly what a fresh check would: any other string, a tampered one included, is checked anew.
 */
public final class TokenService {
  static final String TENANT = "tenant";
  static final String ROLE = "role";
  /** The account's token version when the token was signed ({@link TokenVersions}); absent means 0. */
  static final String VERSION = "ver";
  private static final int LEEWAY_SECONDS = 5;
  /** Distinct live tokens remembered (~0.5 KiB each); beyond it the least used are checked again. */
  private static final int MAX_CACHED_TOKENS = 10_000;
  /**
   * Header, payload and an ES256 signature of exactly 64 bytes: vertx-auth-jwt ignores bytes
   * appended to a signature, so without this check {@code token + "x"} would still be accepted.
   */
  private static final Pattern SHAPE =
      Pattern.compile("[A-Za-z0-9_-]{1,4096}\\.[A-Za-z0-9_-]{1,8192}\\.[A-Za-z0-9_-]{86}");

  /**
   * vertx-auth-jwt serialises all use of one key behind a lock; one provider per thread keeps the
   * event loops from queueing on each other when every request verifies a token.
   */
  private final ThreadLocal<JWTAuth> jwt;
  private final AppConfig.Jwt config;
  /** Token string to its principal and the last epoch millisecond it is accepted. */
  private final Cache<String, Verified> verified;
  private final LongSupplier clock;
  private final AtomicLong signatureChecks = new AtomicLong();

  private record Verified(StaffToken token, long acceptedUntilMillis) {
  }

  /** A verified access token: its principal and the token version it carries. */
  record StaffToken(Principal principal, int version) {
  }

  public TokenService(Vertx vertx, JwtKeys keys, AppConfig.Jwt config) {
    this(vertx, keys, config, System::currentTimeMillis);
  }

  TokenService(Vertx vertx, JwtKeys keys, AppConfig.Jwt config, LongSupplier clock) {
    this.config = config;
    this.clock = clock;
    this.verified = Caffeine.newBuilder().maximumSize(MAX_CACHED_TOKENS)
        .expireAfterWrite(Duration.ofSeconds(config.ttlSeconds() + LEEWAY_SECONDS)).build();
    JWTAuthOptions options = new JWTAuthOptions()
        .setJWTOptions(new JWTOptions().setAlgorithm(JwtKeys.ALGORITHM).setIssuer(config.issuer())
            .setLeeway(LEEWAY_SECONDS));
    keys.authJwks().forEach(options::addJwk);
    this.jwt = ThreadLocal.withInitial(() -> JWTAuth.create(vertx, options));
  }

  /** A signed token and its lifetime. */
  public record Issued(String token, int expiresInSeconds) {
  }

  /** Signs an access token for an account at its role and token version (CPU only, safe on the event loop). */
  public Issued issue(StaffUser user) {
    return issue(user.tenantId(), user.id(), user.role(), user.tokenVersion(), config.ttlSeconds());
  }

  /** Signs an access token at token version 0 (an account's version until its first change). */
  public Issued issue(UUID tenantId, UUID staffId, Role role) {
    return issue(tenantId, staffId, role, 0, config.ttlSeconds());
  }

  Issued issue(UUID tenantId, UUID staffId, Role role, int ttlSeconds) {
    return issue(tenantId, staffId, role, 0, ttlSeconds);
  }

  private Issued issue(UUID tenantId, UUID staffId, Role role, int version, int ttlSeconds) {
    JsonObject claims = new JsonObject().put(TENANT, tenantId.toString()).put(ROLE, role.wire()).put(VERSION, version);
    JWTOptions options = new JWTOptions().setAlgorithm(JwtKeys.ALGORITHM).setIssuer(config.issuer())
        .setSubject(staffId.toString()).setExpiresInSeconds(ttlSeconds);
    return new Issued(jwt.get().generateToken(claims, options), ttlSeconds);
  }

  /**
   * Checks signature, issuer and expiry and maps the claims to a staff {@link Principal}; any
   * problem fails with 401 {@code auth.invalid_token}.
   */
  public Future<Principal> verify(String token) {
    return verifyStaff(token).map(StaffToken::principal);
  }

  /** Like {@link #verify}, with the token version the token carries. */
  Future<StaffToken> verifyStaff(String token) {
    if (token == null || !SHAPE.matcher(token).matches()) {
      return Future.failedFuture(invalid());
    }
    Verified known = verified.getIfPresent(token);
    if (known != null) {
      if (clock.getAsLong() <= known.acceptedUntilMillis()) {
        return Future.succeededFuture(known.token());
      }
      verified.invalidate(token);
      return Future.failedFuture(invalid());
    }
    if (hasCriticalHeader(token)) {
      return Future.failedFuture(invalid());
    }
    signatureChecks.incrementAndGet();
    Future<User> user;
    try {
      user = jwt.get().authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      user = Future.failedFuture(e);
    }
    return user.map(u -> {
      JsonObject claims = u.attributes().getJsonObject("accessToken");
      StaffToken p = new StaffToken(principal(claims), version(claims));
      verified.put(token, new Verified(p, (claims.getLong("exp") + LEEWAY_SECONDS) * 1000));
      return p;
    }).recover(t -> Future.failedFuture(invalid()));
  }

  /**
   * RFC 7515 §4.1.11: a token whose {@code crit} header names extensions the recipient does not
   * understand must be rejected. We understand none (and issue none), so any {@code crit} is
   * refused; vertx-auth-jwt does not look at it. An unreadable header is refused too.
   */
  private static boolean hasCriticalHeader(String token) {
    try {
      byte[] header = Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.')));
      return new JsonObject(new String(header, StandardCharsets.UTF_8)).containsKey("crit");
    } catch (RuntimeException e) {
      return true;
    }
  }

  /** How many tokens had their signature checked (cache misses), for tests. */
  long signatureChecks() {
    return signatureChecks.get();
  }

  private static Principal principal(JsonObject claims) {
    if (claims == null || !(claims.getValue("exp") instanceof Number)) {
      throw invalid();
    }
    try {
      return new Principal(UUID.fromString(claims.getString(TENANT)), Principal.Kind.STAFF,
          UUID.fromString(claims.getString("sub")), Role.parse(claims.getString(ROLE)));
    } catch (RuntimeException e) {
      throw invalid();
    }
  }

  private static int version(JsonObject claims) {
    Object v = claims.getValue(VERSION);
    if (v == null) {
      return 0; // signed before token versions existed; the account's version then is 0 too
    }
    if (!(v instanceof Integer) && !(v instanceof Long)) {
      throw invalid();
    }
    return ((Number) v).intValue();
  }

  private static ApiException.Unauthorized invalid() {
    return new ApiException.Unauthorized("auth.invalid_token",
        "The access token is invalid or expired; sign in again.");
  }
}
