package dev.virtualqueue;

import dev.virtualqueue.auth.AuthModule;
import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.db.Database;
import dev.virtualqueue.dev.DemoSeeder;
import dev.virtualqueue.housekeeping.HousekeepingVerticle;
import dev.virtualqueue.http.HttpVerticle;
import dev.virtualqueue.line.DeadlineRedis;
import dev.virtualqueue.metrics.ManagementVerticle;
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
  private final Services services;
  private final int httpPort;
  private final int managementPort;

  private App(Vertx vertx, Services services, int httpPort, int managementPort) {
    this.vertx = vertx;
    this.services = services;
    this.httpPort = httpPort;
    this.managementPort = managementPort;
  }

  public static Future<App> start(AppConfig config) {
    PrometheusMeterRegistry registry = Meters.registry();
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(Meters.vertxOptions()))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    return Database.migrate(vertx, config.pg(), config.dev())
        .compose(v -> {
          Pool pool = Database.pool(vertx, config.pg());
          RedisOptions redisOptions = redisOptions(config.redis());
          Redis redis = new DeadlineRedis(Redis.createClient(vertx, redisOptions),
              config.redis().commandTimeoutMillis());
          return AuthModule.create(vertx, config, pool)
              .map(auth -> Services.wire(vertx, config, pool, redis, redisOptions, registry, auth));
        })
        .compose(s -> s.rebuilder().rebuildAtStartup().map(s))
        .compose(s -> s.live().start().map(s))
        .compose(s -> config.dev() ? new DemoSeeder(s).seedIfEmpty().map(s) : Future.succeededFuture(s))
        .compose(s -> deploy(vertx, s))
        .compose(app -> config.dev() ? new DemoSeeder(app.services()).printLinks(app.httpPort(), app.managementPort())
            .map(app) : Future.succeededFuture(app))
        .onFailure(t -> vertx.close());
  }

  private static Future<App> deploy(Vertx vertx, Services s) {
    AtomicInteger http = new AtomicInteger();
    AtomicInteger mgmt = new AtomicInteger();
    int instances = s.config().http().instances() > 0 ? s.config().http().instances()
        : Math.max(1, Runtime.getRuntime().availableProcessors());
    var tracked = s.verticles();
    return vertx.deployVerticle(tracked.track("http", () -> new HttpVerticle(s, http)),
            new DeploymentOptions().setInstances(instances))
        .compose(id -> vertx.deployVerticle(tracked.track("management", () -> new ManagementVerticle(s, mgmt)),
            new DeploymentOptions()))
        .compose(id -> vertx.deployVerticle(tracked.track("housekeeping", () -> new HousekeepingVerticle(s)),
            new DeploymentOptions()))
        .map(id -> {
          LOG.info("virtual-queue up: API on port {} ({} HTTP instances), management on port {}",
              http.get(), instances, mgmt.get());
          return new App(vertx, s, http.get(), mgmt.get());
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

  public Services services() {
    return services;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Stops the change-feed subscription first (so it does not try to reconnect), then Vert.x. */
  public Future<Void> close() {
    return services.live().stop().transform(ar -> vertx.close());
  }
}
