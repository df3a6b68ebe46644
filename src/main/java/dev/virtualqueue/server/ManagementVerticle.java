package dev.virtualqueue.server;

import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.line.LineStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The management port, on loopback by default: /metrics for Prometheus (behind {@link MetricsGuard}
 * when credentials are set), /health/live and /health/ready (always open, for probes).
 */
public final class ManagementVerticle extends VerticleBase {
  private final AppConfig.Management cfg;
  private final Pool pool;
  private final Redis redis;
  private final LineStore line;
  private final Modules.Telemetry meters;
  private final AtomicInteger boundPort;

  ManagementVerticle(AppConfig.Management cfg, Pool pool, Redis redis, LineStore line, Modules.Telemetry meters,
                     AtomicInteger boundPort) {
    this.cfg = cfg;
    this.pool = pool;
    this.redis = redis;
    this.line = line;
    this.meters = meters;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    return MetricsGuard.load(vertx, cfg).compose(this::serve);
  }

  private Future<?> serve(MetricsGuard guard) {
    Router router = Router.router(vertx);
    router.route().handler(meters.verticles().httpHandler("management"));
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness()));
    router.get("/metrics").handler(guard).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(meters.registry().scrape()));
    return vertx.createHttpServer(new HttpServerOptions().setHost(cfg.host()).setIdleTimeout(60)
            .setHttp2ClearTextEnabled(false))
        .requestHandler(router).listen(cfg.port())
        .onSuccess(s -> boundPort.set(s.actualPort()));
  }

  /** Ready while Postgres and Redis answer and the line mirror is complete. */
  private HealthChecks readiness() {
    return HealthChecks.create(vertx)
        .register("postgres", 2_000, p -> pool.query("SELECT 1").execute()
            .onSuccess(r -> p.tryComplete(Status.OK()))
            .onFailure(t -> p.tryComplete(Status.KO(new JsonObject().put("error", t.getMessage())))))
        .register("redis", 2_000, p -> redis.send(Request.cmd(Command.PING))
            .onSuccess(r -> p.tryComplete(Status.OK()))
            .onFailure(t -> p.tryComplete(Status.KO(new JsonObject().put("error", t.getMessage())))))
        .register("line-mirror", 2_000, p -> line.isReady()
            .onSuccess(ok -> p.tryComplete(ok ? Status.OK() : Status.KO()))
            .onFailure(t -> p.tryComplete(Status.KO())));
  }
}
