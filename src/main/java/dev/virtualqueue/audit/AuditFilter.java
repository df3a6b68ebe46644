package dev.virtualqueue.audit;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.http.Paging;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The filters of {@code GET /api/v1/audit} and its export: {@code action}, {@code actor},
 * {@code target} (a target id), {@code from} and {@code to} (RFC 3339 instants, from inclusive, to
 * exclusive), and the cursor (a seq: the page holds older entries).
 */
record AuditFilter(String action, String actor, String target, OffsetDateTime from, OffsetDateTime to, Long before) {

  static AuditFilter of(RoutingContext ctx) {
    return new AuditFilter(text(ctx, "action"), text(ctx, "actor"), text(ctx, "target"), time(ctx, "from"),
        time(ctx, "to"), cursor(ctx));
  }

  AuditFilter before(long seq) {
    return new AuditFilter(action, actor, target, from, to, seq);
  }

  private static String text(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    if (v != null && (v.length() > 200 || v.chars().anyMatch(Character::isISOControl))) {
      throw new ApiException.BadRequest("request.invalid_query", "'" + name + "' is not a valid filter.");
    }
    return v == null || v.isEmpty() ? null : v;
  }

  private static OffsetDateTime time(RoutingContext ctx, String name) {
    String v = text(ctx, name);
    try {
      return v == null ? null : OffsetDateTime.parse(v);
    } catch (DateTimeParseException e) {
      throw new ApiException.BadRequest("request.invalid_query", "'" + name + "' must be an RFC 3339 time.");
    }
  }

  private static Long cursor(RoutingContext ctx) {
    String raw = Paging.cursor(ctx);
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new ApiException.BadRequest("request.invalid_cursor", "The cursor is not one this server issued.");
    }
  }
}
