package dev.virtualqueue.http;

import dev.virtualqueue.Services;
import dev.virtualqueue.counter.CounterRoutes;
import dev.virtualqueue.queue.PublicQueueRoutes;
import dev.virtualqueue.queue.QueueRoutes;
import dev.virtualqueue.ticket.TicketRoutes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import dev.virtualqueue.live.LiveRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.util.concurrent.atomic.AtomicInteger;

/** The public API (and later pages and WebSockets). One instance per event loop; it only wires. */
public final class HttpVerticle extends VerticleBase {
  private final Services services;
  private final AtomicInteger boundPort;
  private io.vertx.core.buffer.Buffer openApi;
  private LiveRegistry live;

  public HttpVerticle(Services services, AtomicInteger boundPort) {
    this.services = services;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    return vertx.fileSystem().readFile("openapi/openapi.json").compose(doc -> {
      openApi = doc;
      return listen();
    });
  }

  /** Graceful shutdown: live clients are told to reconnect elsewhere (close code 1001). */
  @Override
  public Future<?> stop() {
    if (live != null) {
      live.shutdown();
    }
    return Future.succeededFuture();
  }

  /**
   * Tells HTTP/1.1 clients to drop an idle connection before the server's idle timeout does. A
   * request a client sends on a connection at the very moment the server closes it fails ("Connection
   * was closed") or, on some clients, is lost without an answer; advertising a shorter keep-alive
   * ({@code Keep-Alive: timeout=N}, honoured by the Vert.x client, curl and browsers) makes the
   * client the side that closes.
   */
  static io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> keepAliveHint(int idleTimeoutSeconds) {
    String value = "timeout=" + Math.max(1, idleTimeoutSeconds - Math.max(1, idleTimeoutSeconds / 4));
    return ctx -> {
      if (ctx.request().version() == io.vertx.core.http.HttpVersion.HTTP_1_1) {
        ctx.response().putHeader("Keep-Alive", value);
      }
      ctx.next();
    };
  }

  private Future<HttpServer> listen() {
    var cfg = services.config().http();
    Router router = Router.router(vertx);
    // a request still unanswered after this gets 503 request.timeout (FailureHandler) instead of
    // holding its client, and the client's connection, for good (a platform handler: its own route)
    router.route().handler(TimeoutHandler.create(cfg.requestTimeoutSeconds() * 1000L, 503));
    router.route().handler(new RequestIds()).handler(services.verticles().httpHandler("http"))
        .handler(keepAliveHint(cfg.idleTimeoutSeconds())).handler(new UriCheck());
    // no path on these: a path would become part of every request's route label in the metrics
    router.route().handler(new ApiGuards()); // before the body is read: a body it refuses is never read
    router.route().handler(BodyHandler.create(false).setBodyLimit(cfg.bodyLimitBytes()));
    router.get("/api/v1/openapi.json").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "public, max-age=300")
        .end(openApi));
    Routes routes = new Routes(router, services.auth());
    services.auth().mount(router);
    new QueueRoutes(services.queues(), services.tickets()).mount(routes);
    new CounterRoutes(services.counters(), services.calls(), services.tickets()).mount(routes);
    new TicketRoutes(services.joins(), services.tickets(), services.calls()).mount(routes);
    new PublicQueueRoutes(services.queues(), services.tickets()).mount(routes);
    PageRoutes.mount(router);
    services.verticles().serverErrorsAtZero(router);
    router.route().last().handler(UnmatchedRoute.of(router));
    router.route().failureHandler(new FailureHandler(services.metrics(), cfg.requestTimeoutSeconds()));

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
    if (cfg.sendBufferBytes() > 0) {
      // fixed kernel send buffer per connection; 0 leaves it to the kernel's autotuning
      options.setSendBufferSize(cfg.sendBufferBytes());
    }
    HttpServer server = StrictHttp1.apply(vertx.createHttpServer(options), options,
        cfg.requestHeadTimeoutSeconds() * 1000L).requestHandler(router);
    live = services.live().attach(server);
    return server.listen(cfg.port())
        .onSuccess(s -> boundPort.compareAndSet(0, s.actualPort()));
  }
}
