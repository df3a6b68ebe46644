package dev.virtualqueue.ticket;

import dev.virtualqueue.events.DomainEvent;
import dev.virtualqueue.events.Outbox;
import dev.virtualqueue.events.WebhookInterest;
import dev.virtualqueue.line.LinePlace;
import dev.virtualqueue.line.WaitingTickets;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.templates.RowMapper;
import io.vertx.sqlclient.templates.SqlTemplate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** SQL for tickets and their event log. Every query is scoped by tenant or by an id already checked. */
public final class TicketRepository implements WaitingTickets {
  static final String COLUMNS = """
      t.id, t.tenant_id, t.queue_id, t.number, t.code, t.class_rank, t.class_name, t.status, t.name,
      t.email, t.phone, t.token_hash, t.counter_id, c.name AS counter_name, t.recall_count, t.created_at,
      t.queued_at, t.called_at, t.started_at, t.finished_at, t.version""";

  private static final String SELECT = "SELECT " + COLUMNS
      + " FROM tickets t LEFT JOIN counters c ON c.id = t.counter_id ";

  static final RowMapper<Ticket> MAPPER = TicketRepository::map;

  /**
   * A join: the ticket, its event and its outbox rows, one statement; indexed by {@link #variant}
   * (with or without each of the webhook and the mail CTE).
   */
  static final List<String> INSERT = List.of(insert(false, false), insert(false, true), insert(true, false),
      insert(true, true));
  /** A transition under the version read with the row lock, with its event and outbox rows; by {@link #variant}. */
  static final List<String> TRANSITION = List.of(transition(false, false), transition(false, true),
      transition(true, false), transition(true, true));

  static int variant(boolean withWebhook, boolean withMail) {
    return (withWebhook ? 2 : 0) + (withMail ? 1 : 0);
  }

  private static String insert(boolean withWebhook, boolean withMail) {
    return """
      WITH t AS (
        INSERT INTO tickets (id, tenant_id, queue_id, number, code, class_rank, class_name, status, name,
                             email, phone, dedupe_key, token_hash, notify_ahead, notify_minutes, almost_pending)
        VALUES ($1, $2, $3, $4, $5, $6, $7, 'waiting', $8, $9, $10, $11, $12, $15, $16, $17)
        RETURNING *),
      e AS (
        INSERT INTO ticket_events (tenant_id, ticket_id, queue_id, action, to_status, actor_kind, actor_id)
        SELECT tenant_id, id, queue_id, 'join', 'waiting', $13, $14 FROM t)""" + Outbox.ticketCte("o", "t", 18,
        withWebhook, withMail) + """

      SELECT t.*, NULL::text AS counter_name FROM t""";
  }

  private static String transition(boolean withWebhook, boolean withMail) {
    return """
      WITH t AS (
        UPDATE tickets SET status = $2, counter_id = $3, recall_count = $4,
               called_at = $5, started_at = $6, finished_at = $7, queue_id = $8, number = $9,
               code = $10, class_rank = $11, class_name = $12, queued_at = $13,
               dedupe_key = CASE WHEN $2 IN ('waiting', 'called', 'serving') THEN dedupe_key END,
               almost_pending = almost_pending AND $2 = 'waiting',
               version = version + 1
        WHERE id = $1 AND version = $14
        RETURNING *),
      e AS (
        INSERT INTO ticket_events (tenant_id, ticket_id, queue_id, action, from_status, to_status,
                                   actor_kind, actor_id, counter_id, detail)
        SELECT tenant_id, id, queue_id, $15, $16, status, $17, $18, $19, $20 FROM t)""" + Outbox.ticketCte("o", "t",
        21, withWebhook, withMail) + """

      SELECT t.*, c.name AS counter_name FROM t LEFT JOIN counters c ON c.id = t.counter_id""";
  }

  private final Pool pool;
  private final boolean mailOn;
  private final WebhookInterest webhooks;

  /**
   * {@code mailOn}: whether e-mail is configured (only then are mail outbox rows written);
   * {@code webhooks}: which tenants want which webhook events.
   */
  public TicketRepository(Pool pool, boolean mailOn, WebhookInterest webhooks) {
    this.pool = pool;
    this.mailOn = mailOn;
    this.webhooks = webhooks;
  }

  public Pool pool() {
    return pool;
  }

