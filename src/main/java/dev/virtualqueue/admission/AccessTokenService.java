package dev.virtualqueue.admission;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.virtualqueue.admission.AccessTokens.Claims;
import dev.virtualqueue.auth.Principal;
import dev.virtualqueue.queue.QueueService;
import dev.virtualqueue.queue.WaitingRoom;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What a protected site asks of its tokens: introspection (RFC 7662) and release. Both are scoped
 * to the caller's tenant: another tenant's token is never active for it and never released by it.
 * A site is only ever told "active" or "not active"; why is counted
 * ({@link AccessTokenMetrics}), never said.
 */
final class AccessTokenService {
  /** A renewal that found the session no longer active (ended between the read and the write). */
  private static final Renewed NOT_ACTIVE = new Renewed(null, null);
  private final AccessTokens tokens;
  private final AccessKeys keys;
  private final AdmissionStore store;
  private final AccessSessions sessions;
  private final QueueService queues;
  private final AccessTokenMetrics metrics;
  private final Consumer<UUID> slotFreed;

  /** {@code slotFreed} is told the queue of every released session, after the commit. */
  AccessTokenService(AccessTokens tokens, AccessKeys keys, AdmissionStore store, QueueService queues,
                     AccessTokenMetrics metrics, Consumer<UUID> slotFreed) {
    this.tokens = tokens;
    this.keys = keys;
    this.store = store;
    this.sessions = new AccessSessions(store.pool());
    this.queues = queues;
    this.metrics = metrics;
    this.slotFreed = slotFreed;
  }

  /** The JWK set: every key not retired. */
  public record Jwks(List<Es256.Jwk> keys) {
  }

  /** An RFC 7662 answer: only {@code active} when it is false. */
  public record Introspection(boolean active, String sub, String aud, String iss, Long exp, Long iat, String jti,
                              String tid, String qid, @JsonProperty("token_type") String tokenType,
                              Renewed renewed) {
  }

  /** A renewed session's fresh token (a room with {@code renewOnActivity}). */
  public record Renewed(String accessToken, Instant expiresAt) {
  }

  /** Whether the site's release ended a session. */
  public record Released(boolean released) {
  }

  Jwks jwks() {
    return new Jwks(keys.jwks(Instant.now()));
  }

  /**
   * Introspects {@code token} for {@code caller}'s tenant ({@code audience}: the site's own, to
   * check the token's against; null: the site checks {@code aud} itself). Active when ours,
   * intact, not expired, of this tenant (and audience), and its session still active. The first
   * verification marks the session used; in a room that renews on activity it also extends it.
   */
  Future<Introspection> verify(Principal caller, String token, String audience) {
    Instant now = Instant.now();
    Claims c = tokens.read(token, now);
    if (c == null) {
      return inactive(AccessTokenMetrics.INVALID);
    }
    if (!c.tid().equals(caller.tenantId()) || audience != null && !audience.equals(c.aud())) {
      return inactive(AccessTokenMetrics.FOREIGN);
    }
    if (c.exp() <= now.getEpochSecond()) {
      return inactive(AccessTokenMetrics.EXPIRED);
    }
    return store.session(store.pool(), c.sub()).compose(s -> {
      String why = inactiveReason(s, c, now);
      if (why != null) {
        return inactive(why);
      }
      return queues.cached(s.queueId()).compose(q -> touch(s, q.waitingRoom())).compose(renewed -> {
        if (renewed == NOT_ACTIVE) {
          return inactive(AccessTokenMetrics.ENDED);
        }
        metrics.verified(AccessTokenMetrics.ACTIVE);
        return Future.succeededFuture(new Introspection(true, c.sub().toString(), c.aud(), c.iss(), c.exp(),
            c.iat(), c.jti().toString(), c.tid().toString(), c.qid().toString(), "access_token", renewed));
      });
    });
  }

  /** Why a signed, unexpired token's session does not let it in; null when it does. */
  private static String inactiveReason(AdmissionSession s, Claims c, Instant now) {
    if (s == null || !s.tenantId().equals(c.tid()) || !s.queueId().equals(c.qid())) {
      return AccessTokenMetrics.ENDED;
    }
    if (s.endedAt() != null) {
      return "expired".equals(s.endReason()) || "unused".equals(s.endReason()) ? AccessTokenMetrics.EXPIRED
          : AccessTokenMetrics.ENDED;
    }
    return s.active(now) ? null : AccessTokenMetrics.EXPIRED;
  }

  /** Marks the session used, or renews it: the fresh token of a renewal, else null. */
  private Future<Renewed> touch(AdmissionSession s, WaitingRoom room) {
    if (room != null && room.renews()) {
      return sessions.renew(s.ticketId(), room.sessionSeconds())
          .map(now -> now == null ? NOT_ACTIVE : new Renewed(tokens.mint(now, room), now.expiresAt()));
    }
    if (s.verifiedAt() != null) {
      return Future.succeededFuture(null);
    }
    return sessions.verified(s.ticketId()).map(v -> (Renewed) null);
  }

  /**
   * Ends the session of {@code token} (signed by us, for the caller's tenant; its expiry does not
   * matter), at once: its slot goes to the next person. False when it was not active.
   */
  Future<Released> release(Principal caller, String token) {
    Claims c = tokens.read(token, Instant.now());
    if (c == null || !c.tid().equals(caller.tenantId())) {
      return Future.succeededFuture(new Released(false));
    }
    return store.end(store.pool(), c.sub(), "released").map(queueId -> {
      if (queueId == null) {
        return new Released(false);
      }
      metrics.released();
      slotFreed.accept(queueId);
      return new Released(true);
    });
  }

  private Future<Introspection> inactive(String why) {
    metrics.verified(why);
    return Future.succeededFuture(new Introspection(false, null, null, null, null, null, null, null, null, null, null));
  }
}
