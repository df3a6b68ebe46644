package dev.virtualqueue.http;

import dev.virtualqueue.common.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks that run before every handler, and before the body is read: security headers, and JSON as
 * the only body type (415 otherwise).
 */
public final class ApiGuards implements Handler<RoutingContext> {
  /** The one route that takes a form body: the stop link of messages (notify/StopRoutes). */
  private static final String ONE_CLICK = "/notifications/stop";
  /** A structured-syntax type: RFC 6838 restricted-name characters, then {@code +json}. */
  private static final Pattern JSON_SUFFIX = Pattern.compile("application/[a-z0-9][a-z0-9!#$&^_.-]{0,110}\\+json");

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
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    boolean writes = m == HttpMethod.POST || m == HttpMethod.PATCH || m == HttpMethod.PUT;
    if (ONE_CLICK.equals(ctx.request().path()) && m == HttpMethod.POST && isUrlEncoded(type)) {
      ctx.next(); // RFC 8058 one-click unsubscribe: mail clients POST "List-Unsubscribe=One-Click" as a form
      return;
    }
    if (isForm(type) || writes && declaresBody(ctx) && !isJson(type)) {
      ctx.fail(new ApiException.UnsupportedMediaType("request.unsupported_media_type",
          "Send the body as application/json."));
      return;
    }
    ctx.next();
  }

  /** From the head alone: this runs before the body is read, so a body we will not take is never read. */
  private static boolean declaresBody(RoutingContext ctx) {
    String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    return length != null && !length.equals("0") || ctx.request().headers().contains(HttpHeaders.TRANSFER_ENCODING);
  }

  /**
   * Form types make the body handler decode the body as a form (and throw on a GET): the API reads
   * JSON only, so they are refused on every method before the body handler sees them.
   */
  private static boolean isForm(String contentType) {
    String t = contentType == null ? "" : contentType.strip().toLowerCase(Locale.ROOT);
    return t.startsWith("multipart/") || t.startsWith("application/x-www-form-urlencoded");
  }

  private static boolean isUrlEncoded(String contentType) {
    return contentType == null || contentType.strip().toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
  }

  /**
   * {@code application/json} or a structured {@code application/<name>+json} (RFC 6839), with or
   * without parameters such as charset; a mere prefix ({@code application/jsonx}) is not JSON.
   */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip()
        .toLowerCase(Locale.ROOT);
    return type.equals("application/json") || JSON_SUFFIX.matcher(type).matches();
  }
}
