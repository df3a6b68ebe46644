package dev.virtualqueue.live;

import dev.virtualqueue.common.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
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
    if (from == null || from.queueId.equals(e.queueId())) {
      return;
    }
    TicketSession s = from.tickets.remove(id);
    forgetIfEmpty(from);
    s.queueId = e.queueId();
    if (s.state != null) {
      s.state = new LiveMessages.TicketState("ticket", 0, s.state.id(), e.queueId(), e.code(), "waiting", null, null,
          null, null, 0, e.atMillis());
    }
    LiveQueue to = queue(e.queueId());
    to.tickets.put(id, s);
    byTicket.put(id, to);
  }

  private LiveQueue queue(UUID queueId) {
    return queues.computeIfAbsent(queueId, id -> new LiveQueue(id, live));
  }

  /** Registers a ticket socket before its snapshot is read, so no change can slip between. */
  TicketSession addTicket(TicketSession s) {
    LiveQueue q = queue(s.queueId);
    TicketSession previous = q.tickets.put(s.ticketId, s);
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
    LiveQueue q = byTicket.get(s.ticketId);
    if (q != null && q.tickets.get(s.ticketId) == s) {
      q.snapshotSent(s, snapshot);
      live.presence().touch(java.util.List.of(s.ticketId), true);
    }
  }

  private void removeTicket(TicketSession s) {
    s.markClosed();
    LiveQueue q = byTicket.get(s.ticketId);
    if (q != null && q.tickets.get(s.ticketId) == s) {
      q.tickets.remove(s.ticketId);
      byTicket.remove(s.ticketId);
      live.metrics().ticketClosed();
      forgetIfEmpty(q);
    }
  }

  void addBoard(UUID queueId, BoardSession b) {
    LiveQueue q = queue(queueId);
    live.metrics().boardOpened();
    b.ws.closeHandler(v -> {
      b.markClosed();
      if (q.boards.remove(b)) {
        live.metrics().boardClosed();
        forgetIfEmpty(q);
      }
    });
    q.boardJoined(b);
  }

  private void forgetIfEmpty(LiveQueue q) {
    if (q.empty()) {
      queues.remove(q.queueId);
    }
  }

  private void heartbeat() {
    java.util.List<String> present = new java.util.ArrayList<>(byTicket.keySet());
    if (!present.isEmpty()) {
      live.presence().touch(present, false)
          .onFailure(t -> LOG.debug("presence refresh failed: {}", t.getMessage()));
    }
    for (LiveQueue q : queues.values()) {
      for (TicketSession s : q.tickets.values().toArray(TicketSession[]::new)) {
        if (!s.closeIfSlow()) {
          s.ws.writePing(PING);
        }
      }
      for (BoardSession b : q.boards.toArray(BoardSession[]::new)) {
        if (!b.closeIfSlow()) {
          b.ws.writePing(PING);
        }
      }
    }
  }

  /** Graceful shutdown: tell every client to come back after a jittered delay, close with 1001. */
  public void shutdown() {
    if (pinger >= 0) {
      live.vertx().cancelTimer(pinger);
    }
    if (consumer != null) {
      consumer.unregister();
    }
    for (LiveQueue q : queues.values()) {
      q.tickets.values().forEach(s -> s.bye(1_000 + ThreadLocalRandom.current().nextLong(9_000)));
      q.boards.forEach(b -> b.bye(1_000 + ThreadLocalRandom.current().nextLong(4_000)));
    }
  }
}
