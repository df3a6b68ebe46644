package dev.virtualqueue.notify;

import java.time.Duration;
import java.util.Optional;

/**
 * When "almost your turn" is due: once the people ahead are at most {@code notifyAhead}, or the p50
 * ETA is at most {@code notifyMinutes}, whichever comes first, and only once per ticket. Either
 * threshold may be off (null); the ticket's own choice, else its queue's default, is passed in.
 */
public final class AlmostTurn {
  /** Which threshold fired. */
  public enum Trigger { AHEAD, ETA }

  private AlmostTurn() {
  }

  /**
   * The trigger if the message is due now, else empty.
   *
   * @param alreadySent whether this ticket got (or has queued) the message before
   * @param peopleAhead people who will be called first (position - 1)
   * @param etaP50 the median wait, or null when there is no estimate
   */
  public static Optional<Trigger> due(boolean alreadySent, long peopleAhead, Duration etaP50, Integer notifyAhead,
      Integer notifyMinutes) {
    if (alreadySent || peopleAhead < 0) {
      return Optional.empty();
    }
    if (notifyAhead != null && peopleAhead <= notifyAhead) {
      return Optional.of(Trigger.AHEAD);
    }
    if (notifyMinutes != null && etaP50 != null && etaP50.compareTo(Duration.ofMinutes(notifyMinutes)) <= 0) {
      return Optional.of(Trigger.ETA);
    }
    return Optional.empty();
  }
}
