package dev.virtualqueue.ticket;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * Idempotency keys of creating requests, stored as their SHA-256 only. The row is inserted first
 * in the creating transaction, so a concurrent duplicate waits on it and then sees the committed
 * result. The stored response holds nothing secret (the ticket id; its token is derived again
 * from the key the client presents).
 */
public final class IdempotencyStore {
  private final Pool pool;

  public IdempotencyStore(Pool pool) {
    this.pool = pool;
  }

  /** A stored key: the hash of the request it came with and the result (the ticket id). */
  public record Stored(byte[] requestHash, JsonObject response) {
  }

  public Future<Stored> find(SqlClient client, UUID tenantId, String scope, String key) {
    return client.preparedQuery("SELECT request_hash, response FROM idempotency_keys"
            + " WHERE tenant_id = $1 AND scope = $2 AND key_hash = $3").execute(Tuple.of(tenantId, scope, keyHash(key)))
        .map(rs -> rs.size() == 0 ? null : stored(rs.iterator().next()));
  }

  private static Stored stored(Row r) {
    return new Stored(r.getBuffer(0).getBytes(), (JsonObject) r.getValue(1));
  }

  /** Claims a key; false when it already exists (after any concurrent claimer committed). */
  public Future<Boolean> claim(SqlClient tx, UUID tenantId, String scope, String key, byte[] hash) {
    return tx.preparedQuery("INSERT INTO idempotency_keys (tenant_id, scope, key_hash, request_hash)"
            + " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(tenantId, scope, keyHash(key), Buffer.buffer(hash))).map(rs -> rs.rowCount() == 1);
  }

  public Future<Void> complete(SqlClient tx, UUID tenantId, String scope, String key, JsonObject response) {
    return tx.preparedQuery("UPDATE idempotency_keys SET response = $4"
            + " WHERE tenant_id = $1 AND scope = $2 AND key_hash = $3")
        .execute(Tuple.of(tenantId, scope, keyHash(key), response)).mapEmpty();
  }

  private static Buffer keyHash(String key) {
    return Buffer.buffer(TicketTokens.hash(key));
  }

  /** Deletes keys older than the retention; returns how many. */
  public Future<Integer> purge(int retentionHours) {
    return pool.preparedQuery("DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)")
        .execute(Tuple.of(retentionHours)).map(rs -> rs.rowCount());
  }
}
