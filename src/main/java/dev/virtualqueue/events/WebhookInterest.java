package dev.virtualqueue.events;

import dev.virtualqueue.db.PgListener;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which tenants have an enabled webhook endpoint for which event types, kept in memory so a change
 * of a tenant without endpoints need not carry the webhook outbox CTE (every CTE costs the
 * statement, even one that inserts nothing: it cost 14 % of joins/s at saturation).
 *
 * <p>Every server keeps its own copy. A trigger on {@code webhook_endpoints} (V6) sends
 * {@code NOTIFY} on channel {@value #CHANNEL} with the tenant id on every insert, update and
 * delete, whoever makes it (the API, the auto-disable, an operator's SQL); each server LISTENs
 * through a {@link PgListener} and reloads. The answer is conservative: {@link #wants} says
 * "yes" (write the CTE, which then checks the endpoints itself) whenever the copy may be stale:
 * <ul>
 *   <li>before the first load, and while a reload after a change is running;</li>
 *   <li>while the LISTEN connection is down, or has failed its probe
 *       (a half-open connection would otherwise miss notifications silently); on reconnect it reloads.</li>
 * </ul>
 * The server that makes a change through the API marks its copy stale before it answers, so it has
 * no window. Another server starts writing rows for a new endpoint when the notification reaches it:
 * events committed on it in those milliseconds after the endpoint's commit are not delivered to the
 * new endpoint (a subscription starts from the next event; docs/notifications.md).
 */
public final class WebhookInterest {
  public static final String CHANNEL = "vq_webhook_interest";
  static final String LOAD = "SELECT tenant_id, array_agg(DISTINCT ev) AS events FROM webhook_endpoints,"
      + " unnest(events) AS ev WHERE enabled GROUP BY tenant_id";
  private static final Logger LOG = LoggerFactory.getLogger(WebhookInterest.class);
  private static final long RETRY_MS = 1_000;

  /** The tenants' subscribed types as loaded when the change counter stood at {@code generation}. */
  private record Snapshot(long generation, Map<UUID, Set<String>> tenants) {
  }

  private final Vertx vertx;
  private final Context context;
  private final Pool pool;
  private final PgListener listener;
  /** Grows with every change heard of (and every loss of the connection); a snapshot of an older one is stale. */
  private final AtomicLong generation = new AtomicLong();
  private volatile Snapshot snapshot;
  // the fields below are touched only on {@link #context}
  private boolean listening;
  private boolean loading;
  private boolean stopped;

  public WebhookInterest(Vertx vertx, Pool pool, PgConnectOptions connect) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.pool = pool;
    this.listener = PgListener.on(vertx, context, connect, CHANNEL, "vq-webhook-interest")
        .notified(tenant -> changed())
        .listening(() -> {
          listening = true;
          reload();
        })
        .lost(this::lost);
  }

  /**
   * Whether a change of {@code type} in {@code tenant} must carry the webhook CTE: the tenant has an
   * enabled endpoint for it or for "*", or the copy may be stale. Safe on any thread.
   */
  public boolean wants(UUID tenant, String type) {
    Snapshot s = snapshot;
    if (s == null || s.generation() != generation.get()) {
      return true;
    }
    Set<String> types = s.tenants().get(tenant);
    return types != null && (types.contains("*") || types.contains(type));
  }

  /** Whether the copy is current (tests wait for it after changing endpoints behind the API's back). */
  public boolean fresh() {
    Snapshot s = snapshot;
    return s != null && s.generation() == generation.get();
  }

  /** Starts listening; the copy is loaded once the LISTEN is in place. */
  public void start() {
    listener.start();
  }

  /** A tenant's endpoints changed (called after the change committed, before the answer goes out). */
  public void changed() {
    generation.incrementAndGet();
    context.runOnContext(v -> reload());
  }

  public void stop() {
    context.runOnContext(v -> stopped = true);
    listener.stop();
  }

  /** The LISTEN connection is gone: stale until a new one is in place and the copy reloaded. */
  private void lost() {
    generation.incrementAndGet();
    listening = false;
  }

  /** Loads every tenant's types; publishes them only if nothing changed meanwhile (else loads again). */
  private void reload() {
    if (loading || !listening || stopped) {
      return; // a running load sees the newer generation when it ends and loads again; subscribe reloads
    }
    loading = true;
    long at = generation.get();
    pool.query(LOAD).execute().onComplete(ar -> {
      loading = false;
      if (ar.failed()) {
        LOG.warn("webhook interest: load failed ({}); retrying", ar.cause().getMessage());
        vertx.setTimer(RETRY_MS, t -> reload());
        return;
      }
      if (generation.get() != at || !listening) {
        reload();
        return;
      }
      Map<UUID, Set<String>> tenants = new HashMap<>();
      for (Row r : ar.result()) {
        tenants.put(r.getUUID("tenant_id"), Set.of(r.getArrayOfStrings("events")));
      }
      snapshot = new Snapshot(at, Map.copyOf(tenants));
    });
  }
}
