package dev.virtualqueue.server;

import dev.virtualqueue.auth.CrossTenantDenials;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/**
 * Which tenant owns an id, over every table whose ids appear in API paths: what
 * {@code vq_cross_tenant_denials_total} asks after a 404 (only then, so it costs no request anything).
 */
final class TenantIds implements CrossTenantDenials.Owners {
  private static final String SQL = "SELECT EXISTS (SELECT 1 FROM ("
      + "SELECT tenant_id FROM queues WHERE id = ANY($1) UNION ALL SELECT tenant_id FROM counters WHERE id = ANY($1)"
      + " UNION ALL SELECT tenant_id FROM tickets WHERE id = ANY($1)"
      + " UNION ALL SELECT tenant_id FROM webhook_endpoints WHERE id = ANY($1)"
      + " UNION ALL SELECT tenant_id FROM webhook_deliveries WHERE id = ANY($1)"
      + " UNION ALL SELECT tenant_id FROM staff_users WHERE id = ANY($1)"
      + " UNION ALL SELECT tenant_id FROM api_keys WHERE id = ANY($1)) owned WHERE tenant_id <> $2)";

  private final Pool pool;

  TenantIds(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Boolean> elsewhere(UUID tenantId, List<UUID> ids) {
    return pool.preparedQuery(SQL).execute(Tuple.of(ids.toArray(UUID[]::new), tenantId))
        .map(rs -> rs.iterator().next().getBoolean(0));
  }
}
