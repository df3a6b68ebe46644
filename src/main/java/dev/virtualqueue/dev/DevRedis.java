package dev.virtualqueue.dev;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.embedded.core.ExecutableProvider;

/**
 * A Redis server of the development run's (or the test run's) own on loopback: {@code redis-server}
 * from the PATH when installed, else the binary that {@code com.github.codemonstur:embedded-redis}
 * ships (only its binary is used: the process is ours, so it stops when we say, after the server
 * has closed its connections). It keeps nothing on disk: Redis only mirrors Postgres, and the
 * lines are rebuilt from Postgres at start. Not on the shaded jar's class path (see pom.xml).
 */
public final class DevRedis implements AutoCloseable {
  private final Process process;
  private final int port;
  private final String executable;

  private DevRedis(Process process, int port, String executable) {
    this.process = process;
    this.port = port;
    this.executable = executable;
  }

  /** Starts Redis on {@code port} and waits until it accepts connections. */
  public static DevRedis start(int port, String password, Path binariesDir) throws IOException {
    return start(executable(binariesDir), port, password);
  }

  /** Starts the binary that embedded-redis ships, even where redis-server is installed. */
  public static DevRedis startShipped(int port, Path binariesDir) throws IOException {
    Files.createDirectories(binariesDir);
    return start(ExecutableProvider.newJarResourceProvider(binariesDir.toFile()).get(), port, null);
  }

  private static DevRedis start(File exe, int port, String password) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (new File("/usr/bin/setsid").canExecute()) {
      cmd.add("/usr/bin/setsid"); // its own session: a Ctrl-C meant for the server does not stop it first
    }
    cmd.addAll(List.of(exe.getAbsolutePath(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no"));
    if (password != null && !password.isEmpty()) {
      cmd.addAll(List.of("--requirepass", password));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(Redirect.DISCARD).start();
    DevRedis redis = new DevRedis(p, port, exe.getAbsolutePath());
    redis.awaitReady();
    return redis;
  }

  private static File executable(Path binariesDir) throws IOException {
    try {
      return ExecutableProvider.newExecutableInPath("redis-server").get();
    } catch (FileNotFoundException notInstalled) {
      Files.createDirectories(binariesDir);
      return ExecutableProvider.newJarResourceProvider(binariesDir.toFile()).get();
    }
  }

  private void awaitReady() throws IOException {
    for (int i = 0; i < 200; i++) {
      if (!process.isAlive()) {
        throw new IOException(executable + " exited with " + process.exitValue() + " (port " + port + " taken?)");
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    close();
    throw new IOException(executable + " did not accept connections on port " + port + " within 10 s");
  }

  public int port() {
    return port;
  }

  /** The binary that runs: an installed redis-server or the one unpacked from the jar. */
  public String executable() {
    return executable;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** SIGTERM, then SIGKILL if it has not stopped within 5 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
