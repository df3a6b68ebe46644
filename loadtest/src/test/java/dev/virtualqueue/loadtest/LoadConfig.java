package dev.virtualqueue.loadtest;

import java.time.Duration;

/**
 * Run parameters from system properties ({@code -Dvq.users=200}); scripts/loadtest.sh sets them.
 * Defaults are the full-size runs of docs/performance.md.
 */
public record LoadConfig(String baseUrl, String tenant, String email, String password, int users,
                         Duration ramp, Duration hold, int counters, int boards, double leaveShare,
                         Duration service, Duration wsTimeout, double loginShare) {

  /** Reads the properties; {@code defaultRampSeconds}/{@code defaultHoldSeconds} differ per simulation. */
  public static LoadConfig read(int defaultUsers, int defaultRampSeconds, int defaultHoldSeconds) {
    return new LoadConfig(
        text("vq.baseUrl", "http://127.0.0.1:8080"),
        text("vq.tenant", "demo"),
        text("vq.email", "owner@demo.test"),
        text("vq.password", "demo-password"),
        Integer.getInteger("vq.users", defaultUsers),
        Duration.ofSeconds(Integer.getInteger("vq.rampSeconds", defaultRampSeconds)),
        Duration.ofSeconds(Integer.getInteger("vq.holdSeconds", defaultHoldSeconds)),
        Integer.getInteger("vq.counters", 20),
        Integer.getInteger("vq.boards", 20),
        Double.parseDouble(text("vq.leaveShare", "0.1")),
        Duration.ofSeconds(Integer.getInteger("vq.serviceSeconds", 30)),
        Duration.ofSeconds(Integer.getInteger("vq.wsTimeoutSeconds", 30)),
        Double.parseDouble(text("vq.loginShare", "0.5")));
  }

  /** The HTTP and WebSocket protocol every simulation uses: shared connections, JSON accepted. */
  public io.gatling.javaapi.http.HttpProtocolBuilder protocol() {
    return io.gatling.javaapi.http.HttpDsl.http.baseUrl(baseUrl).wsBaseUrl(wsBaseUrl()).shareConnections()
        .acceptHeader("application/json");
  }

  /** {@code ws://} twin of the base URL. */
  public String wsBaseUrl() {
    return baseUrl.replaceFirst("^http", "ws");
  }

  /** Upper bound on the whole run: ramp, hold and two minutes of slack. */
  public Duration maxDuration() {
    return ramp.plus(hold).plusMinutes(2);
  }

  private static String text(String key, String fallback) {
    String v = System.getProperty(key);
    return v == null || v.isBlank() ? fallback : v;
  }
}
