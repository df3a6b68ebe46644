package dev.virtualqueue.http;

import dev.virtualqueue.common.ApiException;
import io.vertx.ext.web.RoutingContext;

/** Query parameters of paginated lists: {@code limit} (1..200, default 50) and {@code cursor}. */
public final class Paging {
  private Paging() {
  }

  public static int limit(RoutingContext ctx) {
    String raw = ctx.request().getParam("limit");
    if (raw == null) {
      return 50;
    }
    try {
      int n = Integer.parseInt(raw);
      if (n >= 1 && n <= 200) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new ApiException.BadRequest("request.invalid_limit", "limit must be a whole number from 1 to 200.");
  }

  public static String cursor(RoutingContext ctx) {
    String c = ctx.request().getParam("cursor");
    if (c != null && c.length() > 200) {
      throw new ApiException.BadRequest("request.invalid_cursor", "The cursor is not one this server issued.");
    }
    return c;
  }
}
