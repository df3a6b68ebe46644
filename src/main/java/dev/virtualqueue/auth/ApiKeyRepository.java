package dev.virtualqueue.auth;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQL for API keys. Every statement is scoped by tenant, except the lookup of a presented key. */
final class ApiKeyRepository {
  private static final String COLUMNS =
      "id, tenant_id, name, prefix, key_hash, role, created_by, created_at, last_used_at, revoked_at";

  private final Pool pool;

  ApiKeyRepository(Pool pool) {
    this.pool = pool;
  }

  private static ApiKey map(Row r) {
    return new ApiKey(r.getUUID("id"), r.getUUID("tenant_id"), r.getString("name"), r.getString("prefix"),
        r.getBuffer("key_hash").getBytes(), Role.parse(r.getString("role")), r.getUUID("created_by"),
        instant(r.getOffsetDateTime("created_at")), instant(r.getOffsetDateTime("last_used_at")),
        instant(r.getOffsetDateTime("revoked_at")));
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static ApiKey first(RowSet<Row> rs) {
    return rs.size() == 0 ? null : map(rs.iterator().next());
  }

  Future<ApiKey> insert(ApiKey k) {
    return pool.preparedQuery("INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash, role, created_by)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING " + COLUMNS)
        .execute(Tuple.of(k.id(), k.tenantId(), k.name(), k.prefix(), Buffer.buffer(k.keyHash()), k.role().wire(),
            k.createdBy()))
        .map(ApiKeyRepository::first);
  }

  /** The key with this prefix in any tenant: the presented key itself names its tenant. */
  Future<ApiKey> findByPrefix(String prefix) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM api_keys WHERE prefix = $1")
        .execute(Tuple.of(prefix)).map(ApiKeyRepository::first);
  }

  /** A page ordered by creation, after the key {@code afterId} (null: from the start). */
  Future<List<ApiKey>> list(UUID tenantId, UUID afterId, int limit) {
    String sql = "SELECT " + COLUMNS + " FROM api_keys WHERE tenant_id = $1 AND ($2::uuid IS NULL OR"
        + " (created_at, id) > (SELECT created_at, id FROM api_keys WHERE id = $2 AND tenant_id = $1))"
        + " ORDER BY created_at, id LIMIT $3";
    return pool.preparedQuery(sql).execute(Tuple.of(tenantId, afterId, limit)).map(rs -> {
      List<ApiKey> out = new ArrayList<>();
      rs.forEach(r -> out.add(map(r)));
      return out;
    });
  }

  /** Marks the key revoked (keeping the first revocation time); its prefix, or null when not in the tenant. */
  Future<String> revoke(UUID tenantId, UUID id) {
    return pool.preparedQuery("UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())"
            + " WHERE id = $1 AND tenant_id = $2 RETURNING prefix")
        .execute(Tuple.of(id, tenantId)).map(rs -> rs.size() == 0 ? null : rs.iterator().next().getString(0));
  }

  /** Records use; skips the write when another instance recorded it within the minute. */
  Future<Void> touch(UUID id) {
    return pool.preparedQuery("UPDATE api_keys SET last_used_at = now() WHERE id = $1"
            + " AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')")
        .execute(Tuple.of(id)).mapEmpty();
  }
}
