package dev.virtualqueue.admission;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * What a verification writes to a session ({@code admission_sessions}): that the site used it
 * (the admitter reclaims sessions never verified as {@code unused}), and the renewal of rooms that
 * renew on activity. Each is one statement that acts only on a session still active by
 * Postgres's clock, so it never revives one the admitter just ended.
 */
final class AccessSessions {
  private static final String ACTIVE = " WHERE ticket_id = $1 AND ended_at IS NULL AND expires_at > now()";
  private final Pool pool;

  AccessSessions(Pool pool) {
    this.pool = pool;
  }

  /** Records the first verification of an active session. */
  Future<Void> verified(UUID ticketId) {
    return pool.preparedQuery("UPDATE admission_sessions SET verified_at = now()" + ACTIVE
        + " AND verified_at IS NULL").execute(Tuple.of(ticketId)).mapEmpty();
  }

  /**
   * Extends an active session by {@code seconds} from now, never past its {@code max_expires_at},
   * under a new {@code jti} and {@code iat}: the session as it is now, or null when it is not active.
   */
  Future<AdmissionSession> renew(UUID ticketId, int seconds) {
    return pool.preparedQuery("UPDATE admission_sessions SET issued_at = now(), jti = $3,"
            + " expires_at = least(now() + make_interval(secs => $2), max_expires_at),"
            + " verified_at = coalesce(verified_at, now())" + ACTIVE + " RETURNING " + AdmissionSession.COLUMNS)
        .execute(Tuple.of(ticketId, (double) seconds, UUID.randomUUID()))
        .map(rs -> rs.size() == 0 ? null : AdmissionSession.map(rs.iterator().next()));
  }
}
