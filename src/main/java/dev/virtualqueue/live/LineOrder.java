package dev.virtualqueue.live;

import dev.virtualqueue.line.LineStore;
import dev.virtualqueue.queue.PriorityPicker;
import dev.virtualqueue.queue.Queue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order in which a queue's waiting people will be called, computed once from the whole line
 * with the same {@link PriorityPicker} that call-next uses: index 0 is position 1. It is built
 * once per read and shared by every event loop of the process, with an index from ticket id to
 * position, so each event loop only looks up its own sockets.
 */
public record LineOrder(Queue queue, int openCounters, List<String> order, Map<String, Integer> positions,
                        long[] waitingByClass, long builtAtNanos, long readAtMillis, int[] absentBefore) {

  /** The order of {@code line}, whose read from Redis started at {@code readAtMillis} (epoch ms). */
  public static LineOrder of(Queue q, int openCounters, LineStore.FullLine line, long readAtMillis) {
    List<List<String>> classes = line.members();
    int n = classes.size();
    long[] waiting = new long[n];
    int total = 0;
    for (int i = 0; i < n; i++) {
      waiting[i] = classes.get(i).size();
      total += classes.get(i).size();
    }
    List<String> order = new ArrayList<>(total);
    if (!q.weighted()) {
      classes.forEach(order::addAll);
    } else {
      int[] next = new int[n];
      int[] c = line.cursor() != null ? line.cursor() : new int[] {q.rrClass(), q.rrCount()};
      PriorityPicker.Cursor cursor = new PriorityPicker.Cursor(c[0], c[1]);
      int[] weights = q.weights();
      while (order.size() < total) {
        PriorityPicker.Pick pick = PriorityPicker.next(true, weights, cursor, i -> next[i] < classes.get(i).size());
        order.add(classes.get(pick.cls()).get(next[pick.cls()]++));
        cursor = pick.next();
      }
    }
    Map<String, Integer> positions = new HashMap<>(order.size() * 4 / 3 + 1);
    for (int i = 0; i < order.size(); i++) {
      positions.put(order.get(i), i + 1);
    }
    // read-only views, not copies: the order of a 10,000-person line is rebuilt twice a second
    return new LineOrder(q, openCounters, Collections.unmodifiableList(order), Collections.unmodifiableMap(positions),
        waiting, System.nanoTime(), readAtMillis, null);
  }

  /**
   * The same order knowing who is absent (a waiting room passes them over): for each position,
   * how many of the people ahead are absent.
   */
  public LineOrder withAbsent(Set<String> absent) {
    int[] before = new int[order.size() + 1];
    for (int i = 0; i < order.size(); i++) {
      before[i + 1] = before[i] + (absent.contains(order.get(i)) ? 1 : 0);
    }
    return new LineOrder(queue, openCounters, order, positions, waitingByClass, builtAtNanos, readAtMillis, before);
  }

  /** How many of the people ahead of {@code position} are present (all of them when presence is not known). */
  public long presentAhead(int position) {
    int ahead = Math.max(0, position - 1);
    return absentBefore == null || ahead >= absentBefore.length ? ahead : ahead - absentBefore[ahead];
  }

  /** Position (1 = next) of a waiting ticket, or 0 when it is not in the line. */
  public int positionOf(String ticketId) {
    Integer p = positions.get(ticketId);
    return p == null ? 0 : p;
  }

  public long waiting() {
    return order.size();
  }
}
