package dev.virtualqueue.webhook;

import static dev.virtualqueue.webhook.EndpointRepository.instant;
import static dev.virtualqueue.webhook.EndpointRepository.text;

import dev.virtualqueue.webhook.WebhookViews.AttemptView;
import dev.virtualqueue.webhook.WebhookViews.DeliveryView;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * SQL for webhook deliveries and their attempts: the fan-out of outbox rows, the claim of due
 * deliveries ({@code FOR UPDATE SKIP LOCKED} and a lease, so several processes share the work), the
 * outcome of an attempt (one transaction), and the tenant's listing and retries.
 */
final class DeliveryRepository {
  private static final String ISO = "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'";
  private static final String DELIVERY_COLUMNS = "id, event_id, event_type, status, attempts, next_attempt_at,"
      + " last_status, created_at, finished_at";

  private final Pool pool;
  private final boolean mailOn;

  /** {@code mailOn}: whether e-mail is configured (only then is the tenant told of a disabled endpoint). */
  DeliveryRepository(Pool pool, boolean mailOn) {
    this.pool = pool;
    this.mailOn = mailOn;
  }

  /** One outbox row to fan out; {@code body} null when its type is unknown (the row is only dropped). */
  record FanOutRow(long seq, UUID eventId, UUID tenantId, String type, UUID ticketId, String body) {
  }

  /**
   * In one transaction: a delivery per enabled endpoint of the row's tenant subscribed to its type
   * (or "*"), at most one per endpoint and event however often this runs, then the outbox rows deleted.
   */
  Future<Void> fanOut(List<FanOutRow> rows) {
    List<Tuple> inserts = new ArrayList<>();
    List<Long> seqs = new ArrayList<>();
    for (FanOutRow r : rows) {
      seqs.add(r.seq());
      if (r.body() != null) {
        inserts.add(Tuple.of(r.eventId(), r.type(), r.ticketId(), r.body(), r.tenantId()));
      }
    }
    String insert = "INSERT INTO webhook_deliveries (id, endpoint_id, tenant_id, event_id, event_type, ticket_id, body,"
        + " status) SELECT gen_random_uuid(), e.id, e.tenant_id, $1, $2, $3, $4, 'pending' FROM webhook_endpoints e"
        + " WHERE e.tenant_id = $5 AND e.enabled AND e.events && ARRAY[$2::text, '*']"
        + " ON CONFLICT (endpoint_id, event_id) DO NOTHING";
    return pool.withTransaction(tx -> (inserts.isEmpty() ? Future.<Void>succeededFuture()
            : tx.preparedQuery(insert).executeBatch(inserts).<Void>mapEmpty())
        .compose(v -> tx.preparedQuery("DELETE FROM outbox WHERE seq = ANY($1)")
            .execute(Tuple.of(seqs.toArray(new Long[0])))).mapEmpty());
  }

  /** Leases up to {@code limit} due deliveries of enabled endpoints, oldest due first. */
  Future<List<Delivery>> claim(int limit, Duration lease) {
    String sql = """
        UPDATE webhook_deliveries d SET leased_until = now() + make_interval(secs => $2)
        FROM (SELECT d2.id FROM webhook_deliveries d2 JOIN webhook_endpoints e2 ON e2.id = d2.endpoint_id
              WHERE d2.status = 'pending' AND d2.next_attempt_at <= now() AND e2.enabled
                AND (d2.leased_until IS NULL OR d2.leased_until < now())
              ORDER BY d2.next_attempt_at LIMIT $1 FOR UPDATE OF d2 SKIP LOCKED) due, webhook_endpoints e
        WHERE d.id = due.id AND e.id = d.endpoint_id
        RETURNING d.id, d.endpoint_id, d.tenant_id, d.event_id, d.event_type, d.body, d.attempts, e.url,
                  e.secret_sealed, e.previous_sealed, e.previous_expires_at, e.failing_since""";
    return pool.preparedQuery(sql).execute(Tuple.of(limit, (double) lease.toMillis() / 1000)).map(rs -> {
      List<Delivery> out = new ArrayList<>();
      for (Row r : rs) {
        out.add(new Delivery(r.getUUID("id"), r.getUUID("endpoint_id"), r.getUUID("tenant_id"), r.getUUID("event_id"),
            r.getString("event_type"), r.getString("body"), r.getInteger("attempts"), r.getString("url"),
            text(r.getBuffer("secret_sealed")), text(r.getBuffer("previous_sealed")),
            instant(r.getOffsetDateTime("previous_expires_at")), instant(r.getOffsetDateTime("failing_since"))));
      }
      return out;
    });
  }

