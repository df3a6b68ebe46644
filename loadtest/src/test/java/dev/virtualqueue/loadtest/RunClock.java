package dev.virtualqueue.loadtest;

import java.time.Duration;

/**
 * The common end of a run: people joined early and late all hang up together, so the number of
 * held sockets stays at its peak for the whole hold. Started in the simulation's {@code before()}.
 */
public final class RunClock {

  private volatile long endMillis = Long.MAX_VALUE;

  /** Sets the end {@code total} from now. */
  public void start(Duration total) {
    endMillis = System.currentTimeMillis() + total.toMillis();
  }

  /** Time left until the end, never negative. */
  public Duration remaining() {
    return Duration.ofMillis(Math.max(0, endMillis - System.currentTimeMillis()));
  }

  public boolean running() {
    return System.currentTimeMillis() < endMillis;
  }
}
