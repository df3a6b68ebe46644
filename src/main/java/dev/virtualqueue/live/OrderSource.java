package dev.virtualqueue.live;

import io.vertx.core.Future;
import java.util.UUID;

/** Where the live queues of an event loop get a queue's call order ({@link LineOrders} in the server). */
interface OrderSource {
  /** The call order of a queue as read from Redis no earlier than {@code notBeforeNanos} ({@link System#nanoTime}). */
  Future<LineOrder> get(UUID queueId, long notBeforeNanos);
}
