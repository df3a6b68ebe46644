package dev.virtualqueue.live;

import dev.virtualqueue.live.LiveMessages.BoardState;
import io.vertx.core.http.ServerWebSocket;

/** A display board's socket. */
final class BoardSession extends Session {
  private boolean snapshotPending = true;

  BoardSession(ServerWebSocket ws, LiveMetrics metrics, SocketLimits limits, long startSeq) {
    super(ws, metrics, limits, true, startSeq);
  }

  /** Until its snapshot is out, changes must not overtake it. */
  boolean snapshotPending() {
    return snapshotPending;
  }

  /** Sends the connect snapshot; later changes may follow. */
  void showSnapshot(BoardState s) {
    snapshotPending = false;
    show(s);
  }

  void show(BoardState s) {
    offer(s, s.changedAt());
  }

  @Override
  Object stamp(Object message, long seq) {
    return message instanceof BoardState b ? b.withSeq(seq)
        : message instanceof LiveMessages.Bye b ? b.withSeq(seq) : message;
  }
}
