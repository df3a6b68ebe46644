package dev.virtualqueue.live;

import dev.virtualqueue.common.Json;
import io.vertx.core.http.ServerWebSocket;

/**
 * One live socket. Writes never queue up stale state: while the socket cannot take more, only the
 * newest message is kept (the older one is counted as coalesced) and written when it drains. A
 * socket that stays blocked longer than the slow-consumer limit is closed.
 */
abstract class Session {
  final ServerWebSocket ws;
  private final LiveMetrics metrics;
  private final boolean board;
  private final long slowMillis;
  private long seq;
  private Object pending;
  private long pendingChangedAt;
  private long blockedSince;
  private boolean closed;

  Session(ServerWebSocket ws, LiveMetrics metrics, SocketLimits limits, boolean board, long startSeq) {
    this.ws = ws;
    this.metrics = metrics;
    this.board = board;
    this.slowMillis = limits.slowMillis();
    this.seq = startSeq;
    ws.setWriteQueueMaxSize(limits.maxQueuedBytes());
    ws.drainHandler(v -> drain());
  }

  /** Sends a message now, or keeps it as the newest pending one while the socket is full. */
  final void offer(Object message, long changedAt) {
    if (closed()) {
      return;
    }
    if (ws.writeQueueFull()) {
      if (pending != null) {
        metrics.coalesced();
        if (closeIfSlow()) {
          return;
        }
      } else {
        blockedSince = System.currentTimeMillis();
      }
      pending = message;
      pendingChangedAt = changedAt;
      return;
    }
    write(message, changedAt);
  }

  private void drain() {
    if (pending != null && !closed && !ws.writeQueueFull()) {
      Object m = pending;
      pending = null;
      write(m, pendingChangedAt);
    }
  }

  private void write(Object message, long changedAt) {
    seq++;
    ws.writeTextMessage(Json.writeString(stamp(message, seq)));
    metrics.sent(board, changedAt);
  }

  /** Returns the message with its sequence number set. */
  abstract Object stamp(Object message, long seq);

  /** True (and the socket closed) when it has been blocked for longer than the slow-consumer limit. */
  final boolean closeIfSlow() {
    if (pending != null && !closed && System.currentTimeMillis() - blockedSince > slowMillis) {
      pending = null;
      metrics.slowClose();
      close((short) 1013, "too slow; reconnect");
      return true;
    }
    return false;
  }

  final void bye(long reconnectInMs) {
    if (!closed) {
      pending = null;
      write(LiveMessages.Bye.after(reconnectInMs), 0);
      close((short) 1001, "server restarting");
    }
  }

  final void close(short code, String reason) {
    if (!closed) {
      closed = true;
      ws.close(code, reason);
    }
  }

  final boolean closed() {
    return closed || ws.isClosed();
  }

  final void markClosed() {
    closed = true;
  }

  final long seq() {
    return seq;
  }
}
