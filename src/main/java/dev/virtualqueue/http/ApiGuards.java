package dev.virtualqueue.http;

import dev.virtualqueue.common.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checks that run before every handler: JSON content type on bodies and security headers. */
public final class ApiGuards implements Handler<RoutingContext> {
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
    boolean hasBody = ctx.body() != null && ctx.body().length() > 0;
    if (hasBody && (m == HttpMethod.POST || m == HttpMethod.PATCH || m == HttpMethod.PUT)) {
      if (!isJson(ctx.request().getHeader("Content-Type"))) {
        ctx.fail(new ApiException.UnsupportedMediaType("request.unsupported_media_type",
            "Send the body as application/json."));
        return;
      }
    }
    ctx.next();
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
