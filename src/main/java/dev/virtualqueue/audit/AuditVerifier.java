package dev.virtualqueue.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Walks each tenant's chain from its anchor (or 64 zeros), in pages: every entry must chain from
 * the one before it ({@code prev_hash}) and its {@code hash} must be {@code audit_hash} of its own
 * content. The first entry that fails either check is reported: an edited entry fails the second,
 * a deleted one (anywhere but the purged start) fails the first on the entry after it.
 */
public final class AuditVerifier {
  private static final int PAGE = 1000;
  private static final String PAGE_SQL = "SELECT seq, prev_hash, hash, audit_hash(prev_hash, seq, tenant_id, at, "
      + "actor, actor_kind, action, target_type, target_id, client_addr, request_id, details) AS computed "
      + "FROM audit_log WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT " + PAGE;

  private final Pool pool;

  public AuditVerifier(Pool pool) {
    this.pool = pool;
  }

  /** The outcome for one tenant: entries checked, and the first broken seq (null when the chain holds). */
  public record Result(UUID tenantId, String slug, long checked, Long brokenSeq, String reason) {
    public boolean ok() {
      return brokenSeq == null;
    }
  }

  /** Verifies every tenant's chain, or only {@code slug}'s when given. */
  public Future<List<Result>> verify(String slug) {
    String sql = "SELECT t.id, t.slug, a.seq, a.hash FROM tenants t LEFT JOIN audit_anchor a ON a.tenant_id = t.id "
        + "WHERE $1::text IS NULL OR t.slug = $1 ORDER BY t.slug";
    return pool.preparedQuery(sql).execute(Tuple.of(slug)).compose(rs -> {
      List<Row> tenants = new ArrayList<>();
      rs.forEach(tenants::add);
      Future<List<Result>> all = Future.succeededFuture(new ArrayList<>());
      for (Row t : tenants) {
        all = all.compose(list -> tenant(t).map(r -> {
          list.add(r);
          return list;
        }));
      }
      return all;
    });
  }

  private Future<Result> tenant(Row t) {
    Long anchorSeq = t.getLong(2);
    String anchor = t.getString(3);
    return walk(new Result(t.getUUID(0), t.getString(1), 0, null, null), anchorSeq == null ? 0 : anchorSeq,
        anchor == null ? AuditLog.ZERO : anchor);
  }

  private Future<Result> walk(Result so, long after, String prev) {
    return pool.preparedQuery(PAGE_SQL).execute(Tuple.of(so.tenantId(), after)).compose(rs -> {
      long checked = so.checked();
      String expected = prev;
      long last = after;
      for (Row r : rs) {
        long seq = r.getLong("seq");
        if (!expected.equals(r.getString("prev_hash"))) {
          return Future.succeededFuture(broken(so, checked, seq, "does not chain from the entry before it"
              + " (an entry before it was removed or changed)"));
        }
        if (!r.getString("hash").equals(r.getString("computed"))) {
          return Future.succeededFuture(broken(so, checked, seq, "its content does not match its hash (edited)"));
        }
        checked++;
        expected = r.getString("hash");
        last = seq;
      }
      Result next = new Result(so.tenantId(), so.slug(), checked, null, null);
      return rs.size() < PAGE ? Future.succeededFuture(next) : walk(next, last, expected);
    });
  }

  private static Result broken(Result so, long checked, long seq, String reason) {
    return new Result(so.tenantId(), so.slug(), checked, seq, reason);
  }
}