  /**
   * Records an attempt and its consequence in one transaction: the attempt row, the delivery's new
   * state, the endpoint's failing run (and, when {@code verdict} disables it, the endpoint disabled and
   * a mail outbox row for its tenant). True when this call disabled the endpoint.
   */
  Future<Boolean> record(Delivery d, AttemptResult r, Verdict verdict) {
    // the endpoint (and so the delivery) may have been deleted during the attempt: then nothing is recorded
    return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO webhook_attempts"
            + " (delivery_id, status_code, latency_ms, response_excerpt, error) SELECT $1, $2, $3, $4, $5"
            + " WHERE EXISTS (SELECT 1 FROM webhook_deliveries WHERE id = $1)")
        .execute(Tuple.of(d.id(), r.status() == 0 ? null : r.status(), (int) Math.min(r.latencyMs(), Integer.MAX_VALUE),
            r.excerpt(), r.error()))
        .compose(v -> tx.preparedQuery("UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1,"
                + " next_attempt_at = coalesce($3, next_attempt_at), leased_until = NULL, last_status = $4,"
                + " finished_at = CASE WHEN $2 = 'pending' THEN NULL ELSE now() END WHERE id = $1")
            .execute(Tuple.of(d.id(), verdict.status(),
                verdict.nextAttemptAt() == null ? null : verdict.nextAttemptAt().atOffset(ZoneOffset.UTC),
                r.status() == 0 ? null : r.status())))
        .compose(v -> endpoint(tx, d.endpointId(), r.delivered(), verdict.disableReason())));
  }

  private Future<Boolean> endpoint(SqlClient tx, UUID endpointId, boolean delivered, String disableReason) {
    if (delivered) {
      return tx.preparedQuery("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1"
          + " AND failing_since IS NOT NULL").execute(Tuple.of(endpointId)).map(false);
    }
    if (disableReason == null) {
      return tx.preparedQuery("UPDATE webhook_endpoints SET failing_since = now() WHERE id = $1"
          + " AND failing_since IS NULL").execute(Tuple.of(endpointId)).map(false);
    }
    String sql = "WITH d AS (UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2,"
        + " failing_since = coalesce(failing_since, now()), updated_at = now(), version = version + 1"
        + " WHERE id = $1 AND enabled RETURNING id, tenant_id, url, failing_since),"
        + " m AS (INSERT INTO outbox (channel, tenant_id, type, data) SELECT 'mail', d.tenant_id, 'webhook.disabled',"
        + " jsonb_build_object('endpointId', d.id, 'url', d.url, 'reason', $2::text, 'failingSince',"
        + " to_char(d.failing_since AT TIME ZONE 'UTC', " + ISO + ")) FROM d WHERE $3)"
        + " SELECT count(*) AS n FROM d";
    return tx.preparedQuery(sql).execute(Tuple.of(endpointId, disableReason, mailOn))
        .map(rs -> rs.iterator().next().getLong("n") > 0);
  }

  /** What an attempt leads to: the delivery's status, its next attempt, and a reason to disable the endpoint. */
  record Verdict(String status, Instant nextAttemptAt, String disableReason) {
  }

  /** Dead deliveries of enabled endpoints, all tenants (the dead-letter gauge). */
  Future<Long> deadLetters() {
    return pool.query("SELECT count(*) FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id"
        + " WHERE d.status = 'dead' AND e.enabled").execute().map(rs -> rs.iterator().next().getLong(0));
  }

  /** Deletes up to {@code batch} deliveries (with their attempts) that finished more than {@code keep} ago. */
  Future<Integer> purge(Duration keep, int batch) {
    return pool.preparedQuery("DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries"
            + " WHERE status <> 'pending' AND finished_at < now() - make_interval(secs => $1) LIMIT $2)")
        .execute(Tuple.of((double) keep.toSeconds(), batch)).map(rs -> rs.rowCount());
  }

  /** A page of an endpoint's deliveries, newest first, after delivery {@code before} (null: the newest). */
  Future<List<DeliveryView>> list(UUID endpointId, String status, UUID before, int limit) {
    String sql = "SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries WHERE endpoint_id = $1"
        + " AND ($2::text IS NULL OR status = $2) AND ($3::uuid IS NULL OR (created_at, id) <"
        + " (SELECT created_at, id FROM webhook_deliveries WHERE id = $3 AND endpoint_id = $1))"
        + " ORDER BY created_at DESC, id DESC LIMIT $4";
    return pool.preparedQuery(sql).execute(Tuple.of(endpointId, status, before, limit)).compose(rs -> {
      List<Row> rows = new ArrayList<>();
      rs.forEach(rows::add);
      UUID[] ids = rows.stream().map(r -> r.getUUID("id")).toArray(UUID[]::new);
      return attempts(ids).map(byDelivery -> rows.stream().map(r -> view(r, byDelivery)).toList());
    });
  }

  private Future<Map<UUID, List<AttemptView>>> attempts(UUID[] deliveryIds) {
    if (deliveryIds.length == 0) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery("SELECT delivery_id, attempted_at, status_code, latency_ms, response_excerpt, error"
            + " FROM webhook_attempts WHERE delivery_id = ANY($1) ORDER BY delivery_id, id")
        .execute(Tuple.of((Object) deliveryIds)).map(rs -> {
          Map<UUID, List<AttemptView>> out = new HashMap<>();
          for (Row r : rs) {
            out.computeIfAbsent(r.getUUID("delivery_id"), k -> new ArrayList<>()).add(new AttemptView(
                instant(r.getOffsetDateTime("attempted_at")), r.getInteger("status_code"), r.getInteger("latency_ms"),
                r.getString("response_excerpt"), r.getString("error")));
          }
          return out;
        });
  }

  private static DeliveryView view(Row r, Map<UUID, List<AttemptView>> attempts) {
    UUID id = r.getUUID("id");
    return new DeliveryView(id, r.getUUID("event_id"), WebhookPayload.messageId(r.getUUID("event_id")),
        r.getString("event_type"), r.getString("status"), r.getInteger("attempts"),
        instant(r.getOffsetDateTime("next_attempt_at")), r.getInteger("last_status"),
        instant(r.getOffsetDateTime("created_at")), instant(r.getOffsetDateTime("finished_at")),
        attempts.getOrDefault(id, List.of()));
  }

  /**
   * Puts a dead or pending delivery of the endpoint back in line for now. Its state before: null when
   * there is no such delivery, "succeeded" (nothing done), else the status it had.
   */
  Future<String> retry(UUID endpointId, UUID deliveryId) {
    String sql = "WITH old AS (SELECT id, status FROM webhook_deliveries WHERE id = $1 AND endpoint_id = $2"
        + " FOR UPDATE), upd AS (UPDATE webhook_deliveries d SET status = 'pending', next_attempt_at = now(),"
        + " leased_until = NULL, finished_at = NULL FROM old WHERE d.id = old.id AND old.status <> 'succeeded')"
        + " SELECT status FROM old";
    return pool.preparedQuery(sql).execute(Tuple.of(deliveryId, endpointId))
        .map(rs -> rs.size() == 0 ? null : rs.iterator().next().getString("status"));
  }

  /** Queues a {@code webhook.test} delivery to the endpoint alone. */
  Future<Void> insertTest(UUID deliveryId, UUID endpointId, UUID tenantId, UUID eventId, String body) {
    return pool.preparedQuery("INSERT INTO webhook_deliveries (id, endpoint_id, tenant_id, event_id, event_type, body,"
            + " status) VALUES ($1, $2, $3, $4, 'webhook.test', $5, 'pending')")
        .execute(Tuple.of(deliveryId, endpointId, tenantId, eventId, body)).mapEmpty();
  }
}
