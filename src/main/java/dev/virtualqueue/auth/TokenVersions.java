package dev.virtualqueue.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.virtualqueue.db.PgListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current token version, role and state of each staff account, in memory, so that checking
 * every access token against its account costs no query in the steady state. A trigger (V11)
 * NOTIFYs channel {@value #CHANNEL} with the account id at the commit of any change of
 * {@code token_version}, {@code disabled} or {@code role} (or a delete), whoever makes it; every
 * server LISTENs ({@link PgListener}) and forgets that account, so its next request reads it again.
 *
 * <p>A lookup that started before a change was heard never fills the cache (a change counter
 * orders them). While the LISTEN connection is down the cache is not trusted: every request reads
 * its account from Postgres until the connection is back, and then the cache starts empty.
 */
final class TokenVersions {
  static final String CHANNEL = "vq_staff_tokens";
  private static final Logger LOG = LoggerFactory.getLogger(TokenVersions.class);
  private static final int MAX_ENTRIES = 100_000;

  /** An account as tokens are checked against it; {@code live} is false when disabled or deleted. */
  record State(int version, Role role, boolean live) {
    static final State GONE = new State(-1, Role.VIEWER, false);
  }

  private final StaffRepository repo;
  private final Cache<UUID, State> states = Caffeine.newBuilder().maximumSize(MAX_ENTRIES)
      .expireAfterAccess(Duration.ofHours(1)).build();
  /** Grows with every change heard of; a lookup that began at an older value does not fill the cache. */
  private final AtomicLong changes = new AtomicLong();
  private final PgListener listener;
  private final AtomicLong lookups = new AtomicLong();
  private volatile boolean trusted;

  TokenVersions(Vertx vertx, StaffRepository repo, PgConnectOptions connect) {
    this.repo = repo;
    this.listener = PgListener.on(vertx, vertx.getOrCreateContext(), connect, CHANNEL, "vq-staff-tokens")
        .notified(this::heard)
        .listening(() -> trust(true))
        .lost(() -> trust(false));
  }

  void start() {
    listener.start();
  }

  void stop() {
    listener.stop();
  }

  /** Whether changes made by other servers reach this cache (tests wait for it). */
  boolean trusted() {
    return trusted;
  }

  /** How many states were read from Postgres (cache misses), for tests. */
  long lookups() {
    return lookups.get();
  }

  /** The account's current state: from memory when trusted and known, else from Postgres. */
  Future<State> current(UUID tenantId, UUID staffId) {
    if (trusted) {
      State known = states.getIfPresent(staffId);
      if (known != null) {
        return Future.succeededFuture(known);
      }
    }
    long at = changes.get();
    lookups.incrementAndGet();
    return repo.tokenState(tenantId, staffId).map(s -> {
      State state = s == null ? State.GONE : s;
      if (trusted && changes.get() == at) {
        states.put(staffId, state);
      }
      return state;
    });
  }

  /** This server changed the account: forget it now, before the answer goes out. */
  void changed(UUID staffId) {
    changes.incrementAndGet();
    states.invalidate(staffId);
  }

  private void heard(String payload) {
    try {
      changed(UUID.fromString(payload));
    } catch (IllegalArgumentException e) {
      LOG.warn("{}: ignoring payload '{}'", CHANNEL, payload);
    }
  }

  private void trust(boolean on) {
    changes.incrementAndGet();
    states.invalidateAll();
    trusted = on;
  }
}
