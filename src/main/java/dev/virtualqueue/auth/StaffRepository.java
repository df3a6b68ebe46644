package dev.virtualqueue.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQL for staff accounts. Every statement is scoped by tenant (login by tenant slug). */
final class StaffRepository {
  private static final String COLUMNS = "id, tenant_id, email, display_name, role, password_hash, disabled, created_at";
  private static final String INSERT = "INSERT INTO staff_users"
      + " (id, tenant_id, email, display_name, role, password_hash) VALUES ($1, $2, $3, $4, $5, $6)";

  private final Pool pool;

  StaffRepository(Pool pool) {
    this.pool = pool;
  }

  private static StaffUser map(Row r) {
    return new StaffUser(r.getUUID("id"), r.getUUID("tenant_id"), r.getString("email"),
        r.getString("display_name"), Role.parse(r.getString("role")), r.getString("password_hash"),
        r.getBoolean("disabled"), r.getOffsetDateTime("created_at").toInstant());
  }

  private static StaffUser first(RowSet<Row> rs) {
    return rs.size() == 0 ? null : map(rs.iterator().next());
  }

  /** Inserts; a taken email fails with the unique violation (translated by the service). */
  Future<StaffUser> insert(SqlClient client, StaffUser u) {
    return client.preparedQuery(INSERT + " RETURNING " + COLUMNS).execute(tuple(u)).map(StaffRepository::first);
  }

  Future<StaffUser> insert(StaffUser u) {
    return insert(pool, u);
  }

  private static Tuple tuple(StaffUser u) {
    return Tuple.of(u.id(), u.tenantId(), u.email(), u.displayName(), u.role().wire(), u.passwordHash());
  }

  /** The account for a login: one query for tenant and email, null when either is unknown. */
  Future<StaffUser> findForLogin(String tenantSlug, String email) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM staff_users"
            + " WHERE email = $2 AND tenant_id = (SELECT id FROM tenants WHERE slug = $1)")
        .execute(Tuple.of(tenantSlug, email)).map(StaffRepository::first);
  }

  /** Account {@code id} of the tenant, or null. */
  Future<StaffUser> find(UUID tenantId, UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM staff_users WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, id)).map(StaffRepository::first);
  }

  /** The tenant slug and email of account {@code id} of the tenant (the sign-in lockout's key), null when unknown. */
  Future<String[]> loginKey(UUID tenantId, UUID id) {
    return pool.preparedQuery("SELECT t.slug, s.email FROM staff_users s JOIN tenants t ON t.id = s.tenant_id"
            + " WHERE s.tenant_id = $1 AND s.id = $2")
        .execute(Tuple.of(tenantId, id))
        .map(rs -> rs.size() == 0 ? null : new String[] {rs.iterator().next().getString(0),
            rs.iterator().next().getString(1)});
  }

  /** A page of accounts ordered by email, after {@code afterEmail}. */
  Future<List<StaffUser>> list(UUID tenantId, String afterEmail, int limit) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM staff_users WHERE tenant_id = $1 AND email > $2"
            + " ORDER BY email LIMIT $3").execute(Tuple.of(tenantId, afterEmail, limit))
        .map(rs -> {
          List<StaffUser> out = new ArrayList<>();
          rs.forEach(r -> out.add(map(r)));
          return out;
        });
  }
}
