package dev.virtualqueue.server;

import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.http.ApiGuards;
import dev.virtualqueue.http.FailureHandler;
import dev.virtualqueue.http.RequestIds;
import dev.virtualqueue.http.StrictHttp1;
import dev.virtualqueue.http.UnmatchedRoute;
import dev.virtualqueue.http.UriCheck;
import dev.virtualqueue.limit.RateLimitHandler;
import dev.virtualqueue.limit.RateLimits;
import dev.virtualqueue.live.LiveModule;
import dev.virtualqueue.live.LiveRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The public API, the pages and the live sockets. One instance per event loop; it only wires. */
public final class HttpVerticle extends VerticleBase {
  private final AppConfig.Http cfg;
  private final ApiRoutes api;
  private final LiveModule liveModule;
  private final Modules.Telemetry meters;
  private final RateLimits limits;
  private final AtomicInteger boundPort;
  private Buffer openApi;
  private LiveRegistry live;
  private HttpServer server;

  HttpVerticle(AppConfig.Http cfg, ApiRoutes api, LiveModule live, Modules.Telemetry meters, RateLimits limits,
               AtomicInteger boundPort) {
    this.limits = limits;
    this.cfg = cfg;
    this.api = api;
    this.liveModule = live;
    this.meters = meters;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    return vertx.fileSystem().readFile("openapi/openapi.json").compose(doc -> {
      openApi = doc;
      return listen();
    });
  }

  /**
   * Graceful shutdown: live clients are told to reconnect elsewhere ({@code bye}, close code 1001),
   * the listener stops accepting, and requests under way may finish (at most the request timeout,
   * which bounds them anyway) before their connections close.
   */
  @Override
  public Future<?> stop() {
    if (live != null) {
      live.shutdown();
    }
    return server == null ? Future.succeededFuture() : server.shutdown(cfg.requestTimeoutSeconds(), TimeUnit.SECONDS);
  }

  /**
   * Tells HTTP/1.1 clients to drop an idle connection before the server's idle timeout does. A
   * request a client sends on a connection at the very moment the server closes it fails ("Connection
   * was closed") or, on some clients, is lost without an answer; advertising a shorter keep-alive
   * ({@code Keep-Alive: timeout=N}, honoured by the Vert.x client, curl and browsers) makes the
   * client the side that closes.
   */
  static Handler<RoutingContext> keepAliveHint(int idleTimeoutSeconds) {
    String value = "timeout=" + Math.max(1, idleTimeoutSeconds - Math.max(1, idleTimeoutSeconds / 4));
    return ctx -> {
      if (ctx.request().version() == HttpVersion.HTTP_1_1) {
        ctx.response().putHeader("Keep-Alive", value);
      }
      ctx.next();
    };
  }

  private Future<HttpServer> listen() {
    HttpServerOptions options = options();
    server = StrictHttp1.apply(vertx.createHttpServer(options), options,
        cfg.requestHeadTimeoutSeconds() * 1000L).requestHandler(router());
    live = liveModule.attach(server, limits);
    return server.listen(cfg.port())
        .onSuccess(s -> boundPort.compareAndSet(0, s.actualPort()));
  }

  private Router router() {
    Router router = Router.router(vertx);
    // a request still unanswered after this gets 503 request.timeout (FailureHandler) instead of
    // holding its client, and the client's connection, for good (a platform handler: its own route)
    router.route().handler(TimeoutHandler.create(cfg.requestTimeoutSeconds() * 1000L, 503));
    router.route().handler(new RequestIds()).handler(meters.verticles().httpHandler("http"))
        .handler(keepAliveHint(cfg.idleTimeoutSeconds())).handler(new SecureTransport(limits::fromTrustedProxy))
        .handler(new UriCheck());
    // no path on these: a path would become part of every request's route label in the metrics
    router.route().handler(new ApiGuards()); // before the body is read: a body it refuses is never read
    router.route().handler(BodyHandler.create(false).setBodyLimit(cfg.bodyLimitBytes()));
    // after the body (an async check before it would lose the body's first bytes), before every route
    router.route().handler(new RateLimitHandler(limits));
    router.get("/api/v1/openapi.json").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "public, max-age=300")
        .end(openApi));
    api.mount(router);
    PageRoutes.mount(router);
    meters.verticles().serverErrorsAtZero(router);
    router.route().last().handler(UnmatchedRoute.of(router));
    router.route().failureHandler(new FailureHandler(meters.business()::authFailed, cfg.requestTimeoutSeconds()));
    return router;
  }

  private HttpServerOptions options() {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(cfg.host())
        .setIdleTimeout(cfg.idleTimeoutSeconds())
        .setMaxHeaderSize(16 * 1024)
        .setMaxInitialLineLength(8 * 1024)
        .setCompressionSupported(true)
        .setHttp2ClearTextEnabled(false)
        .setMaxWebSocketFrameSize(4096)
        .setMaxWebSocketMessageSize(8192)
        // live messages are ~200 bytes: deflate would save little and cost a zlib context per
        // socket (gigabytes at 10,000 sockets) and as much CPU as the socket writes themselves
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
    if (cfg.tls()) {
      // HTTP/1.1 only (no ALPN for h2): the strict framing and the request head timeout (StrictHttp1)
      // guard the HTTP/1 decoder, and live sockets are HTTP/1.1 upgrades anyway (docs/operations.md)
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(cfg.tlsCertFile())
          .setKeyPath(cfg.tlsKeyFile()));
    }
    if (cfg.sendBufferBytes() > 0) {
      // fixed kernel send buffer per connection; 0 leaves it to the kernel's autotuning
      options.setSendBufferSize(cfg.sendBufferBytes());
    }
    return options;
  }
}
