package dev.virtualqueue.limit;

/**
 * One limiter's policy, a GCRA: {@code perMinute} requests a minute sustained, of which up to
 * {@code burst} may come at once.
 */
public record Limit(String name, int burst, int perMinute) {

  /** The time one request "costs": 60 s spread over the minute's quota. */
  public long intervalMillis() {
    return Math.max(1, 60_000L / Math.max(1, perMinute));
  }

  /** The IETF {@code RateLimit-Policy} item: the sustained quota over a 60 s window. */
  public String policyHeader() {
    return "\"" + name + "\";q=" + perMinute + ";w=60";
  }
}
