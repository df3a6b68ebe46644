package dev.virtualqueue.server;

import dev.virtualqueue.auth.AuthModule;
import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.config.ServerKey;
import dev.virtualqueue.db.Database;
import dev.virtualqueue.db.DeadlinePool;
import dev.virtualqueue.dev.DemoSeeder;
import dev.virtualqueue.housekeeping.HousekeepingVerticle;
import dev.virtualqueue.line.DeadlineRedis;
import dev.virtualqueue.metrics.Meters;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running server: builds Vert.x with metrics, migrates the schema, connects Postgres and Redis,
 * rebuilds the line mirror, then deploys the verticles in order, failing fast on any error.
 */
public final class App {
  private static final Logger LOG = LoggerFactory.getLogger(App.class);

  private final Vertx vertx;
  private final Modules modules;
  private final int httpPort;
  private final int managementPort;
  private final AtomicBoolean draining;

  private App(Vertx vertx, Modules modules, int httpPort, int managementPort, AtomicBoolean draining) {
    this.vertx = vertx;
    this.modules = modules;
    this.httpPort = httpPort;
    this.managementPort = managementPort;
    this.draining = draining;
  }

  public static Future<App> start(AppConfig config) {
    PrometheusMeterRegistry registry = Meters.registry();
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(Meters.vertxOptions()))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    return Database.migrate(vertx, config.pg(), config.dev())
        .compose(v -> {
          Pool pool = new DeadlinePool(Database.pool(vertx, config.pg()), config.pg().queryTimeoutMillis());
          RedisOptions redisOptions = redisOptions(config.redis());
          Redis redis = new DeadlineRedis(Redis.createClient(vertx, redisOptions),
              config.redis().commandTimeoutMillis());
          // a dev database is never served as production; then the JWT keys: a server that cannot
          // sign refuses to start before it writes a server key
          return (config.dev() ? Future.<Void>succeededFuture() : DemoSeeder.refuseInProduction(pool))
              .compose(fit -> AuthModule.create(vertx, config, new AuthModule.Stores(pool, redis, registry,
                  Database.connectOptions(config.pg())), () -> ServerKey.load(config)))
              .map(auth -> Modules.wire(vertx, config,
                  new Modules.Stores(pool, redis, redisOptions, registry, auth.serverKey()), auth));
        })
        .map(m -> {
          m.webhooks().interest().start();
          m.auth().start();
          return m;
        })
        .compose(m -> m.line().rebuilder().rebuildAtStartup().map(m))
        .compose(m -> m.queues().joinLimits().start(vertx).map(m))
        .compose(m -> m.live().start().map(m))
        .compose(m -> m.admission().start().map(m))
        .compose(m -> config.dev() ? seeder(m).seedIfEmpty().map(m) : Future.succeededFuture(m))
        .compose(m -> deploy(vertx, m))
        .compose(app -> config.dev() ? seeder(app.modules()).printLinks(app.httpPort(), app.managementPort())
            .map(app) : Future.succeededFuture(app))
        .onFailure(t -> vertx.close());
  }

  private static DemoSeeder seeder(Modules m) {
    return new DemoSeeder(m.config(), m.pool(), m.auth().tenants(), m.queues().queues(), m.counters().counters());
  }

  /** Deploys the verticles in order, each with only what it uses. */
  private static Future<App> deploy(Vertx vertx, Modules m) {
    AtomicInteger http = new AtomicInteger();
    AtomicInteger mgmt = new AtomicInteger();
    AtomicBoolean draining = new AtomicBoolean();
    int instances = m.config().http().instances() > 0 ? m.config().http().instances()
        : Math.max(1, Runtime.getRuntime().availableProcessors());
    var tracked = m.meters().verticles();
    ApiRoutes api = new ApiRoutes(m.auth(), m.queues(), m.counters(), m.tickets(), m.webhooks(), m.notifications(),
        m.admission());
    return vertx.deployVerticle(tracked.track("http", () -> new HttpVerticle(m.config().http(), api, m.live(),
            m.meters(), m.limits(), http)), new DeploymentOptions().setInstances(instances))
        .compose(id -> vertx.deployVerticle(tracked.track("management", () -> new ManagementVerticle(
            m.config().management(), new ManagementVerticle.Checks(m.pool(), m.redis(), m.line().store(), draining),
            m.meters(), mgmt)), new DeploymentOptions()))
        .compose(id -> vertx.deployVerticle(tracked.track("housekeeping", () -> new HousekeepingVerticle(
            m.tickets(), m.line().rebuilder(), m.meters().business(), tracked,
            new HousekeepingVerticle.Retention(m.config().idempotencyRetentionHours(), m.auth().audit(),
                m.config().auditRetentionDays(), m.auth()::purgeSessions))),
            new DeploymentOptions()))
        .compose(id -> vertx.deployVerticle(tracked.track("webhooks", m.webhooks()::verticle), new DeploymentOptions()))
        .compose(id -> vertx.deployVerticle(tracked.track("admission", m.admission()::verticle), new DeploymentOptions()))
        .compose(id -> m.notifications().enabled() ? vertx.deployVerticle(tracked.track("notifications",
            () -> m.notifications().verticle(tracked)), new DeploymentOptions()) : Future.succeededFuture(id))
        .map(id -> {
          LOG.info("virtual-queue up: API on port {} ({} HTTP instances), management on port {}",
              http.get(), instances, mgmt.get());
          return new App(vertx, m, http.get(), mgmt.get(), draining);
        });
  }

  static RedisOptions redisOptions(AppConfig.Redis cfg) {
    return new RedisOptions()
        .setConnectionString(cfg.url())
        .setMaxPoolSize(cfg.poolSize())
        .setMaxPoolWaiting(cfg.maxWaiting())
        .setMaxWaitingHandlers(cfg.maxWaiting())
        .setPoolName("vq-redis")
        .setNetClientOptions(new NetClientOptions().setConnectTimeout(1_000).setTcpKeepAlive(true).setMetricsName("redis")
            .setTcpNoDelay(true));
  }

  public int httpPort() {
    return httpPort;
  }

  public int managementPort() {
    return managementPort;
  }

  /** The wired modules (tests reach the stores and services through them). */
  public Modules modules() {
    return modules;
  }

  public Vertx vertx() {
    return vertx;
  }

  /**
   * Graceful stop (SIGTERM): {@code /health/ready} answers 503 at once, so a load balancer or
   * Kubernetes stops sending new requests and sockets here; after {@code http.drainSeconds} every
   * live socket is told {@code bye} (reconnect elsewhere after a jittered delay), the listener
   * stops accepting, requests under way finish, and the server closes.
   */
  public Future<Void> drainAndClose() {
    draining.set(true);
    long drainMillis = modules.config().http().drainSeconds() * 1000L;
    LOG.info("draining: /health/ready answers 503; live sockets get bye in {} ms", drainMillis);
    Future<Void> waited = drainMillis == 0 ? Future.succeededFuture()
        : Future.future(p -> vertx.setTimer(drainMillis, id -> p.complete()));
    return waited.compose(v -> close());
  }

  /** Whether a graceful stop has begun (readiness fails from then on). */
  public boolean draining() {
    return draining.get();
  }

  /** Stops the LISTEN subscriptions first (so they do not try to reconnect), then Vert.x. */
  public Future<Void> close() {
    modules.webhooks().interest().stop();
    modules.auth().stop();
    modules.admission().stop();
    return modules.live().stop().transform(ar -> vertx.close());
  }
}
