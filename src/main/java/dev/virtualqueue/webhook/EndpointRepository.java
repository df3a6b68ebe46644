package dev.virtualqueue.webhook;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** SQL for webhook endpoints; every statement is scoped by tenant. */
final class EndpointRepository {
  private static final String COLUMNS = "id, tenant_id, url, description, events, enabled, disabled_reason,"
      + " secret_sealed, previous_sealed, previous_expires_at, failing_since, created_at, updated_at";

  private final Pool pool;

  EndpointRepository(Pool pool) {
    this.pool = pool;
  }

  static Endpoint map(Row r) {
    return new Endpoint(r.getUUID("id"), r.getUUID("tenant_id"), r.getString("url"), r.getString("description"),
        Arrays.asList(r.getArrayOfStrings("events")), r.getBoolean("enabled"), r.getString("disabled_reason"),
        text(r.getBuffer("secret_sealed")), text(r.getBuffer("previous_sealed")),
        instant(r.getOffsetDateTime("previous_expires_at")), instant(r.getOffsetDateTime("failing_since")),
        instant(r.getOffsetDateTime("created_at")), instant(r.getOffsetDateTime("updated_at")));
  }

  static String text(Buffer b) {
    return b == null ? null : b.toString(StandardCharsets.UTF_8);
  }

  static Buffer bytes(String sealed) {
    return Buffer.buffer(sealed.getBytes(StandardCharsets.UTF_8));
  }

  static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static Endpoint first(RowSet<Row> rs) {
    return rs.size() == 0 ? null : map(rs.iterator().next());
  }

  Future<Endpoint> insert(UUID id, UUID tenantId, String url, String description, List<String> events,
                          String sealed) {
    return pool.preparedQuery("INSERT INTO webhook_endpoints (id, tenant_id, url, description, events, secret_sealed)"
            + " VALUES ($1, $2, $3, $4, $5, $6) RETURNING " + COLUMNS)
        .execute(Tuple.of(id, tenantId, url, description, events.toArray(new String[0]), bytes(sealed)))
        .map(EndpointRepository::first);
  }

  Future<Endpoint> find(UUID tenantId, UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE id = $1 AND tenant_id = $2")
        .execute(Tuple.of(id, tenantId)).map(EndpointRepository::first);
  }

  /** A page in creation order after endpoint {@code afterId} (null: from the start). */
  Future<List<Endpoint>> list(UUID tenantId, UUID afterId, int limit) {
    String sql = "SELECT " + COLUMNS + " FROM webhook_endpoints WHERE tenant_id = $1 AND ($2::uuid IS NULL OR"
        + " (created_at, id) > (SELECT created_at, id FROM webhook_endpoints WHERE id = $2 AND tenant_id = $1))"
        + " ORDER BY created_at, id LIMIT $3";
    return pool.preparedQuery(sql).execute(Tuple.of(tenantId, afterId, limit)).map(rs -> {
      List<Endpoint> out = new ArrayList<>();
      rs.forEach(r -> out.add(map(r)));
      return out;
    });
  }

  /**
   * Changes what is given (null: unchanged). Disabling by hand records reason 'manual'; re-enabling
   * clears the reason and {@code failing_since}, so the 5-day clock starts again.
   */
  Future<Endpoint> update(UUID tenantId, UUID id, String url, List<String> events, Boolean enabled,
                          String description, boolean setDescription) {
    String sql = "UPDATE webhook_endpoints SET url = coalesce($3, url), events = coalesce($4, events),"
        + " description = CASE WHEN $6 THEN $7 ELSE description END, enabled = coalesce($5, enabled),"
        + " disabled_reason = CASE WHEN $5::boolean IS NULL THEN disabled_reason WHEN $5 THEN NULL"
        + " WHEN enabled THEN 'manual' ELSE disabled_reason END,"
        + " failing_since = CASE WHEN $5 AND NOT enabled THEN NULL ELSE failing_since END,"
        + " updated_at = now(), version = version + 1 WHERE id = $1 AND tenant_id = $2 RETURNING " + COLUMNS;
    Tuple args = Tuple.of(id, tenantId, url, events == null ? null : events.toArray(new String[0]), enabled,
        setDescription).addValue(description);
    return pool.preparedQuery(sql).execute(args).map(EndpointRepository::first);
  }

  /** True when the endpoint was in the tenant (its deliveries and attempts go with it). */
  Future<Boolean> delete(UUID tenantId, UUID id) {
    return pool.preparedQuery("DELETE FROM webhook_endpoints WHERE id = $1 AND tenant_id = $2")
        .execute(Tuple.of(id, tenantId)).map(rs -> rs.rowCount() > 0);
  }

  /** The current secret becomes the previous one (signing for 24 h more), {@code sealed} the current one. */
  Future<Endpoint> rotate(UUID tenantId, UUID id, String sealed) {
    return pool.preparedQuery("UPDATE webhook_endpoints SET previous_sealed = secret_sealed, secret_sealed = $3,"
            + " previous_expires_at = now() + make_interval(secs => $4), updated_at = now(), version = version + 1"
            + " WHERE id = $1 AND tenant_id = $2 RETURNING " + COLUMNS)
        .execute(Tuple.of(id, tenantId, bytes(sealed), (double) SigningKeys.ROTATION_OVERLAP.toSeconds()))
        .map(EndpointRepository::first);
  }
}
