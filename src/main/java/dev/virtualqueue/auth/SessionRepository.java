package dev.virtualqueue.auth;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** SQL for refresh-token sessions (table auth_sessions, see V9__auth_sessions.sql). */
final class SessionRepository {
  /** A stored refresh token: its family, owner, and whether it was already rotated or revoked. */
  record Session(UUID id, UUID familyId, UUID tenantId, UUID staffId, boolean expired, boolean rotated,
      boolean revoked) {
  }

  private final Pool pool;

  SessionRepository(Pool pool) {
    this.pool = pool;
  }

  Future<Void> insert(UUID familyId, UUID tenantId, UUID staffId, byte[] hash, long ttlSeconds) {
    return pool.preparedQuery("INSERT INTO auth_sessions (id, family_id, tenant_id, staff_id, token_hash, expires_at)"
            + " VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))")
        .execute(Tuple.of(UUID.randomUUID(), familyId, tenantId, staffId, Buffer.buffer(hash), (double) ttlSeconds))
        .mapEmpty();
  }

  /** The session of a token hash, or null. */
  Future<Session> find(byte[] hash) {
    return pool.preparedQuery("SELECT id, family_id, tenant_id, staff_id, expires_at < now() AS expired,"
            + " rotated_at IS NOT NULL AS rotated,"
            + " EXISTS (SELECT 1 FROM auth_sessions f WHERE f.family_id = s.family_id AND f.revoked_at IS NOT NULL)"
            + " AS revoked FROM auth_sessions s WHERE token_hash = $1")
        .execute(Tuple.of(Buffer.buffer(hash)))
        .map(rs -> rs.size() == 0 ? null : map(rs.iterator().next()));
  }

  private static Session map(Row r) {
    return new Session(r.getUUID("id"), r.getUUID("family_id"), r.getUUID("tenant_id"), r.getUUID("staff_id"),
        r.getBoolean("expired"), r.getBoolean("rotated"), r.getBoolean("revoked"));
  }

  /** Marks a token rotated; false when another request rotated it first. */
  Future<Boolean> markRotated(UUID id) {
    return pool.preparedQuery("UPDATE auth_sessions SET rotated_at = now() WHERE id = $1 AND rotated_at IS NULL"
            + " AND revoked_at IS NULL").execute(Tuple.of(id)).map(rs -> rs.rowCount() == 1);
  }

  /** Revokes every token of a family; the number of rows newly revoked. */
  Future<Integer> revokeFamily(UUID familyId) {
    return revokeFamily(pool, familyId);
  }

  Future<Integer> revokeFamily(SqlClient client, UUID familyId) {
    return client.preparedQuery("UPDATE auth_sessions SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(familyId)).map(rs -> rs.rowCount());
  }

  /** Revokes every session of a staff member (disabled, demoted, password changed). */
  Future<Integer> revokeStaff(SqlClient client, UUID staffId) {
    return client.preparedQuery("UPDATE auth_sessions SET revoked_at = now() WHERE staff_id = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(staffId)).map(rs -> rs.rowCount());
  }

  /**
   * Deletes sessions that can no longer do anything: expired tokens, and revoked ones a day after
   * their revocation (a token presented later is unknown instead of revoked: refused alike).
   */
  Future<Long> purge() {
    return pool.query("DELETE FROM auth_sessions WHERE expires_at < now() OR revoked_at < now() - interval '1 day'")
        .execute().map(rs -> (long) rs.rowCount());
  }
}
