package dev.virtualqueue.http;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Json;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;

/** Small helpers every handler uses: typed path parameters and JSON responses. */
public final class Ctx {
  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private Ctx() {
  }

  /** A slug path parameter (a tenant's or a queue's); a malformed one is reported as "no such thing". */
  public static String slug(RoutingContext ctx, String name, String what) {
    String s = ctx.pathParam(name);
    if (s == null || !SLUG.matcher(s).matches()) {
      throw new ApiException.NotFound(what + ".not_found", "No such " + what + ".");
    }
    return s;
  }

  /** A UUID path parameter; a malformed one is reported as "no such thing". */
  public static UUID uuid(RoutingContext ctx, String name, String what) {
    String raw = ctx.pathParam(name);
    try {
      if (raw != null && raw.length() == 36) {
        return UUID.fromString(raw);
      }
    } catch (IllegalArgumentException ignored) {
      // fall through
    }
    throw new ApiException.NotFound(what + ".not_found", "No such " + what + ".");
  }

  public static void json(RoutingContext ctx, int status, Object body) {
    json(ctx, status, body, "no-store");
  }

  /** A JSON answer that caches may keep as {@code cacheControl} says (public, unchanging data only). */
  public static void json(RoutingContext ctx, int status, Object body, String cacheControl) {
    if (ctx.response().ended()) {
      return; // answered already: the request timed out (503 request.timeout) before this finished
    }
    ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, cacheControl)
        .end(Json.write(body));
  }

  public static void noContent(RoutingContext ctx) {
    if (ctx.response().ended()) {
      return; // see json()
    }
    ctx.response().setStatusCode(204).end();
  }
}
