package dev.virtualqueue.limit;

import dev.virtualqueue.common.Json;
import dev.virtualqueue.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * Classifies an API request into its limiter (public join, ticket read, login, staff writes) and,
 * for API-key traffic, the key's own limiter; answers 429 {@code rate_limited} with
 * {@code Retry-After}, {@code RateLimit-Policy} and {@code RateLimit} when a bucket is empty, before
 * any route runs (a refused request changes nothing).
 */
public final class RateLimitHandler implements Handler<RoutingContext> {
  private static final Pattern JOIN = Pattern.compile("^/api/v1/public/[^/]+/queues/[^/]+/tickets/?$");
  private static final Pattern TICKET = Pattern.compile("^/api/v1/tickets/[^/]+(/.*)?$");
  private static final String LOGIN = "/api/v1/auth/login";
  /** The second step of a sign-in (a code for a challenge) shares the sign-in's budget. */
  private static final String LOGIN_SECOND_FACTOR = "/api/v1/auth/login/2fa";
  private static final String API_KEY_MARK = "Bearer vq_";

  private final RateLimits limits;

  public RateLimitHandler(RateLimits limits) {
    this.limits = limits;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    String name = limiterOf(req);
    String auth = req.getHeader(HttpHeaders.AUTHORIZATION);
    boolean apiKey = auth != null && auth.startsWith(API_KEY_MARK);
    if (!limits.enabled() || name == null && !apiKey) {
      ctx.next();
      return;
    }
    String client = limits.client(req.remoteAddress() == null ? null : req.remoteAddress().hostAddress(),
        req.getHeader("X-Forwarded-For"));
    Future<Decision> first = name == null ? Future.succeededFuture(null) : limits.check(name, client);
    first.compose(d -> d != null && !d.allowed() || !apiKey ? Future.succeededFuture(d == null ? null : new Named(name, d))
            : limits.check(RateLimits.API_KEY, RateLimits.keyId(auth.substring(7).trim()))
                .map(k -> k.allowed() && d != null ? new Named(name, d) : new Named(RateLimits.API_KEY, k)))
        .onComplete(ar -> answer(ctx, ar.result()));
  }

  private record Named(String name, Decision decision) {
  }

  private void answer(RoutingContext ctx, Named n) {
    if (ctx.response().ended()) {
      return;
    }
    if (n == null) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("RateLimit-Policy", limits.limit(n.name()).policyHeader())
        .putHeader("RateLimit", n.decision().header(n.name()));
    if (n.decision().allowed()) {
      ctx.next();
      return;
    }
    Problem p = Problem.of(429, "Too many requests", "rate_limited", "Too many requests from this client ("
        + n.name() + "); retry after " + n.decision().retryAfterSeconds() + " s.", ctx.request().path(), null);
    ctx.response().setStatusCode(429)
        .putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(n.decision().retryAfterSeconds()))
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.CONTENT_TYPE)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(Json.write(p));
  }

  /** The per-address limiter of a request, or null when none applies. */
  static String limiterOf(HttpServerRequest req) {
    String path = req.path();
    HttpMethod m = req.method();
    if (m == HttpMethod.POST && JOIN.matcher(path).matches()) {
      return RateLimits.JOIN;
    }
    if (m == HttpMethod.POST && (path.equals(LOGIN) || path.equals(LOGIN_SECOND_FACTOR))) {
      return RateLimits.LOGIN;
    }
    if ((m == HttpMethod.GET || m == HttpMethod.HEAD) && TICKET.matcher(path).matches()) {
      return RateLimits.TICKET_READ;
    }
    boolean mutating = m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH || m == HttpMethod.DELETE;
    if (mutating && path.startsWith("/api/v1/") && req.getHeader(HttpHeaders.AUTHORIZATION) != null) {
      return RateLimits.STAFF_WRITE;
    }
    return null;
  }
}
