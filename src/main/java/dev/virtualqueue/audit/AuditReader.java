package dev.virtualqueue.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads one tenant's entries, newest first; every statement is scoped by the caller's tenant. */
final class AuditReader {
  private static final String SQL = "SELECT seq, at, actor, actor_kind, action, target_type, target_id, client_addr, "
      + "request_id, details::text AS details, prev_hash, hash FROM audit_log WHERE tenant_id = $1 "
      + "AND ($2::text IS NULL OR action = $2) AND ($3::text IS NULL OR actor = $3) "
      + "AND ($4::text IS NULL OR target_id = $4) AND ($5::timestamptz IS NULL OR at >= $5) "
      + "AND ($6::timestamptz IS NULL OR at < $6) AND ($7::bigint IS NULL OR seq < $7) ORDER BY seq DESC LIMIT $8";

  private final Pool pool;

  AuditReader(Pool pool) {
    this.pool = pool;
  }

  Future<List<Map<String, Object>>> page(UUID tenant, AuditFilter f, int limit) {
    return pool.preparedQuery(SQL).execute(Tuple.from(new Object[] {tenant, f.action(), f.actor(), f.target(),
        f.from(), f.to(), f.before(), limit})).map(rs -> {
          List<Map<String, Object>> out = new ArrayList<>();
          rs.forEach(r -> out.add(view(r)));
          return out;
        });
  }

  static Map<String, Object> view(Row r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", r.getLong("seq"));
    OffsetDateTime at = r.getOffsetDateTime("at");
    m.put("at", at.withOffsetSameInstant(ZoneOffset.UTC).toString());
    for (String c : List.of("actor", "actor_kind", "action", "target_type", "target_id", "client_addr",
        "request_id")) {
      m.put(camel(c), r.getString(c));
    }
    m.put("details", new JsonObject(r.getString("details")).getMap());
    m.put("prevHash", r.getString("prev_hash"));
    m.put("hash", r.getString("hash"));
    return m;
  }

  private static String camel(String column) {
    int i = column.indexOf('_');
    return i < 0 ? column : column.substring(0, i) + Character.toUpperCase(column.charAt(i + 1))
        + camel(column.substring(i + 2));
  }
}
