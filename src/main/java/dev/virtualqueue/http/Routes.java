package dev.virtualqueue.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Declares routes as a table: every staff route names the least role allowed, and gets
 * authentication and the role check as separate handlers before its own. Which roles exist and
 * how they are checked is the auth feature's business: it hands in both handlers. Every staff
 * route that is not a GET also gets the audit step ({@code audit}: one handler per method and
 * path) between the role check and its own handler, so no mutating route can skip the audit log.
 *
 * @param <R> the role type
 */
public final class Routes<R> {
  private final Router router;
  private final Handler<RoutingContext> authenticate;
  private final Function<R, Handler<RoutingContext>> require;
  private final BiFunction<HttpMethod, String, Handler<RoutingContext>> audit;

  public Routes(Router router, Handler<RoutingContext> authenticate, Function<R, Handler<RoutingContext>> require,
                BiFunction<HttpMethod, String, Handler<RoutingContext>> audit) {
    this.router = router;
    this.authenticate = authenticate;
    this.require = require;
    this.audit = audit;
  }

  /**
   * A staff/API-key route: authenticate, require {@code role}, then (for every method but GET) the
   * audit step, then {@code handler}.
   */
  public Routes<R> staff(HttpMethod method, String path, R role, Handler<RoutingContext> handler) {
    Route route = router.route(method, path).handler(authenticate).handler(require.apply(role));
    if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
      route.handler(audit.apply(method, path));
    }
    route.handler(handler);
    return this;
  }

  /** A route open to anyone (the handler checks a ticket token itself where needed). */
  public Routes<R> open(HttpMethod method, String path, Handler<RoutingContext> handler) {
    router.route(method, path).handler(handler);
    return this;
  }

  public Router router() {
    return router;
  }
}
