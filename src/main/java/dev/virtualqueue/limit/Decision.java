package dev.virtualqueue.limit;

/**
 * A limiter's answer: allowed or not, how many more requests would be allowed now, how long
 * until the next one is (0 when allowed) and until the bucket is full again, in milliseconds.
 */
public record Decision(boolean allowed, long remaining, long retryAfterMillis, long resetMillis) {

  /** Whole seconds to wait, at least 1 (the {@code Retry-After} value). */
  public long retryAfterSeconds() {
    return Math.max(1, (retryAfterMillis + 999) / 1000);
  }

  /** The IETF {@code RateLimit} item. */
  public String header(String name) {
    long t = allowed ? (resetMillis + 999) / 1000 : retryAfterSeconds();
    return "\"" + name + "\";r=" + remaining + ";t=" + t;
  }
}
