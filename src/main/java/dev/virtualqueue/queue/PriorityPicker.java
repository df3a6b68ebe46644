package dev.virtualqueue.queue;

import java.util.function.IntPredicate;

/**
 * Decides which priority class is called next, and from that, a waiting ticket's exact position.
 * Call-next and position use this one function so what people see is what staff will do.
 *
 * <p>Strict: the first non-empty class always wins. Weighted: classes take turns; within its turn
 * class {@code i} is called up to {@code weights[i]} times; empty classes are skipped.
 */
public final class PriorityPicker {

  private PriorityPicker() {
  }

  /** The interleave cursor: class whose turn it is and how many it has had this turn. */
  public record Cursor(int cls, int count) {
    public static final Cursor START = new Cursor(0, 0);
  }

  /** A pick: the class to call, and the cursor after calling it. */
  public record Pick(int cls, Cursor next) {
  }

  /** Returns the class to call next, or null when every class is empty. */
  public static Pick next(boolean weighted, int[] weights, Cursor cursor, IntPredicate nonEmpty) {
    int n = weights.length;
    if (!weighted) {
      for (int i = 0; i < n; i++) {
        if (nonEmpty.test(i)) {
          return new Pick(i, cursor);
        }
      }
      return null;
    }
    int cls = Math.floorMod(cursor.cls(), n);
    int count = cursor.cls() < n ? cursor.count() : 0;
    for (int tries = 0; tries <= n; tries++) {
      if (count < Math.max(1, weights[cls]) && nonEmpty.test(cls)) {
        return new Pick(cls, new Cursor(cls, count + 1));
      }
      cls = (cls + 1) % n;
      count = 0;
    }
    return null;
  }

  /**
   * Position (1 = next) of a ticket with {@code rank} people ahead of it in its own class
   * {@code own}, given how many wait in each class.
   */
  public static long position(boolean weighted, int[] weights, Cursor cursor, long[] waiting, int own, long rank) {
    if (!weighted) {
      long ahead = rank;
      for (int i = 0; i < own; i++) {
        ahead += waiting[i];
      }
      return ahead + 1;
    }
    long[] left = waiting.clone();
    left[own] = rank + 1;
    Cursor c = cursor;
    long calls = 0;
    while (true) {
      Pick pick = next(true, weights, c, i -> left[i] > 0);
      calls++;
      left[pick.cls()]--;
      if (pick.cls() == own && left[own] == 0) {
        return calls;
      }
      c = pick.next();
    }
  }
}
