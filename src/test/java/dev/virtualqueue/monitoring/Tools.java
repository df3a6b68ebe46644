package dev.virtualqueue.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Debian monitoring tools the tests shell out to (promtool, amtool, prometheus,
 * prometheus-alertmanager, the three exporters, redis-server). .ci/run installs them.
 */
final class Tools {
  static final Path LOGS = Path.of("target", "monitoring-logs");

  private Tools() {
  }

  /** Output and exit code of a finished command. */
  record Result(int exit, String output) {
    boolean ok() {
      return exit == 0;
    }
  }

  /** Runs a command to completion (stdout and stderr together). */
  static Result run(List<String> command, long timeoutSeconds) {
    require(command.get(0));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", command));
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts a long-running process; its output goes to target/monitoring-logs/{@code name}.log. */
  static Process start(String name, List<String> command, Map<String, String> env) {
    require(command.get(0));
    try {
      Files.createDirectories(LOGS);
      ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(LOGS.resolve(name + ".log").toFile());
      b.environment().putAll(env);
      return b.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops a process we started (SIGTERM, then SIGKILL after 10 s). */
  static void stop(Process p) {
    if (p == null || !p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until something accepts TCP connections on the loopback port. */
  static void awaitPort(int port, long timeoutMillis, Process owner) {
    long end = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < end) {
      if (owner != null && !owner.isAlive()) {
        throw new IllegalStateException("process exited before listening on " + port + " (see " + LOGS + ")");
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        sleep(100);
      }
    }
    throw new IllegalStateException("nothing listens on port " + port + " (see " + LOGS + ")");
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Fails with a clear message when a tool is missing. */
  static void require(String tool) {
    if (tool.contains("/") || tool.equals("java")) {
      return;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return;
      }
    }
    throw new IllegalStateException(tool + " is not installed: the monitoring tests need the Debian packages "
        + "prometheus, prometheus-alertmanager, prometheus-postgres-exporter, prometheus-redis-exporter, "
        + "prometheus-node-exporter and redis-server (.ci/run installs them)");
  }
}
