package dev.virtualqueue.counter;

import dev.virtualqueue.auth.Principal;
import dev.virtualqueue.events.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQL for counters, always scoped by tenant. */
public final class CounterRepository {
  private static final String COLUMNS =
      "id, tenant_id, queue_id, name, status, opened_by, opened_by_api_key, opened_at, created_at";
  private final Pool pool;

  public CounterRepository(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  static Counter map(Row r) {
    OffsetDateTime opened = r.getOffsetDateTime("opened_at");
    UUID staff = r.getUUID("opened_by");
    UUID apiKey = r.getUUID("opened_by_api_key");
    String kind = staff != null ? "staff" : apiKey != null ? "api_key" : null;
    return new Counter(r.getUUID("id"), r.getUUID("tenant_id"), r.getUUID("queue_id"), r.getString("name"),
        r.getString("status"), staff != null ? staff : apiKey, kind, opened == null ? null : opened.toInstant(),
        r.getOffsetDateTime("created_at").toInstant());
  }

  public Future<Counter> insert(Counter c) {
    return pool.preparedQuery("INSERT INTO counters (id, tenant_id, queue_id, name) VALUES ($1, $2, $3, $4)"
            + " RETURNING " + COLUMNS).execute(Tuple.of(c.id(), c.tenantId(), c.queueId(), c.name()))
        .map(CounterRepository::first);
  }

  public Future<Counter> find(SqlClient client, UUID tenantId, UUID id) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM counters WHERE id = $1 AND tenant_id = $2")
        .execute(Tuple.of(id, tenantId)).map(CounterRepository::first);
  }

  public Future<List<Counter>> byQueue(UUID tenantId, UUID queueId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM counters WHERE tenant_id = $1 AND queue_id = $2 ORDER BY name")
        .execute(Tuple.of(tenantId, queueId)).map(rs -> {
          List<Counter> out = new ArrayList<>();
          rs.forEach(r -> out.add(map(r)));
          return out;
        });
  }

  /**
   * Opens (recording who: a staff user or an API key, each in its own column) or closes a counter,
   * with the change's outbox row in the same statement.
   */
  public Future<Counter> setStatus(UUID tenantId, UUID id, String status, Principal by) {
    String sql = "WITH x AS (UPDATE counters SET status = $3,"
        + " opened_by = CASE WHEN $3 = 'open' THEN $4::uuid END,"
        + " opened_by_api_key = CASE WHEN $3 = 'open' THEN $5::uuid END,"
        + " opened_at = CASE WHEN $3 = 'open' THEN now() END WHERE id = $1 AND tenant_id = $2 RETURNING *), "
        + Outbox.queueCte("o", "x", "queue_id", Outbox.COUNTER_DATA, 6) + " SELECT " + COLUMNS + " FROM x";
    UUID staff = by.kind() == Principal.Kind.STAFF ? by.actorId() : null;
    UUID apiKey = by.kind() == Principal.Kind.API_KEY ? by.actorId() : null;
    String type = Outbox.counterType(status);
    return pool.preparedQuery(sql).execute(Tuple.of(id, tenantId, status, staff, apiKey, type))
        .map(CounterRepository::first);
  }

  public Future<Integer> openCount(UUID queueId) {
    return pool.preparedQuery("SELECT count(*) FROM counters WHERE queue_id = $1 AND status = 'open'")
        .execute(Tuple.of(queueId)).map(rs -> rs.iterator().next().getInteger(0));
  }

  private static Counter first(RowSet<Row> rs) {
    return rs.size() == 0 ? null : map(rs.iterator().next());
  }
}
