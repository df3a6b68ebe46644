package dev.virtualqueue.notify;

import dev.virtualqueue.auth.Role;
import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.http.Routes;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The stop link of every message: {@code GET /notifications/stop?t=&s=} shows a page with a confirm
 * button (link scanners fetch links; a fetch must not stop anything), and {@code POST} (that button,
 * or a mail client's RFC 8058 one-click unsubscribe) checks the signature and stops every message
 * for the ticket. A bad or missing signature is refused (403/400) and changes nothing.
 */
final class StopRoutes {
  static final String PATH = "/notifications/stop";
  private static final Pattern SIGNATURE = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final String CSP = "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none';"
      + " frame-ancestors 'none'";
  private final MailLinks links;
  private final MailStore store;

  StopRoutes(MailLinks links, MailStore store) {
    this.links = links;
    this.store = store;
  }

  void mount(Routes<Role> r) {
    r.open(HttpMethod.GET, PATH, this::confirm).open(HttpMethod.POST, PATH, this::stop);
  }

  private UUID verified(RoutingContext ctx) {
    String t = ctx.request().getParam("t");
    String s = ctx.request().getParam("s");
    UUID id;
    try {
      id = t != null && t.length() == 36 ? UUID.fromString(t) : null;
    } catch (IllegalArgumentException e) {
      id = null;
    }
    if (id == null || s == null || !SIGNATURE.matcher(s).matches()) {
      throw new ApiException.BadRequest("notifications.invalid_link", "This is not a stop link of ours.");
    }
    if (!links.verifyStop(id, s)) {
      throw new ApiException.Forbidden("notifications.invalid_signature", "This stop link is not valid.");
    }
    return id;
  }

  private void confirm(RoutingContext ctx) {
    UUID id = verified(ctx);
    String action = PATH + "?t=" + id + "&amp;s=" + ctx.request().getParam("s");
    page(ctx, 200, "Stop messages?", "<p>Stop every e-mail about this ticket? You keep your place in line.</p>"
        + "<form method=\"post\" action=\"" + action + "\"><button type=\"submit\" class=\"primary big\">"
        + "Stop messages</button></form>");
  }

  private void stop(RoutingContext ctx) {
    UUID id = verified(ctx);
    store.stop(id)
        .onSuccess(found -> {
          if (!found) {
            ctx.fail(new ApiException.NotFound("ticket.not_found", "No such ticket."));
          } else {
            page(ctx, 200, "Messages stopped", "<p>You will get no more e-mail about this ticket."
                + " Your place in line is kept.</p>");
          }
        })
        .onFailure(ctx::fail);
  }

  private static void page(RoutingContext ctx, int status, String title, String body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader("Content-Security-Policy", CSP)
        .end("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + title + "</title>"
            + "<link rel=\"stylesheet\" href=\"/assets/app.css\"></head><body><main class=\"narrow\"><h1>" + title
            + "</h1>" + body + "</main></body></html>");
  }
}
