package dev.virtualqueue.limit;

import dev.virtualqueue.common.Json;
import dev.virtualqueue.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies an API request into its limiter (public join, ticket read, login, staff writes) and,
 * for API-key traffic, the key's own limiter; answers 429 {@code rate_limited} with
 * {@code Retry-After}, {@code RateLimit-Policy} and {@code RateLimit} when a bucket is empty, before
 * any route runs (a refused request changes nothing).
 */
public final class RateLimitHandler implements Handler<RoutingContext> {
  private static final Pattern JOIN = Pattern.compile("^/api/v1/public/([^/]+)/queues/([^/]+)/tickets/?$");
  /** A tenant slug as the schema allows it; anything else is no tenant (the route answers 404). */
  private static final Pattern TENANT_SLUG = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");
  private static final Pattern TICKET = Pattern.compile("^/api/v1/tickets/[^/]+(/.*)?$");
  private static final String LOGIN = "/api/v1/auth/login";
  /** Setting a password with a one-time link: public, so it shares the sign-in limiter. */
  private static final String RESET = "/api/v1/auth/reset-password";
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
    List<Supplier<Future<Named>>> checks = new ArrayList<>();
    Matcher join = JOIN.matcher(req.path());
    if (RateLimits.JOIN.equals(name) && join.matches()) {
      // the address first: one address's flood must not drain its tenant's bucket
      checks.add(() -> joinOfAddress(join.group(1), join.group(2), client));
      if (TENANT_SLUG.matcher(join.group(1)).matches()) {
        checks.add(() -> named(RateLimits.TENANT_JOIN, limits.check(RateLimits.TENANT_JOIN, join.group(1))));
      }
    } else if (name != null) {
      checks.add(() -> named(name, limits.check(name, client)));
    }
    if (apiKey) {
      String keyId = RateLimits.keyId(auth.substring(7).trim());
      checks.add(() -> named(RateLimits.API_KEY, limits.check(RateLimits.API_KEY, keyId)));
    }
    run(checks, 0, null).onComplete(ar -> answer(ctx, ar.result()));
  }

  /** A limiter's decision with its name, and the policy it applied (for the headers). */
  private record Named(String name, Limit limit, Decision decision) {
  }

  private Future<Named> named(String name, Future<Decision> d) {
    return d.map(x -> new Named(name, limits.limit(name), x));
  }

  /** The join limit of the queue when it has one of its own, else the server's, per address. */
  private Future<Named> joinOfAddress(String tenantSlug, String queueSlug, String client) {
    return limits.queueJoinLimit(tenantSlug, queueSlug).compose(own -> own == null
        ? named(RateLimits.JOIN, limits.check(RateLimits.JOIN, client))
        : limits.check(own.limit(), own.scope(), client).map(d -> new Named(RateLimits.JOIN, own.limit(), d)));
  }

  /**
   * Runs the checks in order until one refuses (its answer) or all allow (the first one's
   * headers); a later check's bucket is not touched by a request an earlier one refused.
   */
  private static Future<Named> run(List<Supplier<Future<Named>>> checks, int i, Named first) {
    if (i == checks.size()) {
      return Future.succeededFuture(first);
    }
    return checks.get(i).get().compose(n -> !n.decision().allowed() ? Future.succeededFuture(n)
        : run(checks, i + 1, first == null ? n : first));
  }

  private void answer(RoutingContext ctx, Named n) {
    if (ctx.response().ended()) {
      return;
    }
    if (n == null) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("RateLimit-Policy", n.limit().policyHeader())
        .putHeader("RateLimit", n.decision().header(n.name()));
    if (n.decision().allowed()) {
      ctx.next();
      return;
    }
    String whose = RateLimits.TENANT_JOIN.equals(n.name()) ? "for this organisation" : "from this client";
    Problem p = Problem.of(429, "Too many requests", "rate_limited", "Too many requests " + whose + " ("
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
    if (m == HttpMethod.POST && (path.equals(LOGIN) || path.equals(RESET) || path.equals(LOGIN_SECOND_FACTOR))) {
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
