package dev.virtualqueue.http;

import dev.virtualqueue.common.ApiException;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/** Query parameters of paginated lists: {@code limit} (1..200, default 50) and {@code cursor}. */
public final class Paging {
  private static final Pattern NOT_PRINTABLE = Pattern.compile("[\\p{Cc}\\p{Cs}\\x{FFFD}\\x{FFFE}\\x{FFFF}]");

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

  /**
   * The cursor as sent, or null. Cursors this server issues are short printable text (a slug, an
   * email, a UUID, base64url), so anything longer or holding a control character (NUL, which
   * Postgres refuses in text) or a lone surrogate is refused here, before it reaches a query.
   */
  public static String cursor(RoutingContext ctx) {
    String c = ctx.request().getParam("cursor");
    if (c != null && (c.length() > 200 || NOT_PRINTABLE.matcher(c).find())) {
      throw new ApiException.BadRequest("request.invalid_cursor", "The cursor is not one this server issued.");
    }
    return c;
  }
}
