package dev.virtualqueue.admission;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * SQL of the admission engine: the per-room lease and schedule ({@code waiting_room_state}) and
 * the admitted sessions ({@code admission_sessions}). Times are Postgres's, so the processes'
 * clocks do not matter.
 */
final class AdmissionStore {
  /**
   * Takes or keeps the lease of every waiting room that is free or already ours. Keeping it keeps
   * the fence; taking it (from nobody, from a lapsed owner, or back after our own lapse) raises the
   * fence, so anything a former holder still tries under its old fence is refused. Rows are taken
   * in queue-id order, so two processes running this at once lock them in the same order and
   * cannot deadlock.
   */
  private static final String LEASE = """
      INSERT INTO waiting_room_state AS s (queue_id, tenant_id, owner, fence, lease_until)
      SELECT q.id, q.tenant_id, $1, 1, now() + make_interval(secs => $2) FROM queues q WHERE q.mode = 'waiting_room'
      ORDER BY q.id
      ON CONFLICT (queue_id) DO UPDATE SET owner = $1,
        fence = CASE WHEN s.owner = $1 AND s.lease_until > now() THEN s.fence ELSE s.fence + 1 END,
        lease_changes = s.lease_changes + CASE WHEN s.owner = $1 AND s.lease_until > now() THEN 0 ELSE 1 END,
        lease_until = now() + make_interval(secs => $2)
      WHERE s.owner = $1 OR s.lease_until <= now()
      RETURNING s.queue_id, s.fence, s.lease_changes""";

  private final Pool pool;

