package dev.virtualqueue.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** SQL for tenants; callers pass the pool or their transaction. */
final class TenantRepository {
  /** Ids of a tenant and of one of its staff by email; either may be null. */
  record Existing(UUID tenantId, UUID staffId) {
  }

  Future<Existing> find(SqlClient client, String slug, String email) {
    return client.preparedQuery("SELECT t.id AS tenant_id, s.id AS staff_id FROM tenants t"
            + " LEFT JOIN staff_users s ON s.tenant_id = t.id AND s.email = $2 WHERE t.slug = $1")
        .execute(Tuple.of(slug, email))
        .map(rs -> {
          if (rs.size() == 0) {
            return new Existing(null, null);
          }
          Row r = rs.iterator().next();
          return new Existing(r.getUUID("tenant_id"), r.getUUID("staff_id"));
        });
  }

  /** Inserts unless the slug is taken; true when a row was written. */
  Future<Boolean> insertIfAbsent(SqlClient tx, UUID id, String slug, String name) {
    return tx.preparedQuery("INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING")
        .execute(Tuple.of(id, slug, name)).map(rs -> rs.rowCount() == 1);
  }
}
