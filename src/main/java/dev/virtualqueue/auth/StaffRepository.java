package dev.virtualqueue.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQL for staff accounts. Every statement is scoped by tenant (login by tenant slug). */
final class StaffRepository {
  private static final String COLUMNS = "id, tenant_id, email, display_name, role, password_hash, disabled, created_at,"
      + " token_version";
  private static final String INSERT = "INSERT INTO staff_users"
      + " (id, tenant_id, email, display_name, role, password_hash) VALUES ($1, $2, $3, $4, $5, $6)";

  private final Pool pool;

  StaffRepository(Pool pool) {
    this.pool = pool;
  }

  private static StaffUser map(Row r) {
    return new StaffUser(r.getUUID("id"), r.getUUID("tenant_id"), r.getString("email"),
        r.getString("display_name"), Role.parse(r.getString("role")), r.getString("password_hash"),
        r.getBoolean("disabled"), r.getOffsetDateTime("created_at").toInstant(), r.getInteger("token_version"));
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

  /** What access tokens are checked against (see {@link TokenVersions}); null when there is no such account. */
  Future<TokenVersions.State> tokenState(UUID tenantId, UUID id) {
    return pool.preparedQuery("SELECT token_version, role, disabled FROM staff_users WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, id))
        .map(rs -> {
          if (rs.size() == 0) {
            return null;
          }
          Row r = rs.iterator().next();
          return new TokenVersions.State(r.getInteger(0), Role.parse(r.getString(1)), !r.getBoolean(2));
        });
  }

  /** Account {@code id} of the tenant, locked for the rest of the transaction, or null. */
  Future<StaffUser> lock(SqlConnection conn, UUID tenantId, UUID id) {
    return conn.preparedQuery("SELECT " + COLUMNS + " FROM staff_users WHERE tenant_id = $1 AND id = $2 FOR UPDATE")
        .execute(Tuple.of(tenantId, id)).map(StaffRepository::first);
  }

  /** Locks the tenant's enabled owners (in id order, so two changes cannot deadlock) and counts them. */
  Future<Integer> lockOwners(SqlConnection conn, UUID tenantId) {
    return conn.preparedQuery("SELECT id FROM staff_users WHERE tenant_id = $1 AND role = 'owner' AND NOT disabled"
            + " ORDER BY id FOR UPDATE").execute(Tuple.of(tenantId)).map(RowSet::size);
  }

  /**
   * Writes role, disabled and display name; {@code bump} also raises the token version (every access
   * token of the account dies). Returns the account as stored.
   */
  Future<StaffUser> update(SqlConnection conn, StaffUser u, boolean bump) {
    return conn.preparedQuery("UPDATE staff_users SET role = $3, disabled = $4, display_name = $5,"
            + " token_version = token_version + $6 WHERE tenant_id = $1 AND id = $2 RETURNING " + COLUMNS)
        .execute(Tuple.of(u.tenantId(), u.id(), u.role().wire(), u.disabled(), u.displayName(), bump ? 1 : 0))
        .map(StaffRepository::first);
  }

  /** Sets a new password hash and raises the token version. */
  Future<StaffUser> setPassword(SqlConnection conn, UUID tenantId, UUID id, String hash) {
    return conn.preparedQuery("UPDATE staff_users SET password_hash = $3, token_version = token_version + 1"
            + " WHERE tenant_id = $1 AND id = $2 RETURNING " + COLUMNS)
        .execute(Tuple.of(tenantId, id, hash)).map(StaffRepository::first);
  }

  /** Raises the token version of account {@code id} (sign-out everywhere). */
  Future<Void> bump(SqlConnection conn, UUID tenantId, UUID id) {
    return conn.preparedQuery("UPDATE staff_users SET token_version = token_version + 1 WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, id)).mapEmpty();
  }

  Pool pool() {
    return pool;
  }
}
