package dev.virtualqueue.db;

import dev.virtualqueue.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.URI;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the reactive Postgres pool and runs Flyway migrations (JDBC, off the event loop). */
public final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private Database() {
  }

  /** One pool shared by every verticle; bounded wait queue so overload fails fast. */
  public static Pool pool(Vertx vertx, AppConfig.Pg cfg) {
    PgConnectOptions connect = connectOptions(cfg);
    PoolOptions pool = new PoolOptions()
        .setMaxSize(cfg.poolSize())
        .setMaxWaitQueueSize(cfg.maxWaitQueue())
        .setConnectionTimeout(cfg.connectTimeoutSeconds())
        // no pool idle timeout: a bench run left a request hanging after a 10-minute quiet spell
        // with idle eviction on; a few idle connections to our own database cost nothing
        .setName("vq-pg");
    NetClientOptions net = new NetClientOptions().setConnectTimeout(cfg.connectTimeoutSeconds() * 1000)
        .setMetricsName("postgres");
    return PgBuilder.pool().with(pool).with(net).connectingTo(connect).using(vertx).build();
  }

  /** Connection options from the libpq URI; no user in it means the operating-system user. */
  /** The longest statement the client keeps prepared (see {@link #connectOptions}). */
  public static final int PREPARED_SQL_LIMIT = 16_384;

  public static PgConnectOptions connectOptions(AppConfig.Pg cfg) {
    PgConnectOptions connect = PgConnectOptions.fromUri(cfg.url().toString())
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(512)
        // the client caches only statements up to this length (default 2,048 characters): a ticket
        // change with its outbox CTEs is longer, and preparing it on every call halved joins/s
        .setPreparedStatementCacheSqlLimit(PREPARED_SQL_LIMIT)
        .setPipeliningLimit(16);
    connect.setReconnectAttempts(0);
    // like libpq (and Flyway below): no user in the URI means the operating-system user
    if (cfg.url().getUserInfo() == null || cfg.url().getUserInfo().isEmpty()) {
      connect.setUser(user(cfg.url()));
    }
    connect.setMetricsName("postgres"); // client_namespace of the vertx_sql_* meters
    return connect;
  }

  /** Applies pending migrations on a worker thread; the dev run first creates a missing database. */
  public static Future<Integer> migrate(Vertx vertx, AppConfig.Pg cfg, boolean createIfMissing) {
    return vertx.executeBlocking(() -> {
      if (createIfMissing) {
        createDatabaseIfMissing(cfg.url());
      }
      Flyway flyway = Flyway.configure()
          .dataSource(jdbcUrl(cfg.url()), user(cfg.url()), password(cfg.url()))
          .locations("classpath:db/migration")
          .load();
      int applied = flyway.migrate().migrationsExecuted;
      LOG.info("database schema up to date ({} migrations applied)", applied);
      return applied;
    });
  }

  private static void createDatabaseIfMissing(URI uri) throws SQLException {
    String db = jdbcUrl(uri).substring(jdbcUrl(uri).lastIndexOf('/') + 1);
    String admin = jdbcUrl(uri).substring(0, jdbcUrl(uri).lastIndexOf('/') + 1) + "postgres";
    try (var conn = DriverManager.getConnection(admin, user(uri), password(uri));
         var check = conn.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      check.setString(1, db);
      if (!check.executeQuery().next()) {
        try (var create = conn.createStatement()) {
          create.execute("CREATE DATABASE \"" + db.replace("\"", "") + "\"");
          LOG.info("created database {}", db);
        }
      }
    }
  }

  /** Converts a libpq URI (postgresql://user:pw@host:port/db?x=y) into a JDBC URL. */
  public static String jdbcUrl(URI uri) {
    int port = uri.getPort() > 0 ? uri.getPort() : 5432;
    String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
    return "jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + db;
  }

  public static String user(URI uri) {
    String info = uri.getUserInfo();
    if (info == null || info.isEmpty()) {
      return System.getProperty("user.name");
    }
    int colon = info.indexOf(':');
    return colon < 0 ? info : info.substring(0, colon);
  }

  public static String password(URI uri) {
    String info = uri.getUserInfo();
    int colon = info == null ? -1 : info.indexOf(':');
    return colon < 0 ? null : info.substring(colon + 1);
  }
}
