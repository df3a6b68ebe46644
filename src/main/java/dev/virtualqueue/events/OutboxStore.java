package dev.virtualqueue.events;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The drain side of the {@link Outbox}: a channel claims due rows in order with
 * {@code FOR UPDATE SKIP LOCKED} and a lease, so several server processes (and restarts) share the
 * work without doing a row twice at once. A row is deleted once handled ({@link #done}); a failure
 * puts it back for later ({@link #retryLater}); a lease that runs out (a process killed mid-batch)
 * makes the row due again, so delivery is at least once.
 */
public final class OutboxStore {
  private final Pool pool;
  private final String owner;

  /** {@code owner}: who holds the leases (for logs and inspection), e.g. host and process id. */
  public OutboxStore(Pool pool, String owner) {
    this.pool = pool;
    this.owner = owner;
  }

  /** One claimed outbox row; {@code attempts} counts the earlier failed tries. */
  public record Claimed(long seq, UUID id, String channel, UUID tenantId, UUID queueId, UUID ticketId, String type,
                    JsonObject data, Instant occurredAt, int attempts) {
  }

  /** Claims up to {@code limit} due rows of {@code channel}, oldest first, for {@code lease}. */
  public Future<List<Claimed>> claim(String channel, int limit, Duration lease) {
    String sql = """
        UPDATE outbox o SET leased_until = now() + make_interval(secs => $3), lease_owner = $4
        FROM (SELECT seq FROM outbox
              WHERE channel = $1 AND available_at <= now() AND (leased_until IS NULL OR leased_until < now())
              ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED) due
        WHERE o.seq = due.seq
        RETURNING o.seq, o.id, o.channel, o.tenant_id, o.queue_id, o.ticket_id, o.type, o.data, o.occurred_at,
                  o.attempts""";
    return pool.preparedQuery(sql).execute(Tuple.of(channel, limit, (double) lease.toMillis() / 1000, owner))
        .map(rs -> {
          List<Claimed> out = new ArrayList<>(rs.size());
          rs.forEach(r -> out.add(map(r)));
          out.sort((a, b) -> Long.compare(a.seq(), b.seq()));
          return out;
        });
  }

  private static Claimed map(Row r) {
    return new Claimed(r.getLong("seq"), r.getUUID("id"), r.getString("channel"), r.getUUID("tenant_id"),
        r.getUUID("queue_id"), r.getUUID("ticket_id"), r.getString("type"), (JsonObject) r.getValue("data"),
        r.getOffsetDateTime("occurred_at").toInstant(), r.getInteger("attempts"));
  }

  /** The row is handled: deleted, on {@code client} (a transaction that records the outcome, or the pool). */
  public Future<Void> done(SqlClient client, long seq) {
    return client.preparedQuery("DELETE FROM outbox WHERE seq = $1").execute(Tuple.of(seq)).mapEmpty();
  }

  /** The row is handled, on the pool. */
  public Future<Void> done(long seq) {
    return done(pool, seq);
  }

  /** A try failed: one attempt more, due again after {@code delay}, lease released. */
  public Future<Void> retryLater(long seq, Duration delay, String error) {
    return pool.preparedQuery("UPDATE outbox SET attempts = attempts + 1, leased_until = NULL, lease_owner = NULL,"
            + " available_at = now() + make_interval(secs => $2), last_error = left($3, 500) WHERE seq = $1")
        .execute(Tuple.of(seq, (double) delay.toMillis() / 1000, error)).mapEmpty();
  }

  /** Not now, without counting a failure (e.g. a send budget is spent): due again at {@code until}. */
  public Future<Void> defer(long seq, Instant until) {
    return pool.preparedQuery("UPDATE outbox SET leased_until = NULL, lease_owner = NULL, available_at = $2"
            + " WHERE seq = $1").execute(Tuple.of(seq, until.atOffset(ZoneOffset.UTC))).mapEmpty();
  }
}
