package dev.virtualqueue.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * When a failed webhook delivery is tried again. Retries follow the schedule 5 s, 5 min, 30 min,
 * 2 h, 5 h, 10 h, 10 h after each failure, each step jittered by up to ±10 %, so one event gets 8
 * attempts over about 28 hours, then becomes a dead letter.
 *
 * <p>{@code Retry-After} on a 429 or 503 is honoured as a lower bound: the next attempt is at the
 * later of the plan's step and the receiver's wish, never earlier (a receiver may slow us down but
 * not make us retry faster than the plan), and never more than {@link #MAX_RETRY_AFTER} away. It
 * still counts as an attempt, so a receiver that always asks for more time ends as a dead letter too.
 *
 * <p>The endpoint is disabled on a 410 Gone, and when it has failed without a single success for
 * {@link #DISABLE_AFTER}. Every other outcome that is not a 2xx (3xx included: redirects are not
 * followed; timeouts and connection errors, status 0) is retried.
 */
public final class RetryPlan {
  public static final List<Duration> STEPS = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
      Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
  public static final int MAX_ATTEMPTS = STEPS.size() + 1;
  public static final double JITTER = 0.10;
  public static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);
  public static final Duration DISABLE_AFTER = Duration.ofDays(5);
  /** The disable reason of a 410 Gone. */
  public static final String GONE = "gone";
  /** The disable reason of {@link #DISABLE_AFTER} without a success. */
  public static final String FAILING = "failing";

  private final Clock clock;
  private final RandomGenerator random;

  public RetryPlan(Clock clock, RandomGenerator random) {
    this.clock = clock;
    this.random = random;
  }

  /** How one attempt ended: the HTTP status (0 for no response) and its Retry-After, if any. */
  public record Outcome(int status, String retryAfter) {
    public static Outcome noResponse() {
      return new Outcome(0, null);
    }

    public static Outcome status(int status) {
      return new Outcome(status, null);
    }

    public boolean delivered() {
      return status >= 200 && status < 300;
    }
  }

  /** What to do after an attempt that did not deliver. */
  public sealed interface Decision {
    /** Try again at {@code at}. */
    record Retry(Instant at) implements Decision {
    }

    /** No attempt left: a dead letter, to be listed and retried by hand. */
    record Dead() implements Decision {
    }

    /** Stop delivering to this endpoint (and tell its tenant); {@code reason} is stable. */
    record DisableEndpoint(String reason) implements Decision {
    }
  }

  /**
   * The decision after attempt number {@code attempt} (1 for the first delivery) failed.
   *
   * @param failingSince when the endpoint's current run of failures began (its last success, or
   *     its first failure after one); null when this failure starts the run
   */
  public Decision afterFailure(int attempt, Outcome outcome, Instant failingSince) {
    if (attempt < 1 || outcome.delivered()) {
      throw new IllegalArgumentException("attempt " + attempt + " with status " + outcome.status());
    }
    Instant now = clock.instant();
    if (outcome.status() == 410) {
      return new Decision.DisableEndpoint(GONE);
    }
    if (failingSince != null && !now.isBefore(failingSince.plus(DISABLE_AFTER))) {
      return new Decision.DisableEndpoint(FAILING);
    }
    if (attempt >= MAX_ATTEMPTS) {
      return new Decision.Dead();
    }
    Duration delay = jittered(STEPS.get(attempt - 1));
    if (outcome.status() == 429 || outcome.status() == 503) {
      delay = max(delay, RetryAfter.parse(outcome.retryAfter(), now).orElse(Duration.ZERO));
    }
    return new Decision.Retry(now.plus(min(delay, MAX_RETRY_AFTER)));
  }

  private Duration jittered(Duration step) {
    double factor = 1 + JITTER * (2 * random.nextDouble() - 1);
    return Duration.ofMillis(Math.round(step.toMillis() * factor));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
