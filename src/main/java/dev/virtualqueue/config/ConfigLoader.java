package dev.virtualqueue.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@code conf/virtual-queue.json} (or the file named by {@code VQ_CONFIG}) and applies
 * {@code VQ_*} environment overrides: key {@code http.port} is overridden by {@code VQ_HTTP_PORT},
 * {@code redis.keyPrefix} by {@code VQ_REDIS_KEY_PREFIX}. Every bad value yields one line.
 */
public final class ConfigLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String> errors = new ArrayList<>();

  private ConfigLoader() {
  }

  /** Loads and validates; throws {@link ConfigException} listing every problem. */
  public static AppConfig load(Map<String, String> env) {
    return load(env, true);
  }

  /**
   * As {@link #load(Map)}, for operator commands that sign no token ({@code bootstrap}): the JWT
   * keys folder may then be unset in any profile.
   */
  public static AppConfig loadWithoutKeys(Map<String, String> env) {
    return load(env, false);
  }

  private static AppConfig load(Map<String, String> env, boolean needKeys) {
    ConfigLoader loader = new ConfigLoader();
    loader.readFile(Path.of(env.getOrDefault("VQ_CONFIG", "conf/virtual-queue.json")));
    loader.applyEnv(env);
    AppConfig config = loader.build(needKeys);
    loader.checkEnvironment(config, env, needKeys);
    if (!loader.errors.isEmpty()) {
      throw new ConfigException(loader.errors);
    }
    return config;
  }

  /** The environment variable that overrides a key. */
  public static String envName(String key) {
    return ConfigKeys.envName(key);
  }

  private void readFile(Path file) {
    if (!Files.isRegularFile(file)) {
      errors.add("config file " + file.toAbsolutePath() + " not found (set VQ_CONFIG or run from the project folder)");
      return;
    }
    try {
      Map<String, Object> raw = new ObjectMapper().readValue(file.toFile(), new TypeReference<>() { });
      raw.forEach((k, v) -> values.put(k, v == null ? "" : String.valueOf(v)));
      raw.keySet().stream().filter(k -> !ConfigKeys.ALL.contains(k)).forEach(k -> errors.add("config file " + file
          + ": '" + k + "' is not a setting (did you mean '" + EnvironmentCheck.nearest(k, ConfigKeys.ALL) + "'?)"));
    } catch (IOException e) {
      errors.add("config file " + file + " is not valid JSON: " + e.getMessage());
    }
  }

  private void applyEnv(Map<String, String> env) {
    for (String key : ConfigKeys.ALL) {
      String override = env.get(envName(key));
      if (override != null) {
        values.put(key, override);
      }
    }
  }

  /**
   * Production starts refuse mistyped variables and development leftovers ({@link ProductionChecks});
   * the dev profile logs them as warnings and goes on.
   */
  private void checkEnvironment(AppConfig config, Map<String, String> env, boolean serving) {
    List<String> unknown = EnvironmentCheck.unknown(env);
    if (config.dev()) {
      unknown.forEach(line -> LOG.warn("{} (the dev profile goes on; any other profile refuses to start)", line));
      return;
    }
    errors.addAll(unknown);
    if (serving) {
      errors.addAll(ProductionChecks.problems(config, env));
      ProductionChecks.warnings(config).forEach(LOG::warn);
    }
  }

  private AppConfig build(boolean needKeys) {
    AppConfig.Profile profile = profile();
    var http = http();
    var mgmt = management();
    var pg = new AppConfig.Pg(secretIn(pgUrl(), "pg.passwordFile"), integer("pg.poolSize", 1, 200),
        integer("pg.maxWaitQueue", 1, 100_000), integer("pg.connectTimeoutSeconds", 1, 120),
        integer("pg.queryTimeoutMillis", 100, 600_000));
    var redis = new AppConfig.Redis(secretIn(redisUrl(), "redis.passwordFile"), integer("redis.poolSize", 1, 200),
        integer("redis.maxWaiting", 1, 100_000), prefix(), integer("redis.commandTimeoutMillis", 50, 60_000));
    var jwt = new AppConfig.Jwt(optional("jwt.keysDir"), text("jwt.issuer"),
        integer("jwt.ttlSeconds", 60, 86_400));
    if (needKeys && profile != AppConfig.Profile.DEV && jwt.keysDir().isBlank()) {
      errors.add(envName("jwt.keysDir") + " is required outside the dev profile (a folder with the JWT signing keys)");
    }
    var live = new AppConfig.Live(integer("live.coalesceMillis", 0, 10_000), integer("live.pingSeconds", 1, 300),
        integer("live.slowConsumerSeconds", 1, 600), integer("live.maxQueuedBytes", 1_024, 1_048_576),
        Arrays.stream(optional("live.allowedOrigins").split(","))
            .map(String::trim).filter(o -> !o.isEmpty()).toList());
    return new AppConfig(profile, http, mgmt, pg, redis, jwt, live,
        integer("idempotency.retentionHours", 1, 24 * 30), new AppConfig.Secrets(optional("secrets.keyFile")),
        mail(http.publicUrl()), new AppConfig.Webhooks(bool("webhook.allowPrivateNetworks"),
            integer("webhook.timeoutSeconds", 1, 60)), rateLimit(),
        integer("audit.retentionDays", 1, 36_500));
  }

  private AppConfig.Http http() {
    String cert = optional("http.tlsCertFile");
    String key = optional("http.tlsKeyFile");
    if (cert.isEmpty() != key.isEmpty()) {
      errors.add(envName("http.tlsCertFile") + " and " + envName("http.tlsKeyFile") + " go together (PEM certificate"
          + " chain and its private key for TLS in the server)");
    }
    readable("http.tlsCertFile");
    readable("http.tlsKeyFile");
    return new AppConfig.Http(text("http.host"), port("http.port"),
        integer("http.instances", 0, 64), integer("http.bodyLimitBytes", 1024, 10 << 20),
        integer("http.idleTimeoutSeconds", 1, 3600), integer("http.requestTimeoutSeconds", 1, 600),
        integer("http.requestHeadTimeoutSeconds", 1, 600), integer("http.sendBufferBytes", 0, 16 << 20),
        optional("http.publicUrl"), cert, key, integer("http.drainSeconds", 0, 300));
  }

  private void readable(String key) {
    String file = optional(key);
    if (!file.isEmpty() && !Files.isReadable(Path.of(file))) {
      errors.add(envName(key) + "=" + file + " is not a readable file");
    }
  }

  /** A URL with the password of {@code fileKey}'s file put in (its user kept; none: the OS user, as libpq). */
  private URI secretIn(URI url, String fileKey) {
    String file = optional(fileKey);
    if (file.isEmpty()) {
      return url;
    }
    String info = url.getUserInfo() == null ? "" : url.getUserInfo();
    if (info.contains(":")) {
      errors.add(envName(fileKey) + " is set and the URL holds a password too: keep the password only in the file");
      return url;
    }
    try {
      String password = Files.readString(Path.of(file)).strip();
      String user = info.isEmpty() && url.getScheme().startsWith("postgres") ? System.getProperty("user.name") : info;
      return URI.create(url.getScheme() + "://" + encode(user) + ":" + encode(password) + "@" + url.getHost()
          + (url.getPort() > 0 ? ":" + url.getPort() : "") + (url.getRawPath() == null ? "" : url.getRawPath())
          + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
    } catch (IOException e) {
      errors.add(envName(fileKey) + "=" + file + " cannot be read: " + e.getMessage());
    }
    return url;
  }

  /** Percent-encodes all but letters, digits and {@code . - _ *}: safe in a URL's user info for every parser. */
  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private String secretIn(String url, String fileKey) {
    return optional(fileKey).isEmpty() ? url : secretIn(URI.create(url), fileKey).toString();
  }

  /** Rate-limit settings: optional in the file (the defaults are docs/rate-limits.md's). */
  private AppConfig.RateLimit rateLimit() {
    String enabled = values.getOrDefault("rateLimit.enabled", "true");
    values.put("rateLimit.enabled", enabled);
    return new AppConfig.RateLimit(bool("rateLimit.enabled"), rate("join", 60, 120), rate("tenantJoin", 3_000, 60_000),
        rate("ticketRead", 120, 600),
        rate("login", 10, 30), rate("staffWrite", 120, 600), rate("socket", 60, 300), rate("apiKey", 300, 1200),
        integerOr("rateLimit.socketsPerAddress", 500), integerOr("rateLimit.timeoutMillis", 200),
        Arrays.stream(optional("http.trustedProxies").split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList());
  }

  private AppConfig.Rate rate(String name, int burst, int perMinute) {
    return new AppConfig.Rate(integerOr("rateLimit." + name + "Burst", burst),
        integerOr("rateLimit." + name + "PerMinute", perMinute));
  }

  private int integerOr(String key, int fallback) {
    values.putIfAbsent(key, String.valueOf(fallback));
    return integer(key, 1, 10_000_000);
  }

  private AppConfig.Mail mail(String publicUrl) {
    String host = optional("mail.host");
    var starttls = AppConfig.Mail.StartTls.OPTIONAL;
    String tls = optional("mail.starttls").toUpperCase(Locale.ROOT);
    try {
      starttls = AppConfig.Mail.StartTls.valueOf(tls.isEmpty() ? "OPTIONAL" : tls);
    } catch (IllegalArgumentException e) {
      errors.add(envName("mail.starttls") + "=" + tls + " is not DISABLED, OPTIONAL or REQUIRED");
    }
    var mail = new AppConfig.Mail(host, port("mail.port"), optional("mail.from"), starttls, optional("mail.username"),
        optional("mail.passwordFile"), integer("mail.tenantPerHour", 1, 1_000_000), optional("mail.trustFile"));
    if (mail.enabled()) {
      if (!mail.from().matches("[^@\\s<>]+@[^@\\s<>]+|.*<[^@\\s<>]+@[^@\\s<>]+>")) {
        errors.add(envName("mail.from") + " is required with " + envName("mail.host")
            + " (the sender address, e.g. Queue <queue@example.org>)");
      }
      if (publicUrl.isEmpty()) {
        errors.add(envName("http.publicUrl") + " is required with " + envName("mail.host")
            + " (the base of the links in messages, e.g. https://queue.example.org)");
      }
      if (!mail.username().isEmpty() && mail.passwordFile().isEmpty()) {
        errors.add(envName("mail.passwordFile") + " is required with " + envName("mail.username"));
      }
    }
    return mail;
  }

  private boolean bool(String key) {
    String v = optional(key).toLowerCase(Locale.ROOT);
    if (!v.isEmpty() && !v.equals("true") && !v.equals("false")) {
      errors.add(envName(key) + "=" + v + " is not true or false");
    }
    return v.equals("true");
  }

  private AppConfig.Profile profile() {
    String p = text("profile").toLowerCase(Locale.ROOT);
    return switch (p) {
      case "dev" -> AppConfig.Profile.DEV;
      case "prod", "production" -> AppConfig.Profile.PROD;
      default -> {
        errors.add(envName("profile") + "=" + p + " is not a profile (dev or prod)");
        yield AppConfig.Profile.PROD;
      }
    };
  }

  private AppConfig.Management management() {
    var mgmt = new AppConfig.Management(text("management.host"), port("management.port"),
        optional("management.metricsTokenFile"), optional("management.metricsUsername"),
        optional("management.metricsPasswordFile"));
    if (mgmt.metricsUsername().isEmpty() != mgmt.metricsPasswordFile().isEmpty()) {
      errors.add(envName("management.metricsUsername") + " and " + envName("management.metricsPasswordFile")
          + " go together (basic auth for /metrics)");
    }
    return mgmt;
  }

  private String optional(String key) {
    return values.getOrDefault(key, "").trim();
  }

  private String text(String key) {
    String v = optional(key);
    if (v.isEmpty()) {
      errors.add(envName(key) + " (" + key + ") is missing");
    }
    return v;
  }

  private int integer(String key, int min, int max) {
    String v = text(key);
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        errors.add(envName(key) + "=" + v + " is out of range " + min + ".." + max);
      }
      return n;
    } catch (NumberFormatException e) {
      if (!v.isEmpty()) {
        errors.add(envName(key) + "=" + v + " is not a whole number");
      }
      return min;
    }
  }

  private int port(String key) {
    return integer(key, 0, 65_535);
  }

  private URI pgUrl() {
    String v = text("pg.url");
    try {
      URI uri = URI.create(v);
      if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme()) || uri.getHost() == null) {
        errors.add(envName("pg.url") + "=" + v + " is not a libpq URI like postgresql://user@host:5432/db");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      errors.add(envName("pg.url") + " is not a valid URI: " + e.getMessage());
      return URI.create("postgresql://localhost/invalid");
    }
  }

  private String redisUrl() {
    String v = text("redis.url");
    if (!v.startsWith("redis://") && !v.startsWith("rediss://")) {
      errors.add(envName("redis.url") + "=" + v + " is not a URL like redis://host:6379/0");
    }
    return v;
  }

  private String prefix() {
    String v = text("redis.keyPrefix");
    if (!v.matches("[A-Za-z0-9_:.-]{1,64}")) {
      errors.add(envName("redis.keyPrefix") + "=" + v + " may hold only letters, digits and _:.-");
    }
    return v;
  }

  /** Start-up refusal: one line per bad setting. */
  public static final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
      super(String.join("\n", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }
}
