package dev.virtualqueue.testing;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/** A redis-server process of a fault test's own, on a free port; it may be frozen or killed. */
public final class PrivateRedis implements AutoCloseable {
  private final int port;
  private Process process;

  private PrivateRedis(int port) {
    this.port = port;
  }

  public static PrivateRedis start() throws Exception {
    PrivateRedis r = new PrivateRedis(PrivatePostgres.freePort());
    r.startProcess();
    return r;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts an empty redis-server on the same port (after {@link #kill()}). */
  public void startProcess() throws Exception {
    process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    for (int i = 0; i < 100; i++) {
      try (var s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("redis-server did not start");
  }

  /** SIGSTOP: the process keeps its sockets open and answers nothing, like a frozen host. */
  public void freeze() throws Exception {
    signal("STOP");
  }

  /** SIGCONT after {@link #freeze()}. */
  public void thaw() throws Exception {
    signal("CONT");
  }

  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
  }

  private void signal(String name) throws Exception {
    Process k = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
    if (k.waitFor() != 0) {
      throw new IllegalStateException("kill -" + name + " failed");
    }
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      thaw();
      kill();
    }
  }
}
