package dev.virtualqueue.testing;

import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for an expected state instead of sleeping a fixed time before asserting it: returns as
 * soon as the state holds, so the deadline can be generous (a loaded CI machine) at no cost to a
 * quick one.
 */
public final class Poll {
  /** The deadline the integration tests give a state they expect (seconds on a quiet machine). */
  public static final long DEADLINE_MILLIS = 30_000;

  private Poll() {
  }

  /** Polls {@code value} until {@code ok} accepts it; fails with {@code what} and the last value after {@code millis}. */
  public static <T> T until(Supplier<T> value, Predicate<T> ok, long millis, String what) {
    long end = System.currentTimeMillis() + millis;
    T last;
    do {
      last = value.get();
      if (ok.test(last)) {
        return last;
      }
      sleep(50);
    } while (System.currentTimeMillis() < end);
    throw new AssertionError(what + ": not within " + millis + " ms; last seen: " + last);
  }

  /** {@link #until(Supplier, Predicate, long, String)} with the default deadline. */
  public static <T> T until(Supplier<T> value, Predicate<T> ok, String what) {
    return until(value, ok, DEADLINE_MILLIS, what);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
