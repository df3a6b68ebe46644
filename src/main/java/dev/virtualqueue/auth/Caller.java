package dev.virtualqueue.auth;

import dev.virtualqueue.common.ApiException;
import io.vertx.ext.web.RoutingContext;

/** The authenticated caller of a request, as {@link AuthHandler} stored it in the routing context. */
public final class Caller {
  static final String KEY = "principal";

  private Caller() {
  }

  /** The caller of a staff route; a request that reached it unauthenticated is a 401. */
  public static Principal of(RoutingContext ctx) {
    Principal p = ctx.get(KEY);
    if (p == null) {
      throw new ApiException.Unauthorized("auth.missing_token", "Sign in first.");
    }
    return p;
  }
}
