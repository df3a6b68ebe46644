package dev.virtualqueue.queue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.virtualqueue.common.Json;
import dev.virtualqueue.common.OpeningHours;
import dev.virtualqueue.events.Outbox;
import dev.virtualqueue.limit.QueueJoinLimits;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** SQL for queues. Every statement is scoped by tenant. */
public final class QueueRepository {
  private static final String COLUMNS = """
      id, tenant_id, slug, name, mode, ticket_prefix, capacity, priority_classes, priority_policy,
      allow_duplicates, status, opening_hours, service_time_guess_s, svc_mean_s, svc_sq_s, svc_samples,
      rr_class, rr_count, version, created_at, updated_at, absent_policy, notify_ahead, notify_minutes, mail_texts,
      waiting_room, join_limit""";
  private static final TypeReference<List<PriorityClass>> CLASSES = new TypeReference<>() { };
  private static final TypeReference<Map<String, QueueMessages.Text>> TEXTS = new TypeReference<>() { };

  private final Pool pool;

  public QueueRepository(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  static Queue map(Row r) {
    try {
      List<PriorityClass> classes = Json.MAPPER.readValue(r.getJsonArray("priority_classes").encode(), CLASSES);
      JsonObject hours = (JsonObject) r.getValue("opening_hours");
      OpeningHours oh = hours == null ? null : Json.MAPPER.readValue(hours.encode(), OpeningHours.class);
      JsonObject absent = (JsonObject) r.getValue("absent_policy");
      AbsentPolicy ap = absent == null ? null : Json.MAPPER.readValue(absent.encode(), AbsentPolicy.class);
      JsonObject texts = (JsonObject) r.getValue("mail_texts");
      QueueMessages messages = new QueueMessages(r.getInteger("notify_ahead"), r.getInteger("notify_minutes"),
          texts == null ? null : Json.MAPPER.readValue(texts.encode(), TEXTS));
      JsonObject room = (JsonObject) r.getValue("waiting_room");
      WaitingRoom wr = room == null ? null : Json.MAPPER.readValue(room.encode(), WaitingRoom.class);
      JsonObject limit = (JsonObject) r.getValue("join_limit");
      JoinLimit jl = limit == null ? null : Json.MAPPER.readValue(limit.encode(), JoinLimit.class);
      return new Queue(r.getUUID("id"), r.getUUID("tenant_id"), r.getString("slug"), r.getString("name"),
          r.getString("mode"), r.getString("ticket_prefix"), r.getInteger("capacity"), classes,
          r.getString("priority_policy"), r.getBoolean("allow_duplicates"), r.getString("status"), oh,
          r.getInteger("service_time_guess_s"),
          new Queue.ServiceStats(r.getDouble("svc_mean_s"), r.getDouble("svc_sq_s"), r.getInteger("svc_samples")),
          r.getInteger("rr_class"), r.getInteger("rr_count"), r.getInteger("version"),
          r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("updated_at").toInstant(), ap,
          messages, wr, jl);
    } catch (IOException e) {
      throw new IllegalStateException("corrupt queue row " + r.getUUID("id"), e);
    }
  }

  public Future<Queue> insert(Queue q) {
    String sql = "INSERT INTO queues (id, tenant_id, slug, name, mode, ticket_prefix, capacity, priority_classes,"
        + " priority_policy, allow_duplicates, status, opening_hours, service_time_guess_s, absent_policy,"
        + " notify_ahead, notify_minutes, mail_texts, waiting_room, join_limit)"
        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING "
        + COLUMNS;
    return pool.preparedQuery(sql).execute(tuple(q, false)).map(QueueRepository::first);
  }

  /**
   * Writes the editable fields if the version still matches, with the change's outbox row
   * ({@code outboxType}, e.g. {@code queue.updated}) in the same statement.
   */
  public Future<Queue> update(Queue q, String outboxType) {
    String sql = "WITH x AS (UPDATE queues SET slug = $3, name = $4, mode = $5, ticket_prefix = $6, capacity = $7,"
        + " priority_classes = $8, priority_policy = $9, allow_duplicates = $10, status = $11, opening_hours = $12,"
        + " service_time_guess_s = $13, absent_policy = $14, notify_ahead = $15, notify_minutes = $16,"
        + " mail_texts = $17, waiting_room = $18, join_limit = $19, version = version + 1, updated_at = now(),"
        + " rr_class = CASE WHEN priority_classes = $8 THEN rr_class ELSE 0 END,"
        + " rr_count = CASE WHEN priority_classes = $8 THEN rr_count ELSE 0 END"
        + " WHERE id = $1 AND tenant_id = $2 AND version = $20 RETURNING *), "
        + Outbox.queueCte("o", "x", "id", Outbox.QUEUE_DATA, 21) + " SELECT " + COLUMNS + " FROM x";
    return pool.preparedQuery(sql).execute(tuple(q, true).addValue(outboxType)).map(QueueRepository::first);
  }

  private static Tuple tuple(Queue q, boolean withVersion) {
    Tuple t = Tuple.tuple(new ArrayList<>(List.of(q.id(), q.tenantId(), q.slug(), q.name(), q.mode(),
        q.ticketPrefix())));
    t.addValue(q.capacity()).addValue(new JsonArray(Json.write(q.priorityClasses())))
        .addValue(q.priorityPolicy()).addValue(q.allowDuplicates()).addValue(q.status())
        .addValue(q.openingHours() == null ? null : new JsonObject(Json.write(q.openingHours())))
        .addValue(q.serviceTimeGuessSeconds())
        .addValue(q.absentPolicy() == null ? null : new JsonObject(Json.write(q.absentPolicy())));
    QueueMessages m = q.messagesOrDefault();
    t.addValue(m.notifyAhead()).addValue(m.notifyMinutes())
        .addValue(m.mailTexts().isEmpty() ? null : new JsonObject(Json.write(m.mailTexts())))
        .addValue(q.waitingRoom() == null ? null : new JsonObject(Json.write(q.waitingRoom())))
        .addValue(q.joinLimit() == null ? null : new JsonObject(Json.write(q.joinLimit())));
    if (withVersion) {
      t.addValue(q.version());
    }
    return t;
  }

  public Future<Queue> find(UUID tenantId, UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM queues WHERE id = $1 AND tenant_id = $2")
        .execute(Tuple.of(id, tenantId)).map(QueueRepository::first);
  }

  /** By id alone, for internal use after the caller was authorised through another row. */
  public Future<Queue> findById(SqlClient client, UUID id) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM queues WHERE id = $1")
        .execute(Tuple.of(id)).map(QueueRepository::first);
  }

