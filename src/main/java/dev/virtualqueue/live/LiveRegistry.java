package dev.virtualqueue.live;

import dev.virtualqueue.common.Json;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All live sockets of one HTTP verticle instance (one event loop), by queue. Receives the change
 * feed from the local event bus, pings sockets, closes slow consumers and says goodbye on shutdown.
 */
public final class LiveRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(LiveRegistry.class);
  private static final Buffer PING = Buffer.buffer("hb");
  private final LiveContext live;
  private final long pingMillis;
  private final Map<UUID, LiveQueue> queues = new HashMap<>();
  private final Map<String, LiveQueue> byTicket = new HashMap<>();
  private MessageConsumer<String> consumer;
  private long pinger = -1;

  LiveRegistry(LiveContext live, long pingMillis) {
    this.live = live;
    this.pingMillis = pingMillis;
  }

  void start() {
    consumer = live.vertx().eventBus().localConsumer(LiveSubscriber.ADDRESS, msg -> dispatch(msg.body()));
    pinger = live.vertx().setPeriodic(pingMillis, id -> heartbeat());
  }

  private void dispatch(String json) {
    LiveEvent e;
    try {
      e = Json.MAPPER.readValue(json, LiveEvent.class);
    } catch (Exception ex) {
      LOG.warn("ignoring malformed live event: {}", ex.getMessage());
      return;
    }
    if (e.kind() == LiveEvent.Kind.RESYNC) {
      queues.values().forEach(q -> q.onEvent(e));
      return;
    }
    if (e.kind() == LiveEvent.Kind.TRANSFER_IN && e.ticketId() != null) {
      moveTicket(e);
    }
    LiveQueue q = queues.get(e.queueId());
    if (q != null) {
      q.onEvent(e);
    }
  }

  /** A transferred ticket's socket follows it to its new queue. */
  private void moveTicket(LiveEvent e) {
    String id = e.ticketId().toString();
    LiveQueue from = byTicket.get(id);
    if (from == null || from.queueId().equals(e.queueId())) {
      return;
    }
    TicketSession s = from.sockets().takeTicket(id);
    forgetIfEmpty(from);
    s.movedTo(e.queueId(), e.code(), e.atMillis());
    LiveQueue to = queue(e.queueId());
    to.sockets().putTicket(s);
    byTicket.put(id, to);
  }

  /**
   * {@code future}'s outcome, handed over on this registry's event loop. The registry's maps and
   * sockets belong to that loop alone, while a service's future may complete on another one (a
   * cached load started by the other loop's request, say).
   */
  <T> Future<T> onLoop(Future<T> future) {
    Promise<T> here = Promise.promise();
    live.onContext(future, here::handle);
    return here.future();
  }

  /** True on this registry's own event loop (checked with {@code assert} where sockets are added). */
  private boolean onOwnLoop() {
    return Vertx.currentContext() == live.context();
  }

  private LiveQueue queue(UUID queueId) {
    return queues.computeIfAbsent(queueId, id -> new LiveQueue(id, live));
  }

  /** Registers a ticket socket before its snapshot is read, so no change can slip between. */
  TicketSession addTicket(TicketSession s) {
    assert onOwnLoop() : "a ticket socket added off its event loop";
    LiveQueue q = queue(s.queueId());
    TicketSession previous = q.sockets().putTicket(s);
    if (previous != null) {
      previous.close((short) 4000, "replaced by a newer connection");
      live.metrics().ticketClosed();
    }
    byTicket.put(s.ticketId, q);
    live.metrics().ticketOpened();
    s.ws.closeHandler(v -> removeTicket(s));
    return s;
  }

  void snapshotSent(TicketSession s, LiveMessages.TicketState snapshot) {
    assert onOwnLoop() : "a snapshot sent off its event loop";
    LiveQueue q = byTicket.get(s.ticketId);
    if (q != null && q.sockets().holds(s)) {
      q.snapshotSent(s, snapshot);
      live.presence().touch(List.of(s.ticketId), true);
    }
  }

  private void removeTicket(TicketSession s) {
    s.markClosed();
    LiveQueue q = byTicket.get(s.ticketId);
    if (q != null && q.sockets().dropTicket(s)) {
      byTicket.remove(s.ticketId);
      live.metrics().ticketClosed();
      forgetIfEmpty(q);
    }
  }

  void addBoard(UUID queueId, BoardSession b) {
    assert onOwnLoop() : "a board socket added off its event loop";
    LiveQueue q = queue(queueId);
    live.metrics().boardOpened();
    b.ws.closeHandler(v -> {
      b.markClosed();
      if (q.sockets().dropBoard(b)) {
        live.metrics().boardClosed();
        forgetIfEmpty(q);
      }
    });
    q.boardJoined(b);
  }

  private void forgetIfEmpty(LiveQueue q) {
    if (q.empty()) {
      queues.remove(q.queueId());
    }
  }

  private void heartbeat() {
    List<String> present = new ArrayList<>(byTicket.keySet());
    if (!present.isEmpty()) {
      live.presence().touch(present, false)
          .onFailure(t -> LOG.debug("presence refresh failed: {}", t.getMessage()));
    }
    queues.values().forEach(q -> q.sockets().heartbeat(PING));
  }

  /** Graceful shutdown: tell every client to come back after a jittered delay, close with 1001. */
  public void shutdown() {
    if (pinger >= 0) {
      live.vertx().cancelTimer(pinger);
    }
    if (consumer != null) {
      consumer.unregister();
    }
    queues.values().forEach(q -> q.sockets().bye());
  }
}
