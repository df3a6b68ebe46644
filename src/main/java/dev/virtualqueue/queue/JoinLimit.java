package dev.virtualqueue.queue;

import dev.virtualqueue.common.Errors;
import dev.virtualqueue.common.Validate;

/**
 * A queue's own limit on joins per client address (docs/rate-limits.md), in place of the server's
 * {@code rateLimit.join}: {@code burst} joins at once, {@code perMinute} sustained. A venue whose
 * crowd joins through one NAT address raises it; a queue that must not be flooded lowers it. An
 * empty object ({@code {}}) goes back to the server's limit.
 */
public record JoinLimit(Integer burst, Integer perMinute) {

  /** True for the empty object: no limit of the queue's own. */
  public boolean cleared() {
    return burst == null && perMinute == null;
  }

  /** A checked copy (400 when only one of the two is given or either is out of range); null when cleared. */
  public JoinLimit validated() {
    if (cleared()) {
      return null;
    }
    if (burst == null || perMinute == null) {
      throw Errors.invalid("joinLimit needs both burst and perMinute, or neither (the server's limit).");
    }
    return new JoinLimit(Validate.range("joinLimit.burst", burst, 1, 10_000, 0),
        Validate.range("joinLimit.perMinute", perMinute, 1, 100_000, 0));
  }
}
