package dev.virtualqueue.server;

import dev.virtualqueue.common.Json;
import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Asks a scraper of {@code /metrics} for the credentials the operator set: a bearer token
 * ({@code Authorization: Bearer …}, Prometheus {@code authorization.credentials_file}) or basic auth
 * (Prometheus {@code basic_auth}), either one accepted when both are set. Only SHA-256 digests of the
 * secrets are kept, compared in constant time. Without either setting every scrape passes.
 */
final class MetricsGuard implements Handler<RoutingContext> {
  private final byte[] token;
  private final byte[] basic;
  private final String challenge;

  private MetricsGuard(byte[] token, byte[] basic) {
    this.token = token;
    this.basic = basic;
    List<String> schemes = new ArrayList<>();
    if (token != null) {
      schemes.add("Bearer realm=\"metrics\"");
    }
    if (basic != null) {
      schemes.add("Basic realm=\"metrics\", charset=\"UTF-8\"");
    }
    this.challenge = String.join(", ", schemes);
  }

  /** Reads the secret files off the event loop; fails when a configured file is missing or empty. */
  static Future<MetricsGuard> load(Vertx vertx, AppConfig.Management cfg) {
    return vertx.executeBlocking(() -> new MetricsGuard(
        cfg.metricsTokenFile().isEmpty() ? null : digest(secret(cfg.metricsTokenFile(), "metricsTokenFile")),
        cfg.metricsUsername().isEmpty() ? null
            : digest(cfg.metricsUsername() + ":" + secret(cfg.metricsPasswordFile(), "metricsPasswordFile"))),
        false);
  }

  boolean open() {
    return token == null && basic == null;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (open() || allowed(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
      ctx.next();
      return;
    }
    Problem problem = Problem.of(401, "Unauthorized", "metrics.unauthorized",
        "This scrape needs the metrics credentials.", ctx.request().path(), null);
    ctx.response().setStatusCode(401)
        .putHeader("WWW-Authenticate", challenge)
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.CONTENT_TYPE)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(Json.write(problem));
  }

  private boolean allowed(String header) {
    if (header == null) {
      return false;
    }
    int space = header.indexOf(' ');
    if (space < 0) {
      return false;
    }
    String scheme = header.substring(0, space).toLowerCase(Locale.ROOT);
    String value = header.substring(space + 1).strip();
    if (scheme.equals("bearer") && token != null) {
      return MessageDigest.isEqual(token, digest(value));
    }
    if (scheme.equals("basic") && basic != null) {
      try {
        return MessageDigest.isEqual(basic, digest(new String(Base64.getDecoder().decode(value),
            StandardCharsets.UTF_8)));
      } catch (IllegalArgumentException notBase64) {
        return false;
      }
    }
    return false;
  }

  private static String secret(String file, String key) throws IOException {
    String value = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    if (value.isEmpty()) {
      throw new IOException("management." + key + " " + file + " is empty");
    }
    return value;
  }

  private static byte[] digest(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