  /**
   * Locks the queue row: call-next and every line reorder of a queue run one at a time. NO KEY
   * UPDATE conflicts with itself but not with the KEY SHARE lock that a join's foreign-key check
   * takes on the same row, so joins do not queue behind calls (under bench-live's busy minute they
   * did, and held the whole Postgres pool).
   */
  public Future<Queue> lock(SqlClient tx, UUID id) {
    return tx.preparedQuery("SELECT " + COLUMNS + " FROM queues WHERE id = $1 FOR NO KEY UPDATE")
        .execute(Tuple.of(id)).map(QueueRepository::first);
  }

  /** A queue by the public pair (tenant slug, queue slug). */
  /** Every queue's own join limit (of every tenant), keyed {@code tenantSlug/queueSlug}. */
  Future<Map<String, QueueJoinLimits.Scoped>> joinLimits() {
    return pool.query("SELECT t.slug AS tenant_slug, q.slug, q.id, q.join_limit FROM queues q"
        + " JOIN tenants t ON t.id = q.tenant_id WHERE q.join_limit IS NOT NULL").execute().map(rows -> {
          Map<String, QueueJoinLimits.Scoped> out = new HashMap<>();
          for (Row r : rows) {
            JsonObject l = (JsonObject) r.getValue("join_limit");
            out.put(JoinLimitDirectory.key(r.getString("tenant_slug"), r.getString("slug")),
                JoinLimitDirectory.scoped(r.getUUID("id").toString(),
                    new JoinLimit(l.getInteger("burst"), l.getInteger("perMinute"))));
          }
          return out;
        });
  }

