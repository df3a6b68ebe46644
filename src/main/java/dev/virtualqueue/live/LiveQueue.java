package dev.virtualqueue.live;

import dev.virtualqueue.live.LiveMessages.CounterRef;
import dev.virtualqueue.live.LiveMessages.TicketState;
import dev.virtualqueue.ticket.EtaEstimator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live sockets of one queue on one event loop. Changes mark the queue dirty; a recompute
 * (one shared Redis read for the whole queue) runs at once after a quiet spell and then at most
 * once per coalescing interval, so work per socket is bounded however busy the queue is. A
 * ticket's own status change (being called) is pushed to its holder immediately.
 */
final class LiveQueue {
  private static final Logger LOG = LoggerFactory.getLogger(LiveQueue.class);
  private static final long READ_TIMEOUT_SECONDS = 5;
  private static final String ADMITTED = "admitted";
  /** Messages per turn of the event loop in a fan-out (tests lower it to cross many chunks). */
  static volatile int fanOutChunk = 500;
  private final UUID queueId;
  private final QueueSockets sockets = new QueueSockets();
  private final LiveContext live;
  private BoardModel board;
  private List<LiveEvent> boardBacklog;
  private LineOrder lastOrder;
  private long lastFlushMillis;
  private long timer = -1;
  private long timerDue;
  private boolean flushing;
  private boolean dirty;
  /**
   * When the latest change folded into the next recompute arrived: its read of the line must start
   * after that. A read started after an earlier change of the batch (by the other event loop, say)
   * may predate this one's Redis write, and after a last change nothing would correct it.
   */
  private long lastChangeNanos;
  private long changedAt;

  LiveQueue(UUID queueId, LiveContext live) {
    this.queueId = queueId;
    this.live = live;
  }

  UUID queueId() {
    return queueId;
  }

  boolean empty() {
    return sockets.empty();
  }

  /** The sockets of this queue on this event loop. */
  QueueSockets sockets() {
    return sockets;
  }

  void onEvent(LiveEvent e) {
    changedAt = Math.max(changedAt, e.atMillis());
    if (e.kind().ownStatusChange() && e.ticketId() != null) {
      TicketSession s = sockets.ticket(e.ticketId().toString());
      if (s != null && !s.snapshotPending() && s.state != null) {
        s.show(fromEvent(s.state, e));
        if (e.kind() == LiveEvent.Kind.ADMIT) {
          sendAccess(s, e.ticketId());
        }
      }
    }
    if (board != null) {
      LiveMessages.Call call = board.apply(e);
      if (call != null) {
        sockets.boards().forEach(b -> {
          if (!b.snapshotPending()) {
            b.show(board.state("call", call, lastOrder, e.atMillis()));
          }
        });
      }
    } else if (boardBacklog != null) {
      boardBacklog.add(e);
    }
    if (e.kind() == LiveEvent.Kind.RESYNC && !sockets.boards().isEmpty()) {
      board = null;
      loadBoard();
    }
    if (e.kind().movesLine()) {
      markDirty();
    } else if (e.kind() == LiveEvent.Kind.COMPLETE) {
      // a completion only nudges the measured service time (ETA): fold it into the next interval,
      // so it never holds back the call that usually follows it
      markDirtyLater();
    }
    // start, recall and no-show change nobody's place: the holder was told above
  }

  /** The admitted holder's token follows their status message (read and signed off this loop). */
  private void sendAccess(TicketSession s, UUID ticketId) {
    live.tickets().accessById(ticketId).onComplete(ar -> live.context().runOnContext(v -> {
      if (ar.succeeded() && ar.result() != null) {
        s.showAdmitted(LiveMessages.Admitted.of(ticketId, ar.result()));
      } else if (ar.failed()) {
        LOG.warn("access token of admitted ticket {} not sent: {}", ticketId, ar.cause().getMessage());
      }
    }));
  }

  private void markDirtyLater() {
    dirty = true;
    lastChangeNanos = System.nanoTime();
    if (!flushing && timer < 0) {
      long now = System.currentTimeMillis();
      setTimer(Math.max(lastFlushMillis + live.coalesceMillis(), now + live.coalesceMillis()));
    }
  }

  private static TicketState fromEvent(TicketState s, LiveEvent e) {
    CounterRef counter = e.counterId() == null ? s.counter() : new CounterRef(e.counterId(), e.counterName());
    boolean atCounter = "called".equals(e.status()) || "serving".equals(e.status());
    int recalls = (s.recallCount() == null ? 0 : s.recallCount()) + (e.kind() == LiveEvent.Kind.RECALL ? 1 : 0);
    return s.withStatus(e.code() != null ? e.code() : s.code(), e.status(), atCounter ? counter : null, recalls,
        e.atMillis());
  }

  void markDirty() {
    dirty = true;
    lastChangeNanos = System.nanoTime();
    schedule();
  }

  private void schedule() {
    if (flushing || !dirty) {
      return;
    }
    long due = lastFlushMillis + live.coalesceMillis();
    long now = System.currentTimeMillis();
    if (due <= now) {
      cancelTimer();
      flush();
    } else if (timer < 0 || timerDue > due) {
      setTimer(due);
    }
  }

  private void setTimer(long due) {
    cancelTimer();
    timerDue = due;
    timer = live.vertx().setTimer(Math.max(1, due - System.currentTimeMillis()), id -> {
      timer = -1;
      flush();
    });
  }

  private void cancelTimer() {
    if (timer >= 0) {
      live.vertx().cancelTimer(timer);
      timer = -1;
    }
  }

