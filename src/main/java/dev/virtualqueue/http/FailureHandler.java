package dev.virtualqueue.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Errors;
import dev.virtualqueue.common.Json;
import io.netty.handler.codec.DecoderException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.redis.client.impl.types.ErrorType;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler: typed exceptions become problem+json with their status and code;
 * framework errors (404, 405, 413) get codes too; a request over the time limit gets 503
 * {@code request.timeout}; anything else is a logged 500.
 */
public final class FailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);
  private final Consumer<String> refusals;
  private final int requestTimeoutSeconds;

  /** {@code refusals} is told the code of every typed refusal (authentication failures are counted from it). */
  public FailureHandler(Consumer<String> refusals, int requestTimeoutSeconds) {
    this.refusals = refusals;
    this.requestTimeoutSeconds = requestTimeoutSeconds;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (response.ended()) {
      // the work of a request already answered (timed out) failed later: nothing left to tell
      LOG.debug("request {} failed after its answer: {}", ctx.get(RequestIds.KEY), String.valueOf(ctx.failure()));
      return;
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    Throwable failure = ctx.failure();
    Problem problem = failure instanceof ApiException api ? fromApi(ctx, api) : fromOther(ctx, failure);
    if (failure instanceof ApiException.Unavailable u) {
      response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(u.retryAfterSeconds()));
    } else if (failure instanceof ApiException.TooManyRequests t) {
      response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(t.retryAfterSeconds()));
    } else if (failure instanceof ApiException.MethodNotAllowed m) {
      response.putHeader(HttpHeaders.ALLOW, m.allow());
    }
    response.setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.CONTENT_TYPE)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(Json.write(problem));
  }

  private Problem fromApi(RoutingContext ctx, ApiException e) {
    refusals.accept(e.code());
    LOG.debug("{} {} -> {} {}", ctx.request().method(), ctx.request().path(), e.status(), e.code());
    Map<String, Object> extra = e instanceof ApiException.Conflict c && c.extension() != null
        ? Map.of("existing", c.extension()) : null;
    return Problem.of(e.status(), e.title(), e.code(), e.getMessage(), ctx.request().path(), extra);
  }

  private Problem fromOther(RoutingContext ctx, Throwable failure) {
    int status = failure instanceof HttpException h ? h.getStatusCode() : ctx.statusCode();
    if (failure instanceof DecoderException || failure instanceof JsonProcessingException) {
      status = 400;
    }
    String path = ctx.request().path();
    return switch (status) {
      case 400 -> Problem.of(400, "Bad request", "request.malformed", "The request could not be read.", path, null);
      case 401 -> Problem.of(401, "Unauthorized", "auth.missing_token", "Sign in first.", path, null);
      case 403 -> Problem.of(403, "Forbidden", "auth.forbidden", "Not allowed.", path, null);
      case 404 -> Problem.of(404, "Not found", "route.not_found", "No such resource.", path, null);
      case 405 -> Problem.of(405, "Method not allowed", "route.method_not_allowed",
          "This resource does not accept " + ctx.request().method() + ".", path, null);
      case 413 -> Problem.of(413, "Payload too large", "request.too_large",
          "The request body is larger than allowed.", path, null);
      case 415 -> Problem.of(415, "Unsupported media type", "request.unsupported_media_type",
          "Send application/json.", path, null);
      case 503 -> timedOut(ctx, path);
      default -> serverError(ctx, failure, status);
    };
  }

  /** TimeoutHandler gave up on the request (the only source of a bare 503). */
  private Problem timedOut(RoutingContext ctx, String path) {
    LOG.warn("request {} {} {} got no answer within {} s: answered 503 request.timeout", ctx.get(RequestIds.KEY),
        ctx.request().method(), path, requestTimeoutSeconds);
    ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "2");
    return Problem.of(503, "Service unavailable", "request.timeout",
        "The request took longer than " + requestTimeoutSeconds + " s; retry shortly.", path, null);
  }

  private Problem serverError(RoutingContext ctx, Throwable failure, int status) {
    if (failure instanceof ErrorType || Errors.isUnavailable(failure)) {
      LOG.warn("request {} {} failed on a backing store: {}", ctx.get(RequestIds.KEY), ctx.request().path(),
          String.valueOf(failure));
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "2");
      return Problem.of(503, "Service unavailable", "store.unavailable",
          "A backing store is unavailable; retry shortly (a join with the same Idempotency-Key).", ctx.request().path(), null);
    }
    LOG.error("request {} {} {} failed", ctx.get(RequestIds.KEY), ctx.request().method(), ctx.request().path(), failure);
    int code = status >= 500 ? status : 500;
    return Problem.of(code, "Internal error", "server.error",
        "Something went wrong; request id " + ctx.get(RequestIds.KEY) + ".", ctx.request().path(), null);
  }
}
