package dev.virtualqueue.http;

import dev.virtualqueue.common.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/** Checks that run before every handler: JSON content type on bodies and security headers. */
public final class ApiGuards implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response()
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer");
    if (ctx.request().path().startsWith("/api/")) {
      // API answers are data, never documents: nothing may load from them (pages set their own policy)
      ctx.response().putHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }
    HttpMethod m = ctx.request().method();
    boolean hasBody = ctx.body() != null && ctx.body().length() > 0;
    if (hasBody && (m == HttpMethod.POST || m == HttpMethod.PATCH || m == HttpMethod.PUT)) {
      String type = ctx.request().getHeader("Content-Type");
      if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
        ctx.fail(new ApiException.BadRequest("request.unsupported_media_type", "Send the body as application/json."));
        return;
      }
    }
    ctx.next();
  }
}
