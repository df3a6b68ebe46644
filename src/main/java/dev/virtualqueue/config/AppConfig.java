package dev.virtualqueue.config;

import java.net.URI;
import java.util.List;

/** The whole typed configuration, parsed and validated once at start-up by {@link ConfigLoader}. */
public record AppConfig(Profile profile, Http http, Management management, Pg pg, Redis redis,
                        Jwt jwt, Live live, int idempotencyRetentionHours, Secrets secrets, Mail mail,
                        Webhooks webhooks, RateLimit rateLimit,
                        int auditRetentionDays) {

  public enum Profile { DEV, PROD }

  public boolean dev() {
    return profile == Profile.DEV;
  }

  /**
   * The API listener. {@code requestHeadTimeoutSeconds} bounds how long a request line and headers
   * may take to arrive (from the connection's start or the first byte of a later request), which the
   * idle timeout cannot: every byte resets it. {@code tlsCertFile} and {@code tlsKeyFile} (PEM: the
   * certificate chain, and its PKCS#8 or PKCS#1 private key) turn on TLS in the server; empty: plain HTTP,
   * for a server behind a proxy that terminates TLS. {@code drainSeconds}: on SIGTERM, how long
   * {@code /health/ready} answers 503 (so load balancers stop sending) before live sockets get
   * {@code bye} and the listener closes.
   */
  public record Http(String host, int port, int instances, int bodyLimitBytes,
                     int idleTimeoutSeconds, int requestTimeoutSeconds, int requestHeadTimeoutSeconds,
                     int sendBufferBytes, String publicUrl, String tlsCertFile, String tlsKeyFile,
                     int drainSeconds) {
    /** Whether the server terminates TLS itself. */
    public boolean tls() {
      return !tlsCertFile.isEmpty();
    }
  }

  /**
   * The management port (metrics and health), on loopback unless told otherwise. {@code /metrics}
   * asks for a bearer token read from {@code metricsTokenFile}, or basic auth with
   * {@code metricsUsername} and the password in {@code metricsPasswordFile}, when either is set
   * (both may be); health stays open for probes.
   */
  public record Management(String host, int port, String metricsTokenFile, String metricsUsername,
                           String metricsPasswordFile) {
    /** Whether {@code /metrics} asks for credentials. */
    public boolean metricsProtected() {
      return !metricsTokenFile.isEmpty() || !metricsUsername.isEmpty();
    }
  }

  /**
   * Postgres connection; {@code url} is a libpq URI; {@code queryTimeoutMillis} bounds every query and
   * transaction (then 503, not a hang while Postgres is frozen).
   */
  public record Pg(URI url, int poolSize, int maxWaitQueue, int connectTimeoutSeconds, int queryTimeoutMillis) {
  }

  /** Redis; {@code commandTimeoutMillis} is the deadline of every command (then 503, not a hang). */
  public record Redis(String url, int poolSize, int maxWaiting, String keyPrefix, int commandTimeoutMillis) {
  }

  /** Where signing keys live; empty {@code keysDir} is allowed only in the dev profile. */
  public record Jwt(String keysDir, String issuer, int ttlSeconds) {
  }

  /**
   * Live sockets: coalescing interval, ping period, how long a blocked socket may lag before it
   * is closed, and extra browser origins allowed to open sockets ("*" for any).
   */
  public record Live(int coalesceMillis, int pingSeconds, int slowConsumerSeconds, int maxQueuedBytes,
                     List<String> allowedOrigins) {
  }

  /**
   * The server's own secret, for sealing webhook secrets and signing links in messages: a file of
   * at least 32 random bytes (base64). Empty {@code keyFile}: {@code secrets.key} in the JWT keys
   * folder (or {@code .dev/} in the dev profile), made at first start.
   */
  public record Secrets(String keyFile) {
  }

  /**
   * Outgoing e-mail; an empty {@code host} turns e-mail off (the pages then ask for no address).
   * {@code tenantPerHour} is each tenant's send budget; more waits for the next hour.
   * {@code trustFile}: PEM certificates to trust for the SMTP server's TLS instead of the JDK's
   * (a relay with a private CA or a self-signed certificate); empty: the JDK's trust store.
   */
  public record Mail(String host, int port, String from, StartTls starttls, String username, String passwordFile,
                     int tenantPerHour, String trustFile) {
    public enum StartTls { DISABLED, OPTIONAL, REQUIRED }

    public boolean enabled() {
      return !host.isEmpty();
    }
  }

  /**
   * Outgoing webhooks: {@code allowPrivateNetworks} lifts the SSRF guard (tests, on-premise
   * receivers); {@code timeoutSeconds} bounds one attempt.
   */
  public record Webhooks(boolean allowPrivateNetworks, int timeoutSeconds) {
  }

  /**
   * Rate limits (docs/rate-limits.md): each a GCRA of {@code burst} at once and {@code perMinute}
   * sustained, per client address (join, ticket read, login, staff writes, socket upgrades) or per
   * API key, and {@code tenantJoin} for all of one tenant's public joins together (a queue may override
   * {@code join} for itself); {@code socketsPerAddress} caps one address's open sockets on one instance;
   * {@code timeoutMillis} bounds the Redis check (then the in-process fallback decides);
   * {@code trustedProxies} (CIDRs) are the peers whose X-Forwarded-For is believed.
   */
  public record RateLimit(boolean enabled, Rate join, Rate tenantJoin, Rate ticketRead, Rate login, Rate staffWrite,
                          Rate socket, Rate apiKey, int socketsPerAddress, int timeoutMillis,
                          List<String> trustedProxies) {
  }

  /** One limiter's numbers. */
  public record Rate(int burst, int perMinute) {
  }

  /** Returns a copy with other database and Redis settings (tests use their own). */
  public AppConfig withStores(URI pgUrl, String redisUrl, String redisPrefix) {
    return new AppConfig(profile, http, management,
        new Pg(pgUrl, pg.poolSize(), pg.maxWaitQueue(), pg.connectTimeoutSeconds(), pg.queryTimeoutMillis()),
        new Redis(redisUrl, redis.poolSize(), redis.maxWaiting(), redisPrefix, redis.commandTimeoutMillis()), jwt, live,
        idempotencyRetentionHours, secrets, mail, webhooks, rateLimit, auditRetentionDays);
  }
}
