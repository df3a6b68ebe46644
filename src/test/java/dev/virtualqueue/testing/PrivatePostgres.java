package dev.virtualqueue.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Postgres cluster of a fault test's own ({@code initdb} + {@code pg_ctl} on a free port, trust
 * auth), which it may crash and restart; the shared server is never touched. Runs the binaries as
 * the {@code postgres} OS user when the tests run as root (Postgres refuses root).
 */
public final class PrivatePostgres implements AutoCloseable {
  private static final String BIN = System.getenv().getOrDefault("VQ_TEST_PG_BIN", "/usr/lib/postgresql/15/bin");
  private final Path dir;
  private final Path data;
  private final int port;

  private PrivatePostgres(Path dir, int port) {
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
  }

  /** Creates and starts a new cluster. */
  public static PrivatePostgres start() throws Exception {
    Path dir = Files.createTempDirectory("vq-pg-");
    PrivatePostgres pg = new PrivatePostgres(dir, freePort());
    if (asRoot()) {
      run(List.of("chown", "postgres:postgres", dir.toString()));
    }
    pg.pg("initdb", "-D", pg.data.toString(), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
    pg.startServer();
    return pg;
  }

  /** Libpq URI of the maintenance database. */
  public String url() {
    return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
  }

  public int port() {
    return port;
  }

  /** Starts the stopped cluster again (crash recovery runs if it was killed) and waits for it. */
  public void startServer() throws Exception {
    pg("pg_ctl", "-D", data.toString(), "-l", dir.resolve("log").toString(), "-w", "-t", "60",
        "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
  }

  /** Stops the cluster as a crash would: no checkpoint, every connection cut at once. */
  public void crash() throws Exception {
    pg("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
  }

  /**
   * Sends {@code signal} (e.g. {@code STOP}, {@code CONT}, {@code KILL}) to this cluster's postmaster and every
   * process it forked (backends, checkpointer, walwriter...): only this cluster's own PIDs.
   */
  public void signal(String signal) throws Exception {
    String postmaster = Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim();
    Process children = new ProcessBuilder("pgrep", "-P", postmaster).redirectErrorStream(true).start();
    List<String> pids = new ArrayList<>(List.of(postmaster));
    pids.addAll(new String(children.getInputStream().readAllBytes()).lines().map(String::trim)
        .filter(l -> !l.isEmpty()).toList());
    children.waitFor(10, TimeUnit.SECONDS);
    List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
    cmd.addAll(pids);
    run(cmd);
  }

  @Override
  public void close() throws Exception {
    try {
      pg("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
    } catch (IllegalStateException alreadyStopped) {
      // nothing to stop
    }
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private void pg(String tool, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    if (asRoot()) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.add(BIN + "/" + tool);
    cmd.addAll(List.of(args));
    run(cmd);
  }

  private static void run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  private static boolean asRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
