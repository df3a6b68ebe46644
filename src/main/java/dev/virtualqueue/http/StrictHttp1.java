package dev.virtualqueue.http;

import dev.virtualqueue.common.Json;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts {@link StrictRequestDecoder} on every HTTP/1 connection of a server and answers the requests
 * it (or Netty) could not frame with a problem, then closes their connection: after a framing error
 * no later byte on it can be trusted to start a request.
 *
 * <p>Vert.x offers no hook for the decoder, so this reaches into its connection class for the Netty
 * pipeline; {@code StrictHttpIT} fails if a Vert.x upgrade moves it.
 */
public final class StrictHttp1 {
  private static final Logger LOG = LoggerFactory.getLogger(StrictHttp1.class);
  /** The name Vert.x gives its HTTP/1 request decoder in the pipeline. */
  private static final String DECODER = "httpDecoder";
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private StrictHttp1() {
  }

  /** Installs the strict decoder on each new connection of {@code server} and the invalid-request answer. */
  public static HttpServer apply(HttpServer server, HttpServerOptions options, long headTimeoutMillis) {
    return server.connectionHandler(conn -> install(conn, options, headTimeoutMillis))
        .invalidRequestHandler(StrictHttp1::refuse);
  }

  private static void install(HttpConnection conn, HttpServerOptions options, long headTimeoutMillis) {
    ChannelPipeline pipeline = conn instanceof ConnectionBase base ? base.channel().pipeline() : null;
    if (pipeline != null && pipeline.get(DECODER) instanceof HttpRequestDecoder) {
      pipeline.replace(DECODER, DECODER, new StrictRequestDecoder(options, headTimeoutMillis));
    } else if (WARNED.compareAndSet(false, true)) {
      LOG.error("strict HTTP/1 framing and the request head timeout are NOT active: no '{}' in the pipeline of {}",
          DECODER, conn.getClass().getName());
    }
  }

  /** A request whose line or headers could not be decoded: a problem with a code, and the connection closed. */
  static void refuse(HttpServerRequest request) {
    DecoderResult result = request.decoderResult();
    Throwable cause = result == null ? null : result.cause();
    // Netty names a request whose line it could not read "/bad-request"
    String path = request.path() == null ? "/" : request.path();
    Problem problem;
    if (cause instanceof StrictRequestDecoder.FramingException f) {
      problem = Problem.of(400, "Bad request", f.code(), f.getMessage(), path, null);
    } else if (cause instanceof TooLongHttpLineException) {
      problem = Problem.of(414, "URI too long", "request.uri_too_long", "The request line is too long.", path, null);
    } else if (cause instanceof TooLongHttpHeaderException) {
      problem = Problem.of(431, "Request header fields too large", "request.headers_too_large",
          "The request headers are too large.", path, null);
    } else {
      problem = Problem.of(400, "Bad request", "request.malformed", "The request could not be read as HTTP/1.1.",
          path, null);
    }
    LOG.debug("refused an unreadable request from {}: {} ({})", request.remoteAddress(), problem.code(),
        String.valueOf(cause));
    request.response().setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.CONTENT_TYPE)
        .putHeader(HttpHeaders.CONNECTION, "close")
        .putHeader("X-Content-Type-Options", "nosniff")
        .end(Json.write(problem))
        .onComplete(ar -> request.connection().close());
  }
}
