package dev.virtualqueue.metrics;

import dev.virtualqueue.common.Json;
import dev.virtualqueue.common.OpeningHours;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The read-only SQL behind the business meters. Kept apart from the feature repositories on
 * purpose: these are aggregate reads for observability, never part of a request's work, and each
 * runs on an index (waiting and in-service tickets have partial indexes) or a small table.
 */
final class MetricsQueries {
  private static final String QUEUES = """
      SELECT q.id, t.slug AS tenant, q.slug, q.mode, q.status, q.capacity, q.opening_hours,
             array(SELECT c->>'name' FROM jsonb_array_elements(q.priority_classes) c) AS classes,
             coalesce((q.waiting_room->>'newUsersPerMinute')::int, 0) AS room_rate,
             coalesce((q.waiting_room->>'maxActiveUsers')::int, 0) AS room_cap,
             coalesce((q.waiting_room->>'queueAll')::boolean, false)
               OR coalesce(now() < (q.waiting_room->>'opensAt')::timestamptz, false) AS room_holding
      FROM queues q JOIN tenants t ON t.id = q.tenant_id""";

  private final Pool pool;

  MetricsQueries(Pool pool) {
    this.pool = pool;
  }

  /**
   * What the meters need to know about a queue: its label values and its current settings
   * ({@code hours} null when the queue has no opening hours, i.e. is always within them).
   */
  record QueueInfo(UUID id, String tenant, String slug, String mode, String status, Integer capacity,
                   List<String> classes, OpeningHours hours, Room room) {
    /** True while {@code at} is within the queue's opening hours (always, for a queue without any). */
    boolean withinHours(Instant at) {
      return hours == null || hours.isOpen(at);
    }
  }

  /**
   * The settings of a waiting room that its alerts compare with what it does: the admission rate
   * per minute and the cap of active sessions (0 for none), and whether it holds everyone now
   * (the emergency switch, or before {@code opensAt}, on Postgres's clock like the admitter).
   */
  record Room(int ratePerMinute, int maxActive, boolean holding) {
  }

  Future<List<QueueInfo>> queues() {
    return pool.query(QUEUES).execute().map(MetricsQueries::infos);
  }

  Future<QueueInfo> queue(UUID id) {
    return pool.preparedQuery(QUEUES + " WHERE q.id = $1").execute(Tuple.of(id))
        .map(rs -> rs.size() == 0 ? null : infos(rs).get(0));
  }

  /** Per queue and class rank: waiting tickets and the oldest one's queue time. */
  Future<RowSet<Row>> waiting() {
    return pool.query("SELECT queue_id, class_rank, count(*) AS n, min(queued_at) AS oldest FROM tickets"
        + " WHERE status = 'waiting' GROUP BY queue_id, class_rank").execute();
  }

  /** Per queue and status: tickets called to or being served at a counter. */
  Future<RowSet<Row>> inService() {
    return pool.query("SELECT queue_id, status, count(*) AS n FROM tickets"
        + " WHERE status IN ('called', 'serving') GROUP BY queue_id, status").execute();
  }

  Future<RowSet<Row>> openCounters() {
    return pool.query("SELECT queue_id, count(*) AS n FROM counters WHERE status = 'open' GROUP BY queue_id")
        .execute();
  }

  /**
   * Per waiting room: admitted sessions holding a slot now. Only open sessions are read (the
   * partial index {@code admission_sessions_open}), so the cost follows the rooms' caps, not their
   * history.
   */
  Future<RowSet<Row>> activeSessions() {
    return pool.query("SELECT queue_id, count(*) AS n FROM admission_sessions WHERE ended_at IS NULL"
        + " AND expires_at > now() GROUP BY queue_id").execute();
  }

  /** Per outbox channel (mail, webhook): rows waiting, and the oldest one's age in seconds (0 when none). */
  Future<RowSet<Row>> outboxBacklog() {
    return pool.query("SELECT c.channel, count(o.seq) AS n,"
        + " coalesce(extract(epoch FROM now() - min(o.occurred_at)), 0)::float8 AS age"
        + " FROM (VALUES ('mail'), ('webhook')) AS c(channel) LEFT JOIN outbox o ON o.channel = c.channel"
        + " GROUP BY c.channel").execute();
  }

  /** The median ETA a ticket was promised when it joined, or null if none was recorded. */
  Future<Integer> etaAtJoin(UUID ticketId) {
    return pool.preparedQuery("SELECT eta_p50_s FROM tickets WHERE id = $1").execute(Tuple.of(ticketId))
        .map(rs -> rs.size() == 0 ? null : rs.iterator().next().getInteger(0));
  }

  private static List<QueueInfo> infos(RowSet<Row> rs) {
    List<QueueInfo> out = new ArrayList<>(rs.size());
    rs.forEach(r -> out.add(new QueueInfo(r.getUUID("id"), r.getString("tenant"), r.getString("slug"),
        r.getString("mode"), r.getString("status"), r.getInteger("capacity"),
        List.of(r.getArrayOfStrings("classes")), hours((JsonObject) r.getValue("opening_hours")), room(r))));
    return out;
  }

  /** A waiting room's settings as the gauges need them, or null for a service queue. */
  private static Room room(Row r) {
    return !"waiting_room".equals(r.getString("mode")) ? null
        : new Room(r.getInteger("room_rate"), r.getInteger("room_cap"), r.getBoolean("room_holding"));
  }

  /** The stored opening hours (validated when they were saved), or null for none. */
  private static OpeningHours hours(JsonObject json) {
    if (json == null) {
      return null;
    }
    try {
      return Json.MAPPER.readValue(json.encode(), OpeningHours.class);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable opening_hours: " + e.getMessage(), e);
    }
  }
}