  AdmissionStore(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  /** A room this process holds: the queue and the fence it holds it under. */
  record Held(UUID queueId, long fence, long changes) {
  }

  /** Takes or renews the leases of {@code owner} for {@code seconds}; the rooms it holds now. */
  Future<List<Held>> lease(String owner, double seconds) {
    return pool.preparedQuery(LEASE).execute(Tuple.of(owner, seconds)).map(rs -> {
      List<Held> out = new ArrayList<>();
      rs.forEach(r -> out.add(new Held(r.getUUID("queue_id"), r.getLong("fence"), r.getLong("lease_changes"))));
      return out;
    });
  }

  /** Lets go of every lease of {@code owner} (a clean stop hands over at once). */
  Future<Void> release(String owner) {
    return pool.preparedQuery("UPDATE waiting_room_state SET lease_until = now() WHERE owner = $1")
        .execute(Tuple.of(owner)).mapEmpty();
  }

  /** The schedule of a room, locked, read under the fence: null when the lease is no longer ours. */
  record Slot(long nextMicros, long nowMicros) {
  }

  Future<Slot> lockSchedule(SqlClient tx, UUID queueId, String owner, long fence) {
    return tx.preparedQuery("SELECT next_admit_at, now() AS now FROM waiting_room_state WHERE queue_id = $1"
            + " AND owner = $2 AND fence = $3 AND lease_until > now() FOR UPDATE")
        .execute(Tuple.of(queueId, owner, fence)).map(rs -> {
          if (rs.size() == 0) {
            return null;
          }
          Row r = rs.iterator().next();
          return new Slot(micros(r.getOffsetDateTime("next_admit_at")), micros(r.getOffsetDateTime("now")));
        });
  }

  Future<Void> saveSchedule(SqlClient tx, UUID queueId, long nextMicros) {
    return tx.preparedQuery("UPDATE waiting_room_state SET next_admit_at = $2 WHERE queue_id = $1")
        .execute(Tuple.of(queueId, odt(nextMicros))).mapEmpty();
  }

  /**
   * Ends the sessions of a room that ran out: "unused" when the site never verified the token,
   * else "expired". Returns how many ended.
   */
  Future<Integer> endExpired(SqlClient tx, UUID queueId) {
    return tx.preparedQuery("UPDATE admission_sessions SET ended_at = now(), end_reason = CASE WHEN verified_at IS NULL"
            + " THEN 'unused' ELSE 'expired' END WHERE queue_id = $1 AND ended_at IS NULL AND expires_at <= now()")
        .execute(Tuple.of(queueId)).map(rs -> rs.rowCount());
  }

  /** Sessions of a room that hold a slot now (exact under the queue lock the admitter holds). */
  Future<Long> active(SqlClient tx, UUID queueId) {
    return tx.preparedQuery("SELECT count(*) FROM admission_sessions WHERE queue_id = $1 AND ended_at IS NULL"
            + " AND expires_at > now()")
        .execute(Tuple.of(queueId)).map(rs -> rs.iterator().next().getLong(0));
  }

  /**
   * Opens a session for each admitted ticket: {@code seconds} long, at most {@code maxSeconds} in all.
   * {@code admitted_at} is this statement's time, not the transaction's start: the transaction
   * waited for its locks and counted the active sessions since it began, and a session that ended
   * meanwhile (a leave commits without the queue lock) must not seem to overlap this one. So the
   * recorded intervals prove the cap on their own (AdmissionTimesIT, scripts/check-admission-cap.sh).
   */
  Future<Void> open(SqlClient tx, UUID tenantId, UUID queueId, List<UUID> tickets, long fence, int seconds,
                    int maxSeconds) {
    if (tickets.isEmpty()) {
      return Future.succeededFuture();
    }
    List<UUID> jtis = tickets.stream().map(t -> UUID.randomUUID()).toList();
    return tx.preparedQuery("INSERT INTO admission_sessions (ticket_id, tenant_id, queue_id, jti, fence, admitted_at,"
            + " issued_at, expires_at, max_expires_at) SELECT t, $1, $2, j, $3, statement_timestamp(), now(),"
            + " now() + make_interval(secs => $4),"
            + " now() + make_interval(secs => $5) FROM unnest($6::uuid[], $7::uuid[]) AS x(t, j)")
        .execute(Tuple.of(tenantId, queueId, fence, (double) seconds, (double) maxSeconds,
            tickets.toArray(new UUID[0]), jtis.toArray(new UUID[0])))
        .mapEmpty();
  }

  /** Ends the active session of {@code ticketId} for {@code reason}; the queue it was in, or null. */
  Future<UUID> end(SqlClient client, UUID ticketId, String reason) {
    return client.preparedQuery("UPDATE admission_sessions SET ended_at = now(), end_reason = $2 WHERE ticket_id = $1"
            + " AND ended_at IS NULL AND expires_at > now() RETURNING queue_id")
        .execute(Tuple.of(ticketId, reason)).map(rs -> rs.size() == 0 ? null : rs.iterator().next().getUUID(0));
  }

  /** The session of an admitted ticket, or null. */
  Future<AdmissionSession> session(SqlClient client, UUID ticketId) {
    return client.preparedQuery("SELECT " + AdmissionSession.COLUMNS + " FROM admission_sessions WHERE ticket_id = $1")
        .execute(Tuple.of(ticketId)).map(rs -> rs.size() == 0 ? null : AdmissionSession.map(rs.iterator().next()));
  }

  /** Counts per room for the gauges: active sessions and people waiting. */
  record RoomCounts(UUID queueId, long active, long waiting) {
  }

  Future<List<RoomCounts>> counts() {
    return pool.query("SELECT q.id, (SELECT count(*) FROM admission_sessions s WHERE s.queue_id = q.id"
            + " AND s.ended_at IS NULL AND s.expires_at > now()) AS active, (SELECT count(*) FROM tickets t"
            + " WHERE t.queue_id = q.id AND t.status = 'waiting') AS waiting FROM queues q WHERE q.mode = 'waiting_room'")
        .execute().map(rs -> {
          List<RoomCounts> out = new ArrayList<>();
          rs.forEach(r -> out.add(new RoomCounts(r.getUUID("id"), r.getLong("active"), r.getLong("waiting"))));
          return out;
        });
  }

  static long micros(OffsetDateTime t) {
    Instant i = t.toInstant();
    return ChronoUnit.MICROS.between(Instant.EPOCH, i);
  }

  static OffsetDateTime odt(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }
}
