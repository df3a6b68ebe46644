package dev.virtualqueue.live;

import dev.virtualqueue.live.LiveMessages.TicketState;
import io.vertx.core.http.ServerWebSocket;
import java.util.UUID;

/** A person's socket on their ticket: remembers what it last showed so unchanged views are not resent. */
final class TicketSession extends Session {
  final String ticketId;
  private UUID queueId;
  /** The latest state known for the ticket (from its snapshot and its own events). */
  TicketState state;
  private TicketState lastSent;
  /** Until the connect snapshot is out, recomputations must not overtake it. */
  private boolean snapshotPending = true;
  /** A reread of the ticket (after a missed event) is in flight. */
  private boolean refreshing;

  TicketSession(ServerWebSocket ws, LiveMetrics metrics, SocketLimits limits, UUID ticketId, UUID queueId,
                long startSeq) {
    super(ws, metrics, limits, false, startSeq);
    this.ticketId = ticketId.toString();
    this.queueId = queueId;
  }

  boolean snapshotPending() {
    return snapshotPending;
  }

  /** Sends the connect snapshot; recomputations may follow. */
  void showSnapshot(TicketState snapshot) {
    snapshotPending = false;
    show(snapshot);
  }

  /** Starts a reread of the ticket; false when one is in flight already. */
  boolean startRefresh() {
    if (refreshing) {
      return false;
    }
    refreshing = true;
    return true;
  }

  void refreshDone() {
    refreshing = false;
  }

  UUID queueId() {
    return queueId;
  }

  /** Its ticket was transferred: it now belongs to {@code newQueue}, as a waiting {@code code}. */
  void movedTo(UUID newQueue, String code, long atMillis) {
    queueId = newQueue;
    if (state != null) {
      state = state.movedTo(newQueue, code, atMillis);
    }
  }

  /** Shows {@code next} unless the person would see nothing new; true when a message went out. */
  boolean show(TicketState next) {
    state = next;
    if (next.sameAs(lastSent)) {
      return false;
    }
    lastSent = next;
    offer(next, next.changedAt());
    return true;
  }

  /** Sends the holder their access token (after the status message that says admitted). */
  void showAdmitted(LiveMessages.Admitted a) {
    offer(a, System.currentTimeMillis());
  }

  @Override
  Object stamp(Object message, long seq) {
    return message instanceof TicketState t ? t.withSeq(seq)
        : message instanceof LiveMessages.Admitted a ? a.withSeq(seq)
        : message instanceof LiveMessages.Bye b ? b.withSeq(seq) : message;
  }
}