  static Ticket map(Row r) {
    return new Ticket(r.getUUID("id"), r.getUUID("tenant_id"), r.getUUID("queue_id"), r.getLong("number"),
        r.getString("code"), r.getInteger("class_rank"), r.getString("class_name"),
        TicketStatus.parse(r.getString("status")), r.getString("name"), r.getString("email"),
        r.getString("phone"), r.getBuffer("token_hash").getBytes(), r.getUUID("counter_id"),
        r.getString("counter_name"), r.getInteger("recall_count"), instant(r, "created_at"),
        instant(r, "queued_at"), instant(r, "called_at"), instant(r, "started_at"), instant(r, "finished_at"),
        r.getInteger("version"));
  }

  static Instant instant(Row r, String col) {
    OffsetDateTime t = r.getOffsetDateTime(col);
    return t == null ? null : t.toInstant();
  }

  /** A ticket by id alone (callers then check the token or the tenant). */
  public Future<Ticket> find(SqlClient client, UUID id) {
    return SqlTemplate.forQuery(client, SELECT + "WHERE t.id = #{id}").mapTo(MAPPER)
        .execute(Map.of("id", id)).map(TicketRepository::first);
  }

  /** A ticket of a tenant, row-locked for a state change. */
  public Future<Ticket> lock(SqlClient tx, UUID tenantId, UUID id) {
    return SqlTemplate.forQuery(tx, "SELECT " + COLUMNS + " FROM tickets t LEFT JOIN counters c ON c.id = t.counter_id"
            + " WHERE t.id = #{id} AND t.tenant_id = #{tenant} FOR UPDATE OF t")
        .mapTo(MAPPER).execute(Map.of("id", id, "tenant", tenantId)).map(TicketRepository::first);
  }

  /**
   * Inserts a waiting ticket, its "join" event and its outbox rows in one statement. {@code notify}
   * is when its holder wants "almost your turn" (either threshold null: the queue's default).
   */
  public Future<Ticket> insert(SqlClient client, Ticket t, String dedupeKey, Actor actor, NotifyChoice notify) {
    Tuple args = Tuple.tuple(List.of(t.id(), t.tenantId(), t.queueId(), t.number(), t.code(), t.classRank(),
        t.className()));
    args.addValue(t.name()).addValue(t.email()).addValue(t.phone())
        .addValue(dedupeKey).addValue(Buffer.buffer(t.tokenHash()))
        .addValue(actor.kind()).addValue(actor.id())
        .addValue(notify.ahead()).addValue(notify.minutes()).addValue(mailOn && t.email() != null);
    String type = Outbox.ticketType(DomainEvent.Kind.JOIN);
    boolean withMail = Outbox.mailPossible(mailOn, type, t.email() != null);
    boolean withWebhook = webhooks.wants(t.tenantId(), type);
    Outbox.ticketArgs(args, type, withWebhook, withMail, t.queueId());
    return client.preparedQuery(INSERT.get(variant(withWebhook, withMail))).execute(args)
        .map(rs -> map(rs.iterator().next()));
  }

  /** Who made a change, for the event log: kind ("public", "staff", "api_key", ...) and id. */
  public record Actor(String kind, UUID id) {
  }

  /** A holder's "almost your turn" thresholds; null means the queue's default. */
  public record NotifyChoice(Integer ahead, Integer minutes) {
    public static final NotifyChoice DEFAULT = new NotifyChoice(null, null);
  }

  /**
   * Applies a state change guarded by the version read under lock, and logs the event and its
   * outbox rows in the same statement. "Almost your turn" stops being owed once the ticket leaves
   * the line.
   */
  public Future<Ticket> transition(SqlClient tx, Ticket before, TicketChange change) {
    Ticket a = change.after();
    Tuple args = Tuple.tuple(new ArrayList<>(List.of(a.id(), a.status().wire())));
    args.addValue(a.counterId()).addValue(a.recallCount()).addValue(odt(a.calledAt())).addValue(odt(a.startedAt()))
        .addValue(odt(a.finishedAt())).addValue(a.queueId()).addValue(a.number()).addValue(a.code())
        .addValue(a.classRank()).addValue(a.className()).addValue(odt(a.queuedAt())).addValue(before.version())
        .addValue(change.action().wire()).addValue(before.status().wire()).addValue(change.actorKind())
        .addValue(change.actorId()).addValue(change.counterId()).addValue(change.detail());
    String type = Outbox.ticketType(change.action().eventKind());
    boolean withMail = Outbox.mailPossible(mailOn, type, a.email() != null);
    boolean withWebhook = webhooks.wants(a.tenantId(), type);
    Outbox.ticketArgs(args, type, withWebhook, withMail, before.queueId());
    return tx.preparedQuery(TRANSITION.get(variant(withWebhook, withMail))).execute(args)
        .map(TicketRepository::firstMapped);
  }

