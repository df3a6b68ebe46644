package dev.virtualqueue.notify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * SQL of the mail side: what a message is about (ticket, queue, tenant), once-only state per
 * ticket and kind ({@code ticket_mails}), the send budget, and the columns V5 gave notifications
 * ({@code tickets.notify_stopped}, {@code tickets.almost_pending}). It writes no other ticket data.
 */
final class MailStore {
  /** A ticket's "almost your turn" thresholds: its own when it chose either, else its queue's. */
  private static final String THRESHOLDS = "CASE WHEN t.notify_ahead IS NULL AND t.notify_minutes IS NULL"
      + " THEN q.notify_ahead ELSE t.notify_ahead END AS ahead,"
      + " CASE WHEN t.notify_ahead IS NULL AND t.notify_minutes IS NULL"
      + " THEN q.notify_minutes ELSE t.notify_minutes END AS minutes";
  private final Pool pool;

  MailStore(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  /** A ticket as a message needs it; {@code texts} is the queue's {@code mail_texts} (or null). */
  record Target(UUID ticketId, UUID tenantId, UUID queueId, String code, String name, String email, String status,
                boolean stopped, boolean almostPending, String tenantSlug, String queueSlug, String queueName,
                JsonObject texts, Integer notifyAhead, Integer notifyMinutes) {
    MailTicket ticket() {
      return new MailTicket(ticketId, code, name, tenantSlug, queueSlug, queueName);
    }
  }

  Future<Target> target(UUID ticketId) {
    return pool.preparedQuery("SELECT t.id, t.tenant_id, t.queue_id, t.code, t.name, t.email, t.status,"
            + " t.notify_stopped, t.almost_pending, tn.slug AS tenant_slug, q.slug AS queue_slug, q.name AS queue_name,"
            + " q.mail_texts, " + THRESHOLDS + " FROM tickets t JOIN queues q ON q.id = t.queue_id JOIN tenants tn ON tn.id = t.tenant_id"
            + " WHERE t.id = $1").execute(Tuple.of(ticketId))
        .map(rs -> {
          if (rs.size() == 0) {
            return null;
          }
          Row r = rs.iterator().next();
          return new Target(r.getUUID("id"), r.getUUID("tenant_id"), r.getUUID("queue_id"), r.getString("code"),
              r.getString("name"), r.getString("email"), r.getString("status"), r.getBoolean("notify_stopped"),
              r.getBoolean("almost_pending"), r.getString("tenant_slug"), r.getString("queue_slug"),
              r.getString("queue_name"), (JsonObject) r.getValue("mail_texts"), r.getInteger("ahead"),
              r.getInteger("minutes"));
        });
  }

  /**
   * Takes the message {@code (ticket, kind)} before sending it: a new row in state 'sending', or one
   * more attempt on a row still 'sending' (an earlier try failed, or the process died between the
   * server's accept and {@link #finish}). Null when it was sent, skipped or failed before: nothing to do.
   */
  Future<Integer> begin(UUID ticketId, String kind, UUID tenantId) {
    return pool.preparedQuery("INSERT INTO ticket_mails (ticket_id, kind, tenant_id, state, attempts)"
            + " VALUES ($1, $2, $3, 'sending', 1) ON CONFLICT (ticket_id, kind) DO UPDATE"
            + " SET attempts = ticket_mails.attempts + 1 WHERE ticket_mails.state = 'sending' RETURNING attempts")
        .execute(Tuple.of(ticketId, kind, tenantId))
        .map(rs -> rs.size() == 0 ? null : rs.iterator().next().getInteger(0));
  }

  /** Records the end of {@code (ticket, kind)}: 'sent' (with the time, for the budget), 'skipped' or 'failed'. */
  Future<Void> finish(SqlClient client, UUID ticketId, String kind, UUID tenantId, String state) {
    return client.preparedQuery("INSERT INTO ticket_mails (ticket_id, kind, tenant_id, state, sent_at)"
            + " VALUES ($1, $2, $3, $4, CASE WHEN $4 = 'sent' THEN now() END) ON CONFLICT (ticket_id, kind) DO UPDATE"
            + " SET state = EXCLUDED.state, sent_at = EXCLUDED.sent_at WHERE ticket_mails.state = 'sending'")
        .execute(Tuple.of(ticketId, kind, tenantId, state)).mapEmpty();
  }

  /** Sends of the tenant in the last hour, and when the oldest of them leaves that hour. */
  record Budget(long sent, Instant oldest) {
  }

  Future<Budget> budget(UUID tenantId) {
    return pool.preparedQuery("SELECT count(*), min(sent_at) FROM ticket_mails WHERE tenant_id = $1"
            + " AND state = 'sent' AND sent_at > now() - interval '1 hour'").execute(Tuple.of(tenantId))
        .map(rs -> {
          Row r = rs.iterator().next();
          return new Budget(r.getLong(0), r.getOffsetDateTime(1) == null ? null : r.getOffsetDateTime(1).toInstant());
        });
  }

  /**
   * The joined message covers "almost your turn" when that is already due at join: it stops being
   * owed and is recorded as 'skipped', so the person does not get two messages at once. False when
   * it was no longer owed (another process queued it meanwhile).
   */
  Future<Boolean> coverAlmost(UUID ticketId) {
    return pool.preparedQuery("WITH f AS (UPDATE tickets SET almost_pending = false WHERE id = $1 AND almost_pending"
            + " RETURNING id, tenant_id) INSERT INTO ticket_mails (ticket_id, kind, tenant_id, state)"
            + " SELECT id, 'almost_turn', tenant_id, 'skipped' FROM f ON CONFLICT DO NOTHING RETURNING ticket_id")
        .execute(Tuple.of(ticketId)).map(rs -> rs.size() > 0);
  }

  /** A waiting ticket still owed "almost your turn", with its thresholds and the largest of later ones. */
  record Candidate(UUID ticketId, int classRank, Integer ahead, Integer minutes, Integer laterAhead,
                   Integer laterMinutes) {
  }

  /**
   * The first {@code limit} tickets of a queue still owed "almost your turn", in line order per
   * class (index tickets_almost_pending). Thresholds are the ticket's own when it chose either, else
   * the queue's; {@code later*} is the largest threshold of this and every later candidate of its class.
   */
  Future<List<Candidate>> candidates(UUID queueId, int limit) {
    String sql = """
        SELECT id, class_rank, ahead, minutes, max(ahead) OVER w AS later_ahead, max(minutes) OVER w AS later_minutes
        FROM (SELECT t.id, t.class_rank, t.number, %s
              FROM tickets t JOIN queues q ON q.id = t.queue_id
              WHERE t.queue_id = $1 AND t.status = 'waiting' AND t.almost_pending
              ORDER BY t.class_rank, t.number LIMIT $2) c
        WINDOW w AS (PARTITION BY class_rank ORDER BY number DESC)
        ORDER BY class_rank, number""".formatted(THRESHOLDS);
    return pool.preparedQuery(sql).execute(Tuple.of(queueId, limit)).map(rs -> {
      List<Candidate> out = new ArrayList<>();
      rs.forEach(r -> out.add(new Candidate(r.getUUID("id"), r.getInteger("class_rank"), r.getInteger("ahead"),
          r.getInteger("minutes"), r.getInteger("later_ahead"), r.getInteger("later_minutes"))));
      return out;
    });
  }

  /**
   * "Almost your turn" is due: it stops being owed and its message is queued as an outbox row
   * ({@code ticket.almost_turn}, drained like the others), in one statement, so it is queued once
   * even when several processes evaluate the same line.
   */
  Future<Boolean> queueAlmost(UUID ticketId, long ahead, Integer etaMinutes) {
    return pool.preparedQuery("WITH f AS (UPDATE tickets SET almost_pending = false WHERE id = $1 AND almost_pending"
            + " AND status = 'waiting' RETURNING id, tenant_id, queue_id)"
            + " INSERT INTO outbox (channel, tenant_id, queue_id, ticket_id, type, data)"
            + " SELECT 'mail', tenant_id, queue_id, id, '" + MailRows.ALMOST_TYPE + "',"
            + " jsonb_build_object('ahead', $2::bigint, 'etaMinutes', $3::int) FROM f RETURNING seq")
        .execute(Tuple.of(ticketId, ahead, etaMinutes)).map(rs -> rs.size() > 0);
  }

  /** Queues where somebody waiting is still owed "almost your turn" (for the periodic sweep). */
  Future<List<UUID>> queuesOwingAlmost() {
    return pool.query("SELECT DISTINCT queue_id FROM tickets WHERE status = 'waiting' AND almost_pending").execute()
        .map(rs -> {
          List<UUID> out = new ArrayList<>();
          rs.forEach(r -> out.add(r.getUUID(0)));
          return out;
        });
  }

  /** Stops every message for a ticket; false when there is no such ticket. */
  Future<Boolean> stop(UUID ticketId) {
    return pool.preparedQuery("UPDATE tickets SET notify_stopped = true, almost_pending = false WHERE id = $1"
            + " RETURNING id").execute(Tuple.of(ticketId)).map(rs -> rs.size() > 0);
  }

  /** A tenant's name and the addresses of its owners (not disabled). */
  record Owners(String tenantName, List<String> emails) {
  }

  Future<Owners> owners(UUID tenantId) {
    return pool.preparedQuery("SELECT tn.name, s.email FROM tenants tn LEFT JOIN staff_users s ON s.tenant_id = tn.id"
            + " AND s.role = 'owner' AND NOT s.disabled WHERE tn.id = $1 ORDER BY s.email").execute(Tuple.of(tenantId))
        .map(rs -> {
          String name = null;
          List<String> emails = new ArrayList<>();
          for (Row r : rs) {
            name = r.getString(0);
            if (r.getString(1) != null) {
              emails.add(r.getString(1));
            }
          }
          return name == null ? null : new Owners(name, emails);
        });
  }
}
