package dev.virtualqueue.http;

import dev.virtualqueue.auth.AuthModule;
import dev.virtualqueue.auth.Role;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Declares routes as a table: every staff route names the least role allowed, and gets
 * authentication and the role check as separate handlers before its own.
 */
public final class Routes {
  private final Router router;
  private final AuthModule auth;

  public Routes(Router router, AuthModule auth) {
    this.router = router;
    this.auth = auth;
  }

  /** A staff/API-key route: authenticate, require {@code role}, then {@code handler}. */
  public Routes staff(HttpMethod method, String path, Role role, Handler<RoutingContext> handler) {
    router.route(method, path).handler(auth.authenticate()).handler(AuthModule.require(role)).handler(handler);
    return this;
  }

  /** A route open to anyone (the handler checks a ticket token itself where needed). */
  public Routes open(HttpMethod method, String path, Handler<RoutingContext> handler) {
    router.route(method, path).handler(handler);
    return this;
  }

  public Router router() {
    return router;
  }
}
