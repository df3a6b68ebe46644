package dev.virtualqueue.metrics;

import dev.virtualqueue.Services;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.concurrent.atomic.AtomicInteger;

/** The management port: /metrics for Prometheus, /health/live and /health/ready. */
public final class ManagementVerticle extends VerticleBase {
  private final Services services;
  private final AtomicInteger boundPort;

  public ManagementVerticle(Services services, AtomicInteger boundPort) {
    this.services = services;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    HealthChecks ready = HealthChecks.create(vertx)
        .register("postgres", 2_000, p -> services.pool().query("SELECT 1").execute()
            .onSuccess(r -> p.tryComplete(Status.OK()))
            .onFailure(t -> p.tryComplete(Status.KO(new io.vertx.core.json.JsonObject().put("error", t.getMessage())))))
        .register("redis", 2_000, p -> services.redis().send(Request.cmd(Command.PING))
            .onSuccess(r -> p.tryComplete(Status.OK()))
            .onFailure(t -> p.tryComplete(Status.KO(new io.vertx.core.json.JsonObject().put("error", t.getMessage())))))
        .register("line-mirror", 2_000, p -> services.line().isReady()
            .onSuccess(ok -> p.tryComplete(ok ? Status.OK() : Status.KO()))
            .onFailure(t -> p.tryComplete(Status.KO())));
    Router router = Router.router(vertx);
    router.route().handler(services.verticles().httpHandler("management"));
    router.get("/health/live").handler(ctx -> ctx.json(new io.vertx.core.json.JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(ready));
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(services.registry().scrape()));
    var cfg = services.config().management();
    return vertx.createHttpServer(new HttpServerOptions().setHost(cfg.host()).setIdleTimeout(60)
            .setHttp2ClearTextEnabled(false))
        .requestHandler(router).listen(cfg.port())
        .onSuccess(s -> boundPort.set(s.actualPort()));
  }
}
