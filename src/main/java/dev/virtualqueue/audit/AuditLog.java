package dev.virtualqueue.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends entries to the tenant's hash chain (docs/audit.md). Each append is one transaction that
 * first takes {@code pg_advisory_xact_lock} on the tenant, so the head it chains from is the head:
 * concurrent writers, on any instance, queue up and never fork the chain. The hash itself is the
 * database's {@code audit_hash}, the same function {@link AuditVerifier} checks with.
 */
public final class AuditLog {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  static final String ZERO = "0".repeat(64);
  private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('vq.audit:' || $1::uuid::text, 0))";
  private static final String HEAD = "coalesce((SELECT hash FROM audit_log WHERE tenant_id = $1 ORDER BY seq DESC "
      + "LIMIT 1), (SELECT hash FROM audit_anchor WHERE tenant_id = $1), '" + ZERO + "')";
  private static final String INSERT = "INSERT INTO audit_log (seq, tenant_id, at, actor, actor_kind, action, "
      + "target_type, target_id, client_addr, request_id, details, prev_hash, hash) "
      + "SELECT s.seq, $1, s.at, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, h.prev, "
      + "audit_hash(h.prev, s.seq, $1, s.at, $2, $3, $4, $5, $6, $7, $8, $9::jsonb) "
      + "FROM (SELECT nextval('audit_log_seq_seq') AS seq, date_trunc('microseconds', clock_timestamp()) AS at) s, "
      + "(SELECT " + HEAD + " AS prev) h RETURNING seq";

  private final Pool pool;
  private final AuditMetrics metrics = new AuditMetrics();

  public AuditLog(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  public AuditMetrics metrics() {
    return metrics;
  }

  /** Appends {@code e}; the future fails (and the failure is counted) when the entry was not written. */
  public Future<Long> append(AuditEntry e) {
    return pool.withTransaction(conn -> append(conn, e))
        .onSuccess(seq -> metrics.written())
        .onFailure(t -> {
          metrics.failed();
          LOG.error("audit entry {} not written, its action fails: {}", e.action(), t.getMessage());
        });
  }

  private static Future<Long> append(SqlConnection conn, AuditEntry e) {
    UUID tenant = e.actor().tenantId();
    JsonObject details = e.details() == null ? new JsonObject() : e.details();
    return conn.preparedQuery(LOCK).execute(Tuple.of(tenant))
        .compose(v -> conn.preparedQuery(INSERT).execute(Tuple.from(new Object[] {tenant, e.actor().id(),
            e.actor().kind(), e.action(), e.targetType(), e.targetId(), e.clientAddr(), e.requestId(),
            details})))
        .map(rs -> rs.iterator().next().getLong(0));
  }

  /**
   * Records a sign-in to tenant {@code tenantSlug} as {@code email}: {@code auth.login} with the
   * staff member as actor, or {@code auth.login_failed} with no actor. An unknown tenant has no log
   * to write to; the lookup runs all the same, so it costs the same time.
   */
  public Future<Void> signIn(String tenantSlug, String email, boolean ok, String clientAddr, String requestId) {
    return signInStep(new SignInStep(tenantSlug, email, ok ? "auth.login" : "auth.login_failed", ok, clientAddr,
        requestId, null));
  }

  /**
   * One step of a sign-in, before any token exists: {@code action} on the account {@code email} of
   * tenant {@code tenantSlug}, with the account as actor when {@code asStaff} (the password was right)
   * and no actor otherwise. {@code details} may be null.
   */
  public record SignInStep(String tenantSlug, String email, String action, boolean asStaff, String clientAddr,
                           String requestId, JsonObject details) {
  }

  /** Appends {@code step} (see {@link SignInStep}); an unknown tenant has no log, and nothing is written. */
  public Future<Void> signInStep(SignInStep step) {
    String sql = "SELECT t.id, s.id FROM tenants t LEFT JOIN staff_users s ON s.tenant_id = t.id AND s.email = $2 "
        + "WHERE t.slug = $1";
    return pool.preparedQuery(sql).execute(Tuple.of(step.tenantSlug(), step.email())).compose(rs -> {
      if (rs.size() == 0) {
        return Future.succeededFuture();
      }
      var row = rs.iterator().next();
      UUID user = row.getUUID(1);
      AuditActor actor = step.asStaff() && user != null ? new AuditActor(row.getUUID(0), user.toString(), "staff")
          : new AuditActor(row.getUUID(0), null, "anonymous");
      JsonObject details = new JsonObject().put("email", step.email());
      if (step.details() != null) {
        details.mergeIn(step.details());
      }
      return append(new AuditEntry(actor, step.action(), "staff", user == null ? null : user.toString(),
          step.clientAddr(), step.requestId(), details)).mapEmpty();
    }, t -> {
      metrics.failed();
      return Future.failedFuture(t);
    });
  }

  /**
   * Deletes every tenant's entries older than {@code retentionDays}, moving each tenant's anchor to
   * the last deleted entry so the rest of the chain still verifies. Returns how many were deleted.
   */
  public Future<Long> purge(int retentionDays) {
    String sql = "WITH cut AS (SELECT DISTINCT ON (tenant_id) tenant_id, seq, hash FROM audit_log "
        + "WHERE at < now() - make_interval(days => $1) ORDER BY tenant_id, seq DESC), "
        + "anchored AS (INSERT INTO audit_anchor (tenant_id, seq, hash) SELECT tenant_id, seq, hash FROM cut "
        + "ON CONFLICT (tenant_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, purged_at = now()), "
        + "gone AS (DELETE FROM audit_log a USING cut WHERE a.tenant_id = cut.tenant_id AND a.seq <= cut.seq "
        + "RETURNING 1) SELECT count(*) FROM gone";
    return pool.withTransaction(conn -> conn.query("SET LOCAL vq.audit_purge = 'on'").execute()
        .compose(v -> conn.preparedQuery(sql).execute(Tuple.of(retentionDays)))
        .map(rs -> rs.iterator().next().getLong(0)));
  }
}
