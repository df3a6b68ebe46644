package dev.virtualqueue.admission;

import dev.virtualqueue.db.PgListener;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access-token key set of this server, in memory: which key signs now, which keys verify, and
 * the JWKS. Loaded from {@code access_keys} at start (making a first key if none can sign), then
 * again every {@value #RELOAD_MILLIS} ms and whenever a change is announced on {@value #CHANNEL}
 * (V8's trigger, at commit), so every server follows a rotation within seconds without a restart.
 *
 * <p>Time alone also changes the answer (a key's signing time comes, its retire date passes): each
 * question is answered for the moment it is asked, never from a list computed earlier.
 */
final class AccessKeys {
  static final String CHANNEL = "vq_access_keys";
  static final long RELOAD_MILLIS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(AccessKeys.class);

  private final Vertx vertx;
  private final Context context;
  private final AccessKeyStore store;
  private final PgListener listener;
  /** Newest signer first, as loaded. */
  private volatile List<AccessKey> keys = List.of();
  /** Orders the loads: an older load that ends late never replaces a newer one. */
  private final AtomicLong loads = new AtomicLong();
  private long applied;
  private final Set<String> unopenable = new HashSet<>();
  // touched only on {@link #context}
  private long timer = -1;

  AccessKeys(Vertx vertx, AccessKeyStore store, PgConnectOptions listen) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.store = store;
    // a LISTEN in place (first or again) reloads: changes made while nobody listened are unknown
    this.listener = PgListener.on(vertx, context, listen, CHANNEL, "vq-access-keys")
        .notified(payload -> reload())
        .listening(this::reload);
  }

  /** Loads the set (making a first key if none can sign), then follows changes. */
  Future<Void> start() {
    return reload().onSuccess(v -> context.runOnContext(x -> {
      timer = vertx.setPeriodic(RELOAD_MILLIS, id -> reload());
      listener.start();
    }));
  }

  void stop() {
    context.runOnContext(v -> vertx.cancelTimer(timer));
    listener.stop();
  }

  /**
   * Reads the key set again (also what a change notification does). When no key can sign now (a
   * first start, or the last signer retired without a successor), one is made first.
   */
  Future<Void> reload() {
    long n = loads.incrementAndGet();
    return store.published().compose(loaded -> {
      apply(n, loaded);
      if (loaded.stream().anyMatch(k -> k.signs(Instant.now()))) {
        return Future.<Void>succeededFuture();
      }
      return store.ensureSigner().compose(made -> {
        if (made) {
          LOG.info("access tokens: no key could sign, made one");
        }
        return made ? reload() : Future.<Void>succeededFuture();
      });
    }).onFailure(t -> LOG.warn("access tokens: loading the keys failed ({}); keeping the last set", t.getMessage()));
  }

  /** Makes {@code loaded} the set, unless a later load was applied already ({@code n} orders the loads). */
  synchronized void apply(long n, List<AccessKey> loaded) {
    if (n < applied) {
      return;
    }
    applied = n;
    for (AccessKey k : loaded) {
      if (k.privateKey() == null && unopenable.add(k.kid())) {
        LOG.error("access tokens: the private key of {} does not open with this server's key file"
            + " (VQ_SECRETS_KEY_FILE must be the same on every server); it verifies here but never signs", k.kid());
      }
    }
    keys = List.copyOf(loaded);
  }

  /** The key that signs at {@code now}: the newest whose signing time has come; null when none can. */
  AccessKey signer(Instant now) {
    for (AccessKey k : keys) {
      if (k.signs(now)) {
        return k;
      }
    }
    return null;
  }

  /** The published key {@code kid} at {@code now}, or null (unknown, or retired). */
  AccessKey verifier(String kid, Instant now) {
    for (AccessKey k : keys) {
      if (k.kid().equals(kid)) {
        return k.published(now) ? k : null;
      }
    }
    return null;
  }

  /** The public keys published at {@code now}: upcoming, current and previous. */
  List<Es256.Jwk> jwks(Instant now) {
    return keys.stream().filter(k -> k.published(now)).map(AccessKey::jwk).toList();
  }
}
