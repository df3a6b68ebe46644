package dev.virtualqueue.line;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The waiting lines as the features use them. Reads and number allocation wait out a rebuild of
 * the mirror (NOTREADY) and run once more. Writes apply committed ticket changes: the change is
 * already durable, so a Redis failure there does not fail the request; the mirror is marked for
 * repair instead.
 */
public final class LineMirror {
  private static final Logger LOG = LoggerFactory.getLogger(LineMirror.class);
  private final LineStore line;
  private final LineRebuilder rebuilder;

  public LineMirror(LineStore line, LineRebuilder rebuilder) {
    this.line = line;
    this.rebuilder = rebuilder;
  }

  /** Next ticket number of a queue, or -1 when {@code capacity} (0: no limit) people already wait. */
  public Future<Long> allocate(UUID queueId, int classes, int capacity) {
    return rebuilder.withReady(() -> line.allocate(queueId, classes, capacity));
  }

  /** Adds the ticket first when {@code addScore} is set, then ranks it; null when it is not in the line. */
  public Future<LineStore.LineCounts> position(UUID queueId, int classes, int classIndex, UUID ticketId,
                                               Long addScore) {
    return rebuilder.withReady(() -> line.position(queueId, classes, classIndex, ticketId, addScore));
  }

  /** How many wait in each class of a queue. */
  public Future<long[]> counts(UUID queueId, int classes) {
    return rebuilder.withReady(() -> line.counts(queueId, classes));
  }

  /** The whole line of a queue. */
  public Future<LineStore.FullLine> fullLine(UUID queueId, int classes) {
    return rebuilder.withReady(() -> line.fullLine(queueId, classes));
  }

  /** A called ticket leaves its line; the queue's interleave cursor moves on. */
  public Future<Void> afterCall(LinePlace called, int cursorClass, int cursorCount) {
    return tolerate(line.batch(List.of(line.removeRequest(called.queueId(), called.classRank(), called.ticketId()),
        line.setCursor(called.queueId(), cursorClass, cursorCount))).mapEmpty());
  }

  /** A ticket that left, expired or was admitted leaves its line. */
  public Future<Void> afterLeave(LinePlace left) {
    return tolerate(line.remove(left.queueId(), left.classRank(), left.ticketId()));
  }

  /** Tickets of a line got new numbers (a waiting room's draw): each still there moves to its new place. */
  public Future<Void> afterReorder(List<LinePlace> moved) {
    if (moved.isEmpty()) {
      return Future.succeededFuture();
    }
    return tolerate(line.batch(moved.stream().map(line::moveRequest).toList()).mapEmpty());
  }

  /** A transferred ticket joins its new line; {@code from}, when it was waiting, is the one it left. */
  public Future<Void> afterTransfer(LinePlace from, LinePlace to) {
    List<Future<Void>> ops = new ArrayList<>();
    if (from != null) {
      ops.add(line.remove(from.queueId(), from.classRank(), from.ticketId()));
    }
    ops.add(line.add(to.queueId(), to.classRank(), to.ticketId(), to.number()));
    return tolerate(Future.all(ops).mapEmpty());
  }

  /** Notes that a committed change may be missing from the mirror (housekeeping reconciles). */
  public void markDirty() {
    rebuilder.markDirty();
  }

  /** Notes a failure of a change that may have committed without reaching the mirror; returns it. */
  public Throwable noteFailure(Throwable t) {
    return rebuilder.noteFailure(t);
  }

  private Future<Void> tolerate(Future<Void> op) {
    return op.recover(t -> {
      LOG.warn("mirror update failed after commit, scheduling repair: {}", t.getMessage());
      rebuilder.markDirty();
      return Future.succeededFuture();
    });
  }
}
