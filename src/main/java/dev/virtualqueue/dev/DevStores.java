package dev.virtualqueue.dev;

import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.db.Database;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development run's fallback for a machine with nothing but Java and Maven: when nothing
 * answers at the configured Postgres or Redis address (on this machine), it starts one there
 * before Vert.x starts: an embedded Postgres whose data is kept in {@code .dev/postgres}, and
 * Redis ({@code redis-server} from the PATH or an embedded one). Never used outside the dev
 * profile: a production start fails fast on a missing store instead.
 */
public final class DevStores implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DevStores.class);
  private static final int PROBE_MILLIS = 500;

  private final List<AutoCloseable> started = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean handedOver;

  private DevStores() {
  }

  /**
   * Starts the missing stores for a dev-profile config (nothing otherwise), blocking the calling
   * thread. Their data and unpacked binaries live in {@code VQ_DEV_HOME} (default {@code .dev} in
   * the working directory, git-ignored). They stop at JVM exit, or at {@link #close()} once the
   * caller took them over with {@link #handOver()} (so they outlive the server's own shutdown).
   */
  public static DevStores ensure(AppConfig config, Map<String, String> env) {
    DevStores stores = new DevStores();
    if (!config.dev()) {
      return stores;
    }
    Path home = Path.of(env.getOrDefault("VQ_DEV_HOME", ".dev")).toAbsolutePath();
    URI pg = config.pg().url();
    if (missing(pg.getHost(), port(pg, 5432), "Postgres", pg.toString())) {
      stores.startPostgres(pg, home);
    }
    URI redis = URI.create(config.redis().url());
    if (missing(redis.getHost(), port(redis, 6379), "Redis", config.redis().url())) {
      stores.startRedis(redis, home);
    }
    if (!stores.started.isEmpty()) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        if (!stores.handedOver) {
          stores.close();
        }
      }, "dev-stores-stop"));
    }
    return stores;
  }

  /** From now on the caller stops the stores with {@link #close()}, after its server. */
  public void handOver() {
    handedOver = true;
  }

  /** Nothing accepts a TCP connection at that address, and it is on this machine (never replace a remote one). */
  static boolean missing(String host, int port, String what, String url) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), PROBE_MILLIS);
      return false;
    } catch (IOException e) {
      if (!isLoopback(host)) {
        LOG.warn("dev: nothing answers at {} ({}); not an address on this machine, so no {} is started", url,
            e.getMessage(), what);
        return false;
      }
      return true;
    }
  }

  private void startPostgres(URI url, Path home) {
    if (!onClassPath("io.zonky.test.db.postgres.embedded.EmbeddedPostgres")) {
      LOG.warn("dev: nothing answers at {}, and the embedded Postgres is not on the class path"
          + " (scripts/run-dev.sh puts it there)", url);
      return;
    }
    Path data = home.resolve("postgres");
    LOG.info("dev: nothing answers at {}: starting an embedded Postgres with its data in {}"
        + " (the first start unpacks it and creates the cluster)", url, data);
    try {
      DevPostgres pg = DevPostgres.start(data, home.resolve("postgres-binaries"), port(url, 5432), true);
      started.add(pg);
      pg.ensureRole(Database.user(url), Database.password(url));
      LOG.info("dev: started an embedded Postgres on 127.0.0.1:{}, data kept in {} (log: {}.log;"
          + " delete the folder to start afresh)", pg.port(), data, data);
    } catch (IOException | SQLException | RuntimeException e) {
      // the start-up that follows then fails on the missing database with its own line
      LOG.error("dev: the embedded Postgres did not start (see {}.log): {}", data, e.toString());
    }
  }

  private void startRedis(URI url, Path home) {
    if (!onClassPath("redis.embedded.core.ExecutableProvider")) {
      LOG.warn("dev: nothing answers at {}, and the embedded Redis is not on the class path"
          + " (scripts/run-dev.sh puts it there)", url);
      return;
    }
    String info = url.getUserInfo();
    String password = info == null || !info.contains(":") ? null : info.substring(info.indexOf(':') + 1);
    try {
      DevRedis redis = DevRedis.start(port(url, 6379), password, home.resolve("redis-binaries"));
      started.add(redis);
      LOG.info("dev: nothing answers at {}: started {} on 127.0.0.1:{}; it keeps nothing on disk"
          + " (the lines are rebuilt from Postgres at every start)", url, redis.executable(), redis.port());
    } catch (IOException | RuntimeException e) {
      LOG.error("dev: Redis did not start: {}", e.toString());
    }
  }

  /** Stops what was started, Redis first (the last started); idempotent. */
  @Override
  public void close() {
    if (started.isEmpty() || !closed.compareAndSet(false, true)) {
      return;
    }
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        LOG.warn("dev: stopping {} failed: {}", started.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    LOG.info("dev: stopped the stores this run started");
  }

  static boolean isLoopback(String host) {
    try {
      return host != null && InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }

  private static int port(URI url, int fallback) {
    return url.getPort() > 0 ? url.getPort() : fallback;
  }

  private static boolean onClassPath(String name) {
    try {
      Class.forName(name, false, DevStores.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
