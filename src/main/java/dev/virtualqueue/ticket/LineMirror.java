package dev.virtualqueue.ticket;

import dev.virtualqueue.line.LineStore;
import dev.virtualqueue.queue.PriorityPicker;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies committed ticket changes to the Redis mirror. The change is already durable, so a Redis
 * failure here does not fail the request: the mirror is marked for repair instead.
 */
public final class LineMirror {
  private static final Logger LOG = LoggerFactory.getLogger(LineMirror.class);
  private final LineStore line;
  private final LineRebuilder rebuilder;

  public LineMirror(LineStore line, LineRebuilder rebuilder) {
    this.line = line;
    this.rebuilder = rebuilder;
  }

  public Future<Void> afterCall(Ticket called, PriorityPicker.Cursor cursor) {
    return tolerate(line.batch(List.of(line.removeRequest(called.queueId(), called.classRank(), called.id()),
        line.setCursor(called.queueId(), cursor.cls(), cursor.count()))).mapEmpty());
  }

  public Future<Void> afterLeave(Ticket left) {
    return tolerate(line.remove(left.queueId(), left.classRank(), left.id()));
  }

  /** Moves a ticket between lines; {@code before} is its state before the transfer. */
  public Future<Void> afterTransfer(Ticket before, Ticket after) {
    List<Future<Void>> ops = new ArrayList<>();
    if (before.status() == TicketStatus.WAITING) {
      ops.add(line.remove(before.queueId(), before.classRank(), before.id()));
    }
    ops.add(line.add(after.queueId(), after.classRank(), after.id(), after.number()));
    return tolerate(Future.all(ops).mapEmpty());
  }

  private Future<Void> tolerate(Future<Void> op) {
    return op.recover(t -> {
      LOG.warn("mirror update failed after commit, scheduling repair: {}", t.getMessage());
      rebuilder.markDirty();
      return Future.succeededFuture();
    });
  }
}