  private void flush() {
    if (!dirty || flushing) {
      return;
    }
    long notBefore = lastChangeNanos;
    long changed = changedAt;
    dirty = false;
    flushing = true;
    lastFlushMillis = System.currentTimeMillis();
    // bounded: a read that never answers must not stop this queue's updates for good
    live.onContext(live.orders().get(queueId, notBefore).timeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS), ar -> {
      if (ar.succeeded()) {
        apply(ar.result(), changed);
      } else {
        LOG.warn("live recompute of queue {} failed, retrying: {}", queueId, ar.cause().getMessage());
        flushing = false;
        markDirty();
        schedule();
      }
    });
  }

  private void apply(LineOrder order, long changed) {
    boolean countsChanged = lastOrder == null || lastOrder.waiting() != order.waiting()
        || !Arrays.equals(lastOrder.waitingByClass(), order.waitingByClass());
    lastOrder = order;
    if (countsChanged && board != null) {
      sockets.boards().forEach(b -> {
        if (!b.snapshotPending()) {
          b.show(board.state("counts", null, order, changed));
        }
      });
    }
    // work per recompute is this event loop's own sockets, not the length of the line
    fanOut(sockets.ticketList(), 0, order, changed);
  }

  /**
   * Writes the changed views of {@code sessions} from index {@code from}, at most
   * {@link #fanOutChunk} messages per turn of the event loop: between chunks the loop serves
   * requests and other sockets, so a fan-out to thousands never holds them up for its whole length.
   * The queue stays "flushing" until the last chunk, so recomputes never overlap.
   */
  private void fanOut(List<TicketSession> sessions, int from, LineOrder order, long changed) {
    int written = 0;
    int i = from;
    int chunk = fanOutChunk;
    for (; i < sessions.size() && written < chunk; i++) {
      TicketSession s = sessions.get(i);
      if (s.snapshotPending() || s.state == null || s.closed()) {
        continue;
      }
      int position = order.positionOf(s.ticketId);
      boolean waiting = "waiting".equals(s.state.status());
      // a state newer than the start of this order's read means the order is the stale one: a
      // holder called (or gone) since, or a ticket that joined just after; the next recompute has it
      boolean orderIsNewer = s.state.changedAt() < order.readAtMillis();
      if (position > 0 && (waiting || orderIsNewer)) {
        if (s.show(waiting(s.state, position, order, changed))) {
          written++;
        }
      } else if (position == 0 && waiting && orderIsNewer) {
        refresh(s); // it thinks it waits but a newer line does not have it: it missed an event
      }
    }
    if (i < sessions.size()) {
      int next = i;
      live.vertx().setTimer(1, id -> fanOut(sessions, next, order, changed));
      return;
    }
    flushing = false;
    schedule();
  }

  /** Rereads the ticket of a session that missed an event (one read in flight per session). */
  private void refresh(TicketSession s) {
    if (!s.startRefresh()) {
      return;
    }
    // bounded like the line read: a reread that never answers must not stop this session's rereads
    var read = live.tickets().viewById(UUID.fromString(s.ticketId)).timeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    live.onContext(read, ar -> {
      s.refreshDone();
      if (ar.succeeded() && !s.closed()) {
        boolean admittedNow = ADMITTED.equals(ar.result().status()) && !ADMITTED.equals(s.state.status());
        s.show(TicketState.of(ar.result(), System.currentTimeMillis()));
        if (admittedNow) {
          // the admission's own event came while the snapshot was read: its token follows here
          sendAccess(s, ar.result().id());
        }
      }
    });
  }

  static TicketState waiting(TicketState s, long position, LineOrder order, long changed) {
    var q = order.queue();
    EtaEstimator.Eta eta = q.isWaitingRoom() && q.waitingRoom() != null
        ? EtaEstimator.waitingRoom(position, order.presentAhead((int) position), q.waitingRoom(), Instant.now())
        : EtaEstimator.estimate(position, order.openCounters(), q.serviceStats(), q.serviceTimeGuessSeconds());
    return s.waitingAt(position, eta, Math.max(changed, s.changedAt()));
  }

  /** A board joined: load the board model once, then send it its snapshot. */
  void boardJoined(BoardSession b) {
    sockets.boards().add(b);
    if (board != null) {
      sendBoardSnapshot(b);
    } else if (boardBacklog == null) {
      loadBoard();
    }
  }

  private void loadBoard() {
    boardBacklog = new ArrayList<>();
    live.onContext(live.tickets().boardData(queueId), ar -> {
      if (ar.failed()) {
        LOG.warn("board data of queue {} could not be loaded: {}", queueId, ar.cause().getMessage());
        sockets.boards().forEach(b -> b.close((short) 1011, "try again"));
        boardBacklog = null;
        return;
      }
      board = new BoardModel(queueId, ar.result());
      boardBacklog.forEach(board::apply);
      boardBacklog = null;
      sockets.boards().forEach(this::sendBoardSnapshot);
    });
  }

  private void sendBoardSnapshot(BoardSession b) {
    live.onContext(live.orders().get(queueId, 0), ar -> {
      if (ar.succeeded()) {
        lastOrder = lastOrder == null || ar.result().builtAtNanos() > lastOrder.builtAtNanos() ? ar.result() : lastOrder;
      }
      b.showSnapshot(board.state("board", null, lastOrder, System.currentTimeMillis()));
    });
  }

  /** The connect snapshot of a ticket socket went out; catch up with anything that raced it. */
  void snapshotSent(TicketSession s, TicketState snapshot) {
    s.showSnapshot(snapshot);
    markDirty();
  }
}
