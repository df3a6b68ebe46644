package dev.virtualqueue.auth;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Secrets;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The short-lived tokens between a correct password and a finished sign-in, in Redis (every instance
 * sees them), stored under the SHA-256 of the token with a TTL:
 * <ul>
 *   <li>a challenge ({@code vqm_}, {@value #CHALLENGE_TTL_SECONDS} s): the account has 2FA on; it is
 *   exchanged once for tokens with a code, and dies after {@value #MAX_ATTEMPTS} wrong codes;</li>
 *   <li>an enrolment token ({@code vqe_}, {@value #ENROLMENT_TTL_SECONDS} s): the tenant requires 2FA
 *   for the account's role and it has none; it reaches only the enrolment routes.</li>
 * </ul>
 * Keys: {@code <prefix>:auth:mfa:<sha256 hex>}. A Redis failure is a 503: without the store there
 * is no second step, and the password alone never signs such an account in.
 */
final class SignInChallenges {
  static final String CHALLENGE = "vqm_";
  static final String ENROLMENT = "vqe_";
  static final int CHALLENGE_TTL_SECONDS = 300;
  static final int ENROLMENT_TTL_SECONDS = 600;
  static final int MAX_ATTEMPTS = 5;

  /** KEYS: the token's key; ARGV: max attempts. Counts an attempt; nil for an unknown or used-up token. */
  private static final String ATTEMPT = """
      if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
      local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
      if n > tonumber(ARGV[1]) then
        redis.call('DEL', KEYS[1])
        return nil
      end
      return redis.call('HMGET', KEYS[1], 'tenant', 'staff', 'slug', 'email', 'role')
      """;

  /** Whose sign-in a token continues. */
  record Pending(UUID tenantId, UUID staffId, String tenantSlug, String email, Role role) {
    static Pending of(StaffUser user, String tenantSlug) {
      return new Pending(user.tenantId(), user.id(), tenantSlug, user.email(), user.role());
    }
  }

  private final Redis redis;
  private final String prefix;

  SignInChallenges(Redis redis, String prefix) {
    this.redis = redis;
    this.prefix = prefix;
  }

  /** A new challenge for {@code p}. */
  Future<String> challenge(Pending p) {
    return create(CHALLENGE, p, CHALLENGE_TTL_SECONDS);
  }

  /** A new enrolment token for {@code p}. */
  Future<String> enrolment(Pending p) {
    return create(ENROLMENT, p, ENROLMENT_TTL_SECONDS);
  }

  private Future<String> create(String mark, Pending p, int ttlSeconds) {
    String token = mark + Secrets.randomBase64Url(32);
    Request set = Request.cmd(Command.HSET).arg(key(token)).arg("tenant").arg(p.tenantId().toString())
        .arg("staff").arg(p.staffId().toString()).arg("slug").arg(p.tenantSlug()).arg("email").arg(p.email())
        .arg("role").arg(p.role().wire()).arg("n").arg(0);
    return redis.batch(List.of(set, Request.cmd(Command.EXPIRE).arg(key(token)).arg(ttlSeconds)))
        .recover(SignInChallenges::unavailable)
        .map(token);
  }

  /** Counts a code attempt on {@code token}; null when it is unknown, expired, spent or out of attempts. */
  Future<Pending> attempt(String token, String mark) {
    if (!wellFormed(token, mark)) {
      return Future.succeededFuture();
    }
    return redis.send(Request.cmd(Command.EVAL).arg(ATTEMPT).arg(1).arg(key(token)).arg(mark.equals(CHALLENGE)
            ? MAX_ATTEMPTS : Integer.MAX_VALUE))
        .recover(SignInChallenges::unavailable)
        .map(SignInChallenges::pending);
  }

  /** Ends {@code token}; true for the one caller that ended it (a challenge is spent once). */
  Future<Boolean> spend(String token) {
    return redis.send(Request.cmd(Command.DEL).arg(key(token))).recover(SignInChallenges::unavailable)
        .map(r -> r != null && r.toLong() == 1);
  }

  static boolean wellFormed(String token, String mark) {
    return token != null && token.startsWith(mark) && token.length() == mark.length() + 43;
  }

  private static Pending pending(Response r) {
    if (r == null || r.size() < 5 || r.get(0) == null) {
      return null;
    }
    return new Pending(UUID.fromString(r.get(0).toString()), UUID.fromString(r.get(1).toString()),
        r.get(2).toString(), r.get(3).toString(), Role.parse(r.get(4).toString()));
  }

  private String key(String token) {
    return prefix + ":auth:mfa:" + HexFormat.of().formatHex(Secrets.sha256(token));
  }

  private static <T> Future<T> unavailable(Throwable t) {
    return Future.failedFuture(new ApiException.Unavailable("store.unavailable",
        "The sign-in store is unavailable; retry shortly.", 2));
  }
}
