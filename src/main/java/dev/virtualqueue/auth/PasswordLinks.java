package dev.virtualqueue.auth;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.UUID;

/**
 * One-time password links (table {@code staff_password_links}, V11): an invitation of an account made
 * without a password, or a reset an owner or admin issued. The secret is {@value #PREFIX} + 256
 * random bits; only its SHA-256 is stored. A link is used once, expires, and issuing a new one for
 * an account spends the older ones.
 */
final class PasswordLinks {
  static final String PREFIX = "vqp_";
  static final long INVITE_TTL_SECONDS = 7 * 24 * 3600L;
  static final long RESET_TTL_SECONDS = 3600L;

  /** A link as shown once to the owner or admin who made it. */
  record Issued(String token, String purpose, Instant expiresAt) {
  }

  /** A usable link: the account it opens, with the words its new password must not be built on. */
  record Usable(UUID tenantId, UUID staffId, String purpose, String tenantSlug, String email) {
  }

  private final Pool pool;

  PasswordLinks(Pool pool) {
    this.pool = pool;
  }

  /** Spends the account's unused links and makes a new one ({@code invite} or {@code reset}). */
  Future<Issued> issue(SqlClient conn, UUID tenantId, UUID staffId, String purpose, UUID createdBy) {
    String token = PREFIX + SessionService.newToken().substring(SessionService.PREFIX.length());
    long ttl = "invite".equals(purpose) ? INVITE_TTL_SECONDS : RESET_TTL_SECONDS;
    return conn.preparedQuery("UPDATE staff_password_links SET used_at = now() WHERE staff_id = $1 AND used_at IS NULL")
        .execute(Tuple.of(staffId))
        .compose(v -> conn.preparedQuery("INSERT INTO staff_password_links (token_hash, tenant_id, staff_id, purpose,"
                + " created_by, expires_at) VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))"
                + " RETURNING expires_at")
            .execute(Tuple.of(Buffer.buffer(SessionService.hash(token)), tenantId, staffId, purpose, createdBy,
                (double) ttl)))
        .map(rs -> new Issued(token, purpose, rs.iterator().next().getOffsetDateTime(0).toInstant()));
  }

  /** The unused, unexpired link {@code token} of tenant {@code tenantSlug}, or null. */
  Future<Usable> find(String tenantSlug, String token) {
    return pool.preparedQuery("SELECT l.tenant_id, l.staff_id, l.purpose, t.slug, s.email FROM staff_password_links l"
            + " JOIN tenants t ON t.id = l.tenant_id JOIN staff_users s ON s.id = l.staff_id"
            + " WHERE l.token_hash = $1 AND t.slug = $2 AND l.used_at IS NULL AND l.expires_at > now()")
        .execute(Tuple.of(Buffer.buffer(SessionService.hash(token)), tenantSlug))
        .map(rs -> {
          if (rs.size() == 0) {
            return null;
          }
          Row r = rs.iterator().next();
          return new Usable(r.getUUID(0), r.getUUID(1), r.getString(2), r.getString(3), r.getString(4));
        });
  }

  /** Spends link {@code token}; false when another request used it first (or it expired meanwhile). */
  Future<Boolean> spend(SqlClient conn, String token) {
    return conn.preparedQuery("UPDATE staff_password_links SET used_at = now() WHERE token_hash = $1"
            + " AND used_at IS NULL AND expires_at > now()")
        .execute(Tuple.of(Buffer.buffer(SessionService.hash(token)))).map(rs -> rs.rowCount() == 1);
  }

  /** Deletes links that expired or were used more than a day ago. */
  Future<Long> purge() {
    return pool.query("DELETE FROM staff_password_links WHERE expires_at < now() - interval '1 day'"
            + " OR used_at < now() - interval '1 day'").execute().map(rs -> (long) rs.rowCount());
  }
}
