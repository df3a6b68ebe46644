package dev.virtualqueue.server;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web pages (start page, join and watch, kiosk, board, staff console) and their static assets, served
 * from {@code web/} on the classpath. Pages and assets are revalidated on every load (304 when
 * unchanged); versioned vendor libraries are cached for a day.
 */
public final class PageRoutes {
  /**
   * Pages load nothing but this server's own scripts, styles and sockets: no inline script, no
   * framing, no plugins, forms only to ourselves.
   */
  public static final String PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; font-src 'self'; media-src 'self'; object-src 'none'; "
      + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private PageRoutes() {
  }

  public static void mount(Router router) {
    page(router, "/", "index.html"); // the start page: links to every other page
    page(router, "/q/:tenantSlug/:queueSlug", "join.html");
    page(router, "/kiosk/:tenantSlug/:queueSlug", "kiosk.html");
    page(router, "/board/:queueId", "board.html");
    page(router, "/staff", "staff.html");
    // assets keep their names across releases: revalidate each time (cheap 304s) so a page never runs stale code
    router.route(HttpMethod.GET, "/assets/*").method(HttpMethod.HEAD).handler(PageRoutes::csp)
        .handler(ctx -> {
          ctx.addHeadersEndHandler(v -> ctx.response().headers().set(HttpHeaders.CACHE_CONTROL, "no-cache"));
          ctx.next();
        })
        .handler(StaticHandler.create("web/assets").setDirectoryListing(false).setIncludeHidden(false));
    // vendor libraries carry their version in the path: cache them for a day
    router.route(HttpMethod.GET, "/vendor/*").method(HttpMethod.HEAD).handler(PageRoutes::csp)
        .handler(StaticHandler.create("web/vendor").setMaxAgeSeconds(86_400).setDirectoryListing(false)
            .setIncludeHidden(false));
  }

  private static void page(Router router, String path, String file) {
    router.route(HttpMethod.GET, path).method(HttpMethod.HEAD).handler(ctx -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("Content-Security-Policy", PAGE_CSP)
        .sendFile("web/" + file)
        .onFailure(ctx::fail));
  }

  private static void csp(RoutingContext ctx) {
    ctx.response().putHeader("Content-Security-Policy", PAGE_CSP);
    ctx.next();
  }
}