  static OffsetDateTime odt(Instant i) {
    return i == null ? null : i.atOffset(ZoneOffset.UTC);
  }

  /** The ticket a counter currently holds (called or serving), if any. */
  public Future<UUID> activeAtCounter(SqlClient tx, UUID counterId) {
    return tx.preparedQuery("SELECT id FROM tickets WHERE counter_id = $1 AND status IN ('called', 'serving') LIMIT 1")
        .execute(Tuple.of(counterId)).map(rs -> rs.size() == 0 ? null : rs.iterator().next().getUUID(0));
  }

  /** The oldest waiting ticket of each class (null where a class is empty), under the queue lock. */
  public Future<UUID[]> heads(SqlClient tx, UUID queueId, int classes) {
    String sql = """
        SELECT r, (SELECT id FROM tickets WHERE queue_id = $1 AND status = 'waiting' AND class_rank = r
                   ORDER BY number LIMIT 1) AS head
        FROM generate_series(0, $2 - 1) AS r""";
    return tx.preparedQuery(sql).execute(Tuple.of(queueId, classes)).map(rs -> {
      UUID[] heads = new UUID[classes];
      rs.forEach(row -> heads[row.getInteger("r")] = row.getUUID("head"));
      return heads;
    });
  }

  /** The first {@code perClass} waiting tickets of each class, by class then number. */
  public Future<List<List<UUID>>> firstWaiting(SqlClient tx, UUID queueId, int classes, int perClass) {
    String sql = """
        SELECT r, t.id FROM generate_series(0, $2 - 1) AS r
        CROSS JOIN LATERAL (SELECT id, number FROM tickets WHERE queue_id = $1 AND status = 'waiting'
                            AND class_rank = r ORDER BY number LIMIT $3) t
        ORDER BY r, t.number""";
    return tx.preparedQuery(sql).execute(Tuple.of(queueId, classes, perClass)).map(rs -> {
      List<List<UUID>> out = new ArrayList<>();
      for (int i = 0; i < classes; i++) {
        out.add(new ArrayList<>());
      }
      rs.forEach(row -> out.get(row.getInteger(0)).add(row.getUUID(1)));
      return out;
    });
  }

  /** Called tickets of queues with a grace absent policy whose grace has run out: (id, tenant). */
  public Future<List<UUID[]>> calledPastGrace() {
    return pool.query("""
            SELECT t.id, t.tenant_id FROM tickets t JOIN queues q ON q.id = t.queue_id
            WHERE t.status = 'called' AND q.absent_policy ->> 'mode' = 'grace'
              AND t.called_at < now() - make_interval(secs => (q.absent_policy ->> 'graceSeconds')::int)
            LIMIT 500""").execute()
        .map(rs -> list(rs, r -> new UUID[] {r.getUUID(0), r.getUUID(1)}));
  }

  /** Waiting tickets of a queue in line order after a cursor (class, number). */
  public Future<List<Ticket>> waiting(UUID tenantId, UUID queueId, int afterClass, long afterNumber, int limit) {
    return pool.preparedQuery(SELECT + """
            WHERE t.tenant_id = $1 AND t.queue_id = $2 AND t.status = 'waiting'
              AND (t.class_rank, t.number) > ($3, $4)
            ORDER BY t.class_rank, t.number LIMIT $5""")
        .execute(Tuple.of(tenantId, queueId, afterClass, afterNumber, limit))
        .map(rs -> list(rs, TicketRepository::map));
  }

  /** Position from Postgres alone, for when the Redis mirror cannot answer. */
  public Future<long[]> waitingPerClass(SqlClient client, UUID queueId, int classes) {
    return client.preparedQuery("SELECT class_rank, count(*) FROM tickets WHERE queue_id = $1 AND status = 'waiting'"
            + " GROUP BY class_rank").execute(Tuple.of(queueId)).map(rs -> {
              long[] w = new long[classes];
              rs.forEach(row -> {
                int rank = row.getInteger(0);
                if (rank < classes) {
                  w[rank] = row.getLong(1);
                }
              });
              return w;
            });
  }

  /** How many wait ahead of a ticket in its own class. */
  public Future<Long> aheadInClass(SqlClient client, Ticket t) {
    return client.preparedQuery("SELECT count(*) FROM tickets WHERE queue_id = $1 AND status = 'waiting'"
            + " AND class_rank = $2 AND number < $3").execute(Tuple.of(t.queueId(), t.classRank(), t.number()))
        .map(rs -> rs.iterator().next().getLong(0));
  }

