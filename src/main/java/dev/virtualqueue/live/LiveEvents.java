package dev.virtualqueue.live;

import dev.virtualqueue.common.Json;
import dev.virtualqueue.events.DomainEvent;
import dev.virtualqueue.line.LineKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live fan-out's subscription to the domain events: publishes each, in its live form, on one
 * Redis channel that every server process subscribes to ({@link LiveSubscriber}).
 * Publishing never fails the caller: the change is already durable, and subscribers that missed
 * events resynchronise after reconnecting.
 */
final class LiveEvents {
  private static final Logger LOG = LoggerFactory.getLogger(LiveEvents.class);
  private final Redis redis;
  private final String channel;

  LiveEvents(Redis redis, LineKeys keys) {
    this.redis = redis;
    this.channel = keys.events();
  }

  /** Subscriber of the event path: sends the event's live form. */
  void onEvent(DomainEvent event) {
    publish(LiveEvent.from(event));
  }

  /** Announces a change; completes when sent (or failed and logged). */
  Future<Void> publish(LiveEvent event) {
    return redis.send(Request.cmd(Command.PUBLISH).arg(channel).arg(Json.write(event)))
        .<Void>mapEmpty()
        .recover(t -> {
          LOG.warn("could not publish live event for queue {}: {}", event.queueId(), t.getMessage());
          return Future.succeededFuture();
        });
  }
}
