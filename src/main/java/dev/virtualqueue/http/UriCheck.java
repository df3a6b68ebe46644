package dev.virtualqueue.http;

import dev.virtualqueue.common.ApiException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Decodes the path and the query string once, before any route reads them. A malformed percent
 * escape ({@code /queues/%zz}, {@code ?limit=%}, {@code ?a=%zz}) makes the decoder throw wherever
 * the value is first read: in route matching that is a bare-text 400 from the router, in a
 * handler a 500. Here it is one 400 problem with a code.
 */
public final class UriCheck implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    try {
      ctx.normalizedPath();
    } catch (IllegalArgumentException e) {
      ctx.fail(new ApiException.BadRequest("request.malformed_path",
          "The path has a malformed percent escape; encode '%' as '%25'."));
      return;
    }
    if (ctx.request().query() != null) {
      try {
        ctx.request().params();
      } catch (IllegalArgumentException e) {
        ctx.fail(new ApiException.BadRequest("request.malformed_query",
            "The query string has a malformed percent escape; encode '%' as '%25'."));
        return;
      }
    }
    ctx.next();
  }
}