  /** Every waiting ticket (id, queue, class, number): the source for rebuilding the Redis mirror. */
  @Override
  public Future<List<LinePlace>> allWaiting() {
    return pool.query("SELECT id, queue_id, class_rank, number FROM tickets WHERE status = 'waiting'").execute()
        .map(rs -> list(rs, r -> new LinePlace(r.getUUID(1), r.getInteger(2), r.getUUID(0), r.getLong(3))));
  }

  /** Per queue: highest ticket number and the interleave cursor (to seed the mirror). */
  @Override
  public Future<List<QueueSeed>> queueSeeds() {
    return pool.query("SELECT q.id, coalesce((SELECT max(number) FROM tickets t WHERE t.queue_id = q.id), 0),"
        + " q.rr_class, q.rr_count FROM queues q").execute()
        .map(rs -> list(rs, r -> new QueueSeed(r.getUUID(0), r.getLong(1), r.getInteger(2), r.getInteger(3))));
  }

  /** Of the given ids, those still waiting. */
  @Override
  public Future<List<UUID>> stillWaiting(List<UUID> ids, UUID queueId, int classRank) {
    return pool.preparedQuery("SELECT id FROM tickets WHERE id = ANY($1) AND status = 'waiting'"
            + " AND queue_id = $2 AND class_rank = $3")
        .execute(Tuple.of(ids.toArray(new UUID[0]), queueId, classRank)).map(rs -> list(rs, r -> r.getUUID(0)));
  }

  /** The active ticket of a tenant with this dedupe key in a queue, for a duplicate join. */
  public Future<Ticket> activeByEmail(UUID queueId, String email) {
    return SqlTemplate.forQuery(pool, SELECT + """
            WHERE t.queue_id = #{queue} AND t.dedupe_key = #{key}
              AND t.status IN ('waiting', 'called', 'serving')""")
        .mapTo(MAPPER).execute(Map.of("queue", queueId, "key", email.toLowerCase(Locale.ROOT)))
        .map(TicketRepository::first);
  }

  /** A ticket at a counter now (for display boards). */
  public record ServingRow(UUID ticketId, String code, String status, UUID counterId, String counterName,
                           long calledAtMillis) {
  }

  /** A recent call (for display boards). */
  public record CallRow(String code, UUID counterId, String counterName, boolean recall, long atMillis) {
  }

  public Future<List<ServingRow>> nowServing(UUID queueId) {
    return pool.preparedQuery("""
            SELECT t.id, t.code, t.status, c.id AS counter_id, c.name AS counter_name, t.called_at
            FROM tickets t JOIN counters c ON c.id = t.counter_id
            WHERE t.queue_id = $1 AND t.status IN ('called', 'serving') ORDER BY t.called_at""")
        .execute(Tuple.of(queueId)).map(rs -> list(rs, r -> new ServingRow(r.getUUID("id"), r.getString("code"),
            r.getString("status"), r.getUUID("counter_id"), r.getString("counter_name"),
            r.getOffsetDateTime("called_at").toInstant().toEpochMilli())));
  }

  public Future<List<CallRow>> recentCalls(UUID queueId, int limit) {
    return pool.preparedQuery("""
            SELECT t.code, e.action, c.id AS counter_id, c.name AS counter_name, e.at
            FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id LEFT JOIN counters c ON c.id = e.counter_id
            WHERE e.queue_id = $1 AND e.action IN ('call', 'recall') ORDER BY e.id DESC LIMIT $2""")
        .execute(Tuple.of(queueId, limit)).map(rs -> list(rs, r -> new CallRow(r.getString("code"),
            r.getUUID("counter_id"), r.getString("counter_name"), "recall".equals(r.getString("action")),
            r.getOffsetDateTime("at").toInstant().toEpochMilli())));
  }

  static <T> List<T> list(RowSet<Row> rs, Function<Row, T> f) {
    List<T> out = new ArrayList<>(rs.size());
    rs.forEach(r -> out.add(f.apply(r)));
    return out;
  }

  private static Ticket first(RowSet<Ticket> rs) {
    return rs.size() == 0 ? null : rs.iterator().next();
  }

  private static Ticket firstMapped(RowSet<Row> rs) {
    return rs.size() == 0 ? null : map(rs.iterator().next());
  }
}