  public Future<Queue> findBySlugs(String tenantSlug, String queueSlug) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM queues WHERE slug = $2"
            + " AND tenant_id = (SELECT id FROM tenants WHERE slug = $1)")
        .execute(Tuple.of(tenantSlug, queueSlug)).map(QueueRepository::first);
  }

  public Future<List<Queue>> list(UUID tenantId, String afterSlug, int limit) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM queues WHERE tenant_id = $1 AND slug > $2"
            + " ORDER BY slug LIMIT $3").execute(Tuple.of(tenantId, afterSlug, limit))
        .map(rs -> {
          List<Queue> out = new ArrayList<>();
          rs.forEach(r -> out.add(map(r)));
          return out;
        });
  }

  /** Every queue id (for rebuilding the Redis mirror). */
  public Future<List<UUID>> allIds() {
    return pool.query("SELECT id FROM queues").execute().map(rs -> {
      List<UUID> out = new ArrayList<>();
      rs.forEach(r -> out.add(r.getUUID(0)));
      return out;
    });
  }

  /** Board access of a queue: whether boards are public and the display key's hash. */
  public record BoardAccess(boolean isPublic, byte[] keyHash) {
  }

  public Future<BoardAccess> boardAccess(UUID id) {
    return pool.preparedQuery("SELECT board_public, display_key_hash FROM queues WHERE id = $1")
        .execute(Tuple.of(id)).map(rs -> {
          if (rs.size() == 0) {
            return null;
          }
          Row r = rs.iterator().next();
          return new BoardAccess(r.getBoolean(0), r.getBuffer(1) == null ? null : r.getBuffer(1).getBytes());
        });
  }

  /** Sets (key hash, not public) or clears (null, public) the display key of a tenant's queue. */
  public Future<Boolean> setDisplayKey(UUID tenantId, UUID id, byte[] keyHash) {
    // $3 is typed: in "$3 IS NULL" alone Postgres cannot infer a parameter's type (42P08)
    return pool.preparedQuery("UPDATE queues SET display_key_hash = $3::bytea, board_public = ($3::bytea IS NULL)"
            + " WHERE id = $1 AND tenant_id = $2")
        .execute(Tuple.of(id, tenantId, keyHash == null ? null : Buffer.buffer(keyHash)))
        .map(rs -> rs.rowCount() == 1);
  }

  public Future<Void> saveCursor(SqlClient tx, UUID id, PriorityPicker.Cursor cursor) {
    return tx.preparedQuery("UPDATE queues SET rr_class = $2, rr_count = $3 WHERE id = $1")
        .execute(Tuple.of(id, cursor.cls(), cursor.count())).mapEmpty();
  }

  /** Folds one measured service time into the queue's EWMA (alpha 0.2). */
  public Future<Void> recordServiceTime(SqlClient tx, UUID id, double seconds) {
    String sql = """
        UPDATE queues SET
          svc_mean_s = CASE WHEN svc_samples = 0 THEN $2::float8 ELSE svc_mean_s * 0.8 + $2::float8 * 0.2 END,
          svc_sq_s = CASE WHEN svc_samples = 0 THEN $2::float8 * $2::float8
                          ELSE svc_sq_s * 0.8 + $2::float8 * $2::float8 * 0.2 END,
          svc_samples = svc_samples + 1
        WHERE id = $1""";
    return tx.preparedQuery(sql).execute(Tuple.of(id, seconds)).mapEmpty();
  }

  /** Waiting and in-service counts, today's served count and waits, for the queue snapshot. */
  public Future<Row> todayStats(UUID queueId, OffsetDateTime dayStart) {
    String sql = """
        SELECT count(*) FILTER (WHERE status IN ('called', 'serving')) AS in_service,
               count(*) FILTER (WHERE status = 'served' AND finished_at >= $2) AS served_today,
               count(*) FILTER (WHERE status = 'no_show' AND finished_at >= $2) AS no_show_today,
               avg(extract(epoch FROM called_at - queued_at)) FILTER (WHERE called_at >= $2) AS avg_wait,
               percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM called_at - queued_at))
                 FILTER (WHERE called_at >= $2) AS p90_wait
        FROM tickets WHERE queue_id = $1 AND (status IN ('called', 'serving') OR created_at >= $2 - interval '1 day')""";
    return pool.preparedQuery(sql).execute(Tuple.of(queueId, dayStart)).map(rs -> rs.iterator().next());
  }

  private static Queue first(RowSet<Row> rs) {
    return rs.size() == 0 ? null : map(rs.iterator().next());
  }
}
