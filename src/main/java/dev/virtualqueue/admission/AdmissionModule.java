package dev.virtualqueue.admission;

import dev.virtualqueue.auth.Role;
import dev.virtualqueue.common.SecretSealer;
import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.config.ServerKey;
import dev.virtualqueue.db.Database;
import dev.virtualqueue.http.Routes;
import dev.virtualqueue.metrics.BusinessMetrics;
import dev.virtualqueue.queue.QueueService;
import dev.virtualqueue.ticket.AdmissionLink;
import dev.virtualqueue.ticket.AdmitService;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * The waiting-room feature, wired: the admitter verticle (one per process; the rooms' leases decide
 * which process admits for which room), the sessions it opens, the pre-queue draws, and the access
 * tokens with their own key set ({@link #start()} loads it, and follows rotations until {@link #stop()}).
 */
public final class AdmissionModule {
  private final AdmissionStore store;
  private final QueueService queues;
  private final AdmitService admits;
  private final Draws draws;
  private final AdmissionMetrics metrics;
  /** This process's name on the leases: unique per start, so a restarted process takes leases anew. */
  private final String owner;
  private final AdmissionService service;
  private final AccessKeys accessKeys;
  private final AccessTokens accessTokens;
  private final AccessTokenService accessTokenService;
  private volatile AdmissionVerticle verticle;

  /**
   * What the access tokens need beyond the stores: Vert.x (timers, LISTEN), a connection for the
   * key-change LISTEN, and the issuer ({@code iss}).
   */
  public record TokenSetup(Vertx vertx, PgConnectOptions listen, String issuer) {
    /** The issuer is {@code http.publicUrl} ({@code VQ_HTTP_PUBLIC_URL}) without a trailing slash, else {@code http://localhost}. */
    public static TokenSetup of(Vertx vertx, AppConfig config) {
      String url = config.http().publicUrl().replaceAll("/+$", "");
      return new TokenSetup(vertx, Database.connectOptions(config.pg()), url.isEmpty() ? "http://localhost" : url);
    }
  }

  public AdmissionModule(Pool pool, QueueService queues, AdmitService admits, ServerKey serverKey,
                         MeterRegistry registry, BusinessMetrics business, TokenSetup tokens) {
    this.store = new AdmissionStore(pool);
    this.queues = queues;
    this.admits = admits;
    this.draws = new Draws(serverKey.derive("waiting-room-draw"), admits);
    this.metrics = new AdmissionMetrics(registry, business);
    this.service = new AdmissionService(this);
    this.accessKeys = new AccessKeys(tokens.vertx(), new AccessKeyStore(pool,
        new SecretSealer(serverKey.derive("access-keys"), new SecureRandom())), tokens.listen());
    this.accessTokens = new AccessTokens(accessKeys, tokens.issuer());
    this.accessTokenService = new AccessTokenService(accessTokens, accessKeys, store, queues,
        new AccessTokenMetrics(registry), this::slotFreed);
    this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Loads the access keys (making a first one if none can sign) and follows their changes. */
  public Future<Void> start() {
    return accessKeys.start();
  }

  public void stop() {
    accessKeys.stop();
  }

  /** Mounts the public draw, the room state route, the JWKS and the protected sites' token routes. */
  public void mount(Routes<Role> routes) {
    new AdmissionRoutes(service).mount(routes);
    new AccessTokenRoutes(accessTokenService).mount(routes);
  }

  /** A new admitter verticle; deploy one per process. */
  public VerticleBase verticle() {
    return new AdmissionVerticle(this);
  }

  /** What the ticket feature asks of the waiting room: access tokens, and leaving an admitted session. */
  public AdmissionLink link() {
    return new AdmissionAccess(this, accessTokens::mint);
  }

  /** A slot of a room was freed here (a release, a person leaving): its admitter runs at once if it is this process. */
  public void slotFreed(UUID queueId) {
    AdmissionVerticle v = verticle;
    if (v != null) {
      v.nudge(queueId);
    }
  }

  void bind(AdmissionVerticle v) {
    this.verticle = v;
  }

  AdmissionStore store() {
    return store;
  }

  QueueService queues() {
    return queues;
  }

  AdmitService admits() {
    return admits;
  }

  Draws draws() {
    return draws;
  }

  AdmissionMetrics metrics() {
    return metrics;
  }

  String owner() {
    return owner;
  }

  AccessKeys accessKeys() {
    return accessKeys;
  }

  AccessTokens accessTokens() {
    return accessTokens;
  }
}
