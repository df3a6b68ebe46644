package dev.virtualqueue.live;

import dev.virtualqueue.line.PresenceStore;
import dev.virtualqueue.ticket.TicketService;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

/** What the live objects of one event loop share: its context, the services and the settings. */
record LiveContext(Vertx vertx, Context context, OrderSource orders, TicketService tickets, LiveMetrics metrics,
                   long coalesceMillis, PresenceStore presence) {

  /** Runs {@code handler} with the outcome of {@code future}, always on this event loop. */
  <T> void onContext(Future<T> future, Handler<AsyncResult<T>> handler) {
    future.onComplete(ar -> {
      if (Vertx.currentContext() == context) {
        handler.handle(ar);
      } else {
        context.runOnContext(v -> handler.handle(ar));
      }
    });
  }
}
