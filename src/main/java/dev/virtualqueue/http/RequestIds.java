package dev.virtualqueue.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** Gives every request an id (or keeps a sane incoming X-Request-Id) and echoes it back. */
public final class RequestIds implements Handler<RoutingContext> {
  public static final String KEY = "requestId";
  public static final String HEADER = "X-Request-Id";

  @Override
  public void handle(RoutingContext ctx) {
    String incoming = ctx.request().getHeader(HEADER);
    String id = incoming != null && incoming.matches("[A-Za-z0-9._-]{1,64}") ? incoming : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }
}
