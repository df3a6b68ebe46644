package dev.virtualqueue.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every setting the server reads, in one list: a config file may hold only these keys, and each is
 * overridden by its {@code VQ_} variable ({@link #envName}). A new setting goes here, into
 * {@code conf/virtual-queue.json} and into both production examples ({@code conf/production.example.json},
 * {@code conf/production.env.example}); {@code ProductionExamplesTest} fails otherwise.
 */
public final class ConfigKeys {
  /** Keys a config file may leave out (they have defaults), still overridable from the environment. */
  static final List<String> OPTIONAL = optional();

  /** Every key, the file's order first. */
  public static final List<String> ALL = all();

  private ConfigKeys() {
  }

  /** The environment variable that overrides a key: {@code http.port} → {@code VQ_HTTP_PORT}. */
  public static String envName(String key) {
    return "VQ_" + key.replaceAll("([a-z])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(Locale.ROOT);
  }

  private static List<String> optional() {
    List<String> keys = new ArrayList<>(List.of("rateLimit.enabled", "rateLimit.socketsPerAddress",
        "rateLimit.timeoutMillis", "http.trustedProxies"));
    for (String r : List.of("join", "tenantJoin", "ticketRead", "login", "staffWrite", "socket", "apiKey")) {
      keys.add("rateLimit." + r + "Burst");
      keys.add("rateLimit." + r + "PerMinute");
    }
    return List.copyOf(keys);
  }

  private static List<String> all() {
    List<String> keys = new ArrayList<>(List.of("profile",
        "http.host", "http.port", "http.instances", "http.bodyLimitBytes", "http.idleTimeoutSeconds",
        "http.requestTimeoutSeconds", "http.requestHeadTimeoutSeconds", "http.sendBufferBytes", "http.publicUrl",
        "http.tlsCertFile", "http.tlsKeyFile", "http.drainSeconds",
        "management.host", "management.port", "management.metricsTokenFile", "management.metricsUsername",
        "management.metricsPasswordFile",
        "pg.url", "pg.passwordFile", "pg.poolSize", "pg.maxWaitQueue", "pg.connectTimeoutSeconds", "pg.queryTimeoutMillis",
        "redis.url", "redis.passwordFile", "redis.poolSize", "redis.maxWaiting", "redis.keyPrefix",
        "redis.commandTimeoutMillis",
        "jwt.keysDir", "jwt.issuer", "jwt.ttlSeconds",
        "live.coalesceMillis", "live.pingSeconds", "live.slowConsumerSeconds", "live.maxQueuedBytes",
        "live.allowedOrigins",
        "idempotency.retentionHours", "audit.retentionDays", "secrets.keyFile",
        "mail.host", "mail.port", "mail.from", "mail.starttls", "mail.username", "mail.passwordFile",
        "mail.trustFile", "mail.tenantPerHour",
        "webhook.allowPrivateNetworks", "webhook.timeoutSeconds"));
    keys.addAll(OPTIONAL);
    return List.copyOf(keys);
  }
}
