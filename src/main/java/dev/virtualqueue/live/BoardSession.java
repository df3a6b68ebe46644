package dev.virtualqueue.live;

import dev.virtualqueue.live.LiveMessages.BoardState;
import io.vertx.core.http.ServerWebSocket;

/** A display board's socket. */
final class BoardSession extends Session {
  boolean snapshotPending = true;

  BoardSession(ServerWebSocket ws, LiveMetrics metrics, SocketLimits limits, long startSeq) {
    super(ws, metrics, limits, true, startSeq);
  }

  void show(BoardState s) {
    offer(s, s.changedAt());
  }

  @Override
  Object stamp(Object message, long seq) {
    if (message instanceof BoardState b) {
      return new BoardState(b.type(), seq, b.queueId(), b.queueName(), b.nowServing(), b.recent(), b.call(),
          b.waiting(), b.waitingByClass(), b.typicalWaitSeconds(), b.changedAt());
    }
    return message instanceof LiveMessages.Bye b ? new LiveMessages.Bye(b.type(), seq, b.reconnectInMs()) : message;
  }
}
