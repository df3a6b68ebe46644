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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The management port, on loopback by default: /metrics for Prometheus (behind {@link MetricsGuard}
 * when credentials are set), /health/live and /health/ready (always open, for probes).
 */
public final class ManagementVerticle extends VerticleBase {
  private final AppConfig.Management cfg;
  private final Checks checks;
  private final Modules.Telemetry meters;
  private final AtomicInteger boundPort;

  /** What readiness looks at: the stores, the line mirror, and whether a graceful stop has begun. */
  record Checks(Pool pool, Redis redis, LineStore line, AtomicBoolean draining) {
  }

  ManagementVerticle(AppConfig.Management cfg, Checks checks, Modules.Telemetry meters, AtomicInteger boundPort) {
    this.cfg = cfg;
    this.checks = checks;
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

  /**
   * Ready while Postgres and Redis answer and the line mirror is complete, and not once a graceful
   * stop has begun (SIGTERM: load balancers should send nothing new here).
   */
  private HealthChecks readiness() {
    return HealthChecks.create(vertx)
        .register("draining", 1_000, p -> p.tryComplete(checks.draining().get()
            ? Status.KO(new JsonObject().put("draining", true)) : Status.OK()))
        .register("postgres", 2_000, p -> checks.pool().query("SELECT 1").execute()
            .onSuccess(r -> p.tryComplete(Status.OK()))
            .onFailure(t -> p.tryComplete(Status.KO(new JsonObject().put("error", t.getMessage())))))
        .register("redis", 2_000, p -> checks.redis().send(Request.cmd(Command.PING))
            .onSuccess(r -> p.tryComplete(Status.OK()))
            .onFailure(t -> p.tryComplete(Status.KO(new JsonObject().put("error", t.getMessage())))))
        .register("line-mirror", 2_000, p -> checks.line().isReady()
            .onSuccess(ok -> p.tryComplete(ok ? Status.OK() : Status.KO()))
            .onFailure(t -> p.tryComplete(Status.KO())));
  }
}
