package dev.virtualqueue.admission;

import dev.virtualqueue.line.LinePlace;
import dev.virtualqueue.queue.Queue;
import dev.virtualqueue.queue.WaitingRoom;
import dev.virtualqueue.ticket.AdmitService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pre-queue lottery of waiting rooms ({@code waiting_room_draws}). A room that has a pre-queue
 * gets a seed the first time anyone looks (the public draw route, or the admitter): 32 bytes,
 * HMAC-SHA256 under a key derived from the server key of a random nonce, so the row alone (a
 * backup, a read-only login) does not reveal the seed before the draw. Its SHA-256 is public from
 * then on; at {@code opensAt} the admitter draws: the pre-queue (everyone who entered the line
 * before {@code opensAt}) is put in {@link Lottery} order and the seed is revealed.
 */
final class Draws {
  private final byte[] key;
  private final SecureRandom random = new SecureRandom();
  private final AdmitService admits;

  Draws(byte[] key, AdmitService admits) {
    this.key = key.clone();
    this.admits = admits;
  }

  /** A draw as the public sees it: the seed and the order only once drawn. */
  record Draw(String commitment, Instant opensAt, Instant drawnAt, String seed, List<UUID> order) {
  }

  /** The room's draw, made (seed chosen, commitment fixed) if it has none yet; null without a pre-queue. */
  Future<Draw> ensure(SqlClient client, Queue q) {
    WaitingRoom room = q.waitingRoom();
    if (room == null || !room.hasPrequeue()) {
      return Future.succeededFuture(null);
    }
    byte[] nonce = new byte[32];
    random.nextBytes(nonce);
    String sql = "INSERT INTO waiting_room_draws AS d (queue_id, tenant_id, seed_sealed, commitment, opens_at)"
        + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (queue_id) DO UPDATE SET opens_at = EXCLUDED.opens_at"
        + " WHERE d.drawn_at IS NULL AND d.opens_at <> EXCLUDED.opens_at";
    return client.preparedQuery(sql).execute(Tuple.of(q.id(), q.tenantId(), Buffer.buffer(nonce),
            Lottery.commitment(seed(nonce)), room.opensAt().atOffset(ZoneOffset.UTC)))
        .compose(v -> find(client, q.id(), false));
  }

  private Future<Draw> find(SqlClient client, UUID queueId, boolean lock) {
    return client.preparedQuery("SELECT commitment, opens_at, drawn_at, seed, ticket_ids FROM waiting_room_draws"
            + " WHERE queue_id = $1" + (lock ? " FOR UPDATE" : "")).execute(Tuple.of(queueId))
        .map(rs -> rs.size() == 0 ? null : map(rs.iterator().next()));
  }

  private static Draw map(Row r) {
    OffsetDateTime drawn = r.getOffsetDateTime("drawn_at");
    UUID[] ids = r.getArrayOfUUIDs("ticket_ids");
    return new Draw(r.getString("commitment"), r.getOffsetDateTime("opens_at").toInstant(),
        drawn == null ? null : drawn.toInstant(), r.getString("seed"), ids == null ? null : Arrays.asList(ids));
  }

  /**
   * At or after {@code opensAt}, once: orders the pre-queue by the lottery, reveals the seed.
   * Returns the moved places for after the commit (empty when nothing was drawn now). The caller
   * holds the queue lock.
   */
  Future<List<LinePlace>> drawIfDue(SqlConnection tx, Queue q, Instant now) {
    WaitingRoom room = q.waitingRoom();
    if (room == null || !room.hasPrequeue() || now.isBefore(room.opensAt())) {
      return Future.succeededFuture(List.of());
    }
    return ensure(tx, q).compose(d -> d == null || d.drawnAt() != null ? Future.succeededFuture(List.of())
        : tx.preparedQuery("SELECT seed_sealed FROM waiting_room_draws WHERE queue_id = $1 FOR UPDATE")
            .execute(Tuple.of(q.id()))
            .compose(rs -> draw(tx, q, seed(rs.iterator().next().getBuffer(0).getBytes()), room.opensAt())));
  }

  private Future<List<LinePlace>> draw(SqlConnection tx, Queue q, byte[] seed, Instant opensAt) {
    return tx.preparedQuery("SELECT id FROM tickets WHERE queue_id = $1 AND queued_at < $2")
        .execute(Tuple.of(q.id(), opensAt.atOffset(ZoneOffset.UTC))).compose(rs -> {
          List<UUID> ids = new ArrayList<>();
          rs.forEach(r -> ids.add(r.getUUID(0)));
          List<UUID> order = Lottery.order(seed, ids);
          return admits.reorder(tx, q.id(), order).compose(places -> tx.preparedQuery("UPDATE waiting_room_draws"
                  + " SET drawn_at = now(), seed = $2, ticket_ids = $3 WHERE queue_id = $1")
              .execute(Tuple.tuple().addValue(q.id()).addValue(HexFormat.of().formatHex(seed))
                  .addValue(order.toArray(new UUID[0])))
              .map(places));
        });
  }

  /** The seed a row's nonce stands for. */
  byte[] seed(byte[] nonce) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(nonce);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("no HMAC-SHA256", e);
    }
  }
}
