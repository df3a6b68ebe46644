package dev.virtualqueue.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a production start (any profile but dev) refuses although each value on its own is valid:
 * development leftovers that would make the deployment unsafe. The demo tenant in the database is
 * checked later, once the database is reached ({@code dev/DemoSeeder#refuseInProduction}).
 */
final class ProductionChecks {
  private ProductionChecks() {
  }

  /** One line per problem; empty when the settings are fit for production. */
  static List<String> problems(AppConfig config, Map<String, String> env) {
    List<String> lines = new ArrayList<>();
    Path devHome = Path.of(env.getOrDefault("VQ_DEV_HOME", ".dev"));
    if (inDevFolder(config.jwt().keysDir(), devHome)) {
      lines.add(ConfigKeys.envName("jwt.keysDir") + "=" + config.jwt().keysDir() + " is the dev profile's folder"
          + " of throwaway keys: make production keys with 'virtual-queue keys generate --dir <folder>' (docs/auth.md)");
    }
    if (inDevFolder(config.secrets().keyFile(), devHome)) {
      lines.add(ConfigKeys.envName("secrets.keyFile") + "=" + config.secrets().keyFile() + " is the dev profile's"
          + " throwaway server key: point it at the deployment's own key file (docs/operations.md)");
    }
    for (String proxy : config.rateLimit().trustedProxies()) {
      if (proxy.trim().matches(".*/0+")) {
        lines.add(ConfigKeys.envName("http.trustedProxies") + " holds " + proxy.trim() + ", which trusts every"
            + " address: any client could then forge X-Forwarded-For and X-Forwarded-Proto; list only the"
            + " load balancers' addresses");
      }
    }
    return lines;
  }

  /** Warnings that do not stop a start: settings that are sometimes right and often a mistake. */
  static List<String> warnings(AppConfig config) {
    List<String> lines = new ArrayList<>();
    if (!loopback(config.management().host()) && !config.management().metricsProtected()) {
      lines.add(ConfigKeys.envName("management.host") + "=" + config.management().host() + " without "
          + ConfigKeys.envName("management.metricsTokenFile") + ": /metrics answers anyone who reaches the"
          + " management port; keep that port on a private network or give /metrics a token (docs/metrics.md)");
    }
    return lines;
  }

  /** Whether a path setting lies in a {@code .dev} folder or under {@code VQ_DEV_HOME}, where the dev profile keeps keys. */
  private static boolean inDevFolder(String setting, Path devHome) {
    if (setting.isBlank()) {
      return false;
    }
    Path p = Path.of(setting).toAbsolutePath().normalize();
    for (Path part : p) {
      if (part.toString().equals(".dev")) {
        return true;
      }
    }
    return p.startsWith(devHome.toAbsolutePath().normalize());
  }

  private static boolean loopback(String host) {
    if ("localhost".equalsIgnoreCase(host)) {
      return true;
    }
    try {
      return host.matches("[0-9a-fA-F:.]+") && InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
