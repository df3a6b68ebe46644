package dev.virtualqueue.admission;

import dev.virtualqueue.common.SecretSealer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * SQL of the access-token keys ({@code access_keys}, V8). Private keys go in and come out sealed
 * ({@link SecretSealer}, the kid as associated data). Creating and rotating take one advisory lock,
 * so two servers starting at once, or a rotation during a start, make one key, not two.
 */
final class AccessKeyStore {
  private static final String COLUMNS = "kid, private_sealed, public_jwk, created_at, signs_from, retire_at";
  private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('vq_access_keys'))";
  private static final DateTimeFormatter KID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private final Pool pool;
  private final SecretSealer sealer;

  AccessKeyStore(Pool pool, SecretSealer sealer) {
    this.pool = pool;
    this.sealer = sealer;
  }

  /** The keys not retired yet, newest signer first. */
  Future<List<AccessKey>> published() {
    return pool.query("SELECT " + COLUMNS + " FROM access_keys WHERE retire_at IS NULL OR retire_at > now()"
        + " ORDER BY signs_from DESC, created_at DESC").execute().map(this::keys);
  }

  /** Every key, retired ones included (for {@code access-keys list}). */
  Future<List<AccessKey>> all() {
    return pool.query("SELECT " + COLUMNS + " FROM access_keys ORDER BY signs_from DESC, created_at DESC").execute()
        .map(this::keys);
  }

  /** Makes a key that signs from now when no key can sign now; true when it made one. */
  Future<Boolean> ensureSigner() {
    return pool.withTransaction(tx -> tx.query(LOCK).execute()
        .compose(v -> tx.query("SELECT count(*) FROM access_keys WHERE signs_from <= now()"
            + " AND (retire_at IS NULL OR retire_at > now())").execute())
        .compose(rs -> rs.iterator().next().getLong(0) > 0 ? Future.succeededFuture(false)
            : insert(tx, 0).map(true)));
  }

  /** What a rotation did: the new key, when it signs, the keys it replaces and when they retire. */
  record Rotation(String kid, Instant signsFrom, List<String> retiring, Instant retireAt, int removed) {
  }

  /**
   * A new key signing {@code activateInSeconds} from now; every key without a retire date retires
   * {@code overlapSeconds} after that; keys already retired are deleted.
   */
  Future<Rotation> rotate(int activateInSeconds, int overlapSeconds) {
    return pool.withTransaction(tx -> tx.query(LOCK).execute()
        .compose(v -> insert(tx, activateInSeconds))
        .compose(fresh -> tx.preparedQuery("UPDATE access_keys SET retire_at = (SELECT signs_from FROM access_keys"
                + " WHERE kid = $1) + make_interval(secs => $2) WHERE kid <> $1 AND retire_at IS NULL RETURNING kid")
            .execute(Tuple.of(fresh.kid(), (double) overlapSeconds))
            .compose(retired -> {
              List<String> kids = new ArrayList<>();
              retired.forEach(r -> kids.add(r.getString(0)));
              return tx.query("DELETE FROM access_keys WHERE retire_at <= now()").execute()
                  .map(gone -> new Rotation(fresh.kid(), fresh.signsFrom(), kids,
                      fresh.signsFrom().plusSeconds(overlapSeconds), gone.rowCount()));
            })));
  }

  /** The longest session any waiting room may give, or an active session still has (seconds). */
  Future<Integer> longestSession() {
    return pool.query("SELECT greatest(coalesce((SELECT max((waiting_room->>'maxSessionSeconds')::int) FROM queues"
        + " WHERE mode = 'waiting_room'), 0), coalesce((SELECT ceil(extract(epoch FROM max(max_expires_at"
        + " - admitted_at)))::int FROM admission_sessions WHERE ended_at IS NULL AND expires_at > now()), 0))")
        .execute().map(rs -> rs.iterator().next().getInteger(0));
  }

  private record Fresh(String kid, Instant signsFrom) {
  }

  private Future<Fresh> insert(SqlConnection tx, int activateInSeconds) {
    KeyPair pair = Es256.generate();
    String kid = "at-" + ZonedDateTime.now(ZoneOffset.UTC).format(KID_TIME) + "-"
        + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    Es256.Jwk jwk = Es256.jwk(kid, (ECPublicKey) pair.getPublic());
    String sealed = sealer.seal(Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()), kid);
    JsonObject publicJwk = new JsonObject().put("kty", jwk.kty()).put("crv", jwk.crv()).put("x", jwk.x())
        .put("y", jwk.y()).put("kid", kid).put("use", jwk.use()).put("alg", jwk.alg());
    return tx.preparedQuery("INSERT INTO access_keys (kid, private_sealed, public_jwk, signs_from)"
            + " VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING signs_from")
        .execute(Tuple.of(kid, sealed, publicJwk, (double) activateInSeconds))
        .map(rs -> new Fresh(kid, rs.iterator().next().getOffsetDateTime(0).toInstant()));
  }

  private List<AccessKey> keys(Iterable<Row> rows) {
    List<AccessKey> out = new ArrayList<>();
    rows.forEach(r -> out.add(key(r)));
    return out;
  }

  private AccessKey key(Row r) {
    String kid = r.getString("kid");
    JsonObject jwk = (JsonObject) r.getValue("public_jwk");
    ECPublicKey pub = Es256.publicKey(jwk.getString("x"), jwk.getString("y"));
    return new AccessKey(kid, pub, open(r.getString("private_sealed"), kid), Es256.jwk(kid, pub),
        instant(r, "created_at"), instant(r, "signs_from"), instant(r, "retire_at"));
  }

  /** The private key, or null when it does not open with this server's key (another key file). */
  private ECPrivateKey open(String sealed, String kid) {
    try {
      return Es256.privateKey(Base64.getDecoder().decode(sealer.open(sealed, kid)));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }
}
