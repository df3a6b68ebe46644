package dev.virtualqueue.webhook;

/**
 * How one attempt went: the HTTP status (0 when no response came), the {@code Retry-After} header,
 * the start of the response body, an error for people (null on a 2xx), and the time it took.
 */
record AttemptResult(int status, String retryAfter, String excerpt, String error, long latencyMs) {

  static AttemptResult failed(String error, long latencyMs) {
    return new AttemptResult(0, null, null, error, latencyMs);
  }

  boolean delivered() {
    return status >= 200 && status < 300;
  }

  RetryPlan.Outcome outcome() {
    return new RetryPlan.Outcome(status, retryAfter);
  }
}
