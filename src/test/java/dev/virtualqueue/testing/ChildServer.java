package dev.virtualqueue.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server in its own JVM on a test server's database and Redis prefix, for the crash tests: it
 * can be killed with SIGKILL ({@link #kill}), which no in-process server can be.
 */
public final class ChildServer implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Process process;
  private final int httpPort;
  private final int managementPort;

  private ChildServer(Process process, int httpPort, int managementPort) {
    this.process = process;
    this.httpPort = httpPort;
    this.managementPort = managementPort;
  }

  /**
   * Starts one with the settings {@link TestServer} uses plus {@code extraEnv}, its output in
   * {@code target/<log>}, and waits until it answers.
   */
  public static ChildServer start(TestServer of, Map<String, String> extraEnv, String log) throws IOException {
    int httpPort = freePort();
    int managementPort = freePort();
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("VQ_CONFIG", "conf/virtual-queue.json");
    env.put("VQ_PROFILE", "dev");
    env.put("VQ_HTTP_PORT", String.valueOf(httpPort));
    env.put("VQ_MANAGEMENT_PORT", String.valueOf(managementPort));
    env.put("VQ_HTTP_HOST", "127.0.0.1");
    env.put("VQ_MANAGEMENT_HOST", "127.0.0.1");
    env.put("VQ_PG_URL", of.pgUrl());
    env.put("VQ_REDIS_URL", TestServer.REDIS_URL);
    env.put("VQ_REDIS_KEY_PREFIX", of.prefix());
    // every test client is 127.0.0.1: limits off unless a test turns them on (RateLimitIT, docs/rate-limits.md)
    env.put("VQ_RATE_LIMIT_ENABLED", "false");
    env.putAll(extraEnv);
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", System.getProperty("java.class.path"), "dev.virtualqueue.Main")
        .redirectErrorStream(true).redirectOutput(new File("target/" + log));
    pb.environment().clear();
    pb.environment().putAll(env);
    ChildServer child = new ChildServer(pb.start(), httpPort, managementPort);
    Poll.until(() -> child.status("/api/v1/openapi.json"), s -> s == 200 || !child.process.isAlive(), 90_000,
        "the child server answers");
    if (!child.process.isAlive()) {
      throw new IllegalStateException("the child server did not start: see target/" + log);
    }
    return child;
  }

  /** Its API base, e.g. {@code http://127.0.0.1:41234}. */
  public String base() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** Its API port. */
  public int port() {
    return httpPort;
  }

  /** Its management base (health, metrics), e.g. {@code http://127.0.0.1:41235}. */
  public String management() {
    return "http://127.0.0.1:" + managementPort;
  }

  /** The status of a GET of {@code path}, or -1 when it does not answer. */
  public int status(String path) {
    return statusOf(base() + path);
  }

  /** The status of a GET of a full {@code url}, or -1 when it does not answer. */
  public static int statusOf(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** SIGKILL, as a crash: no shutdown hook, no lease given back. Waits until it is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the child server did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGTERM, as an orchestrator stops it (the shutdown hook drains); does not wait. */
  public void terminate() {
    process.destroy();
  }

  /** Waits up to {@code millis} for the process to end; its exit code, or null while it lives. */
  public Integer awaitExit(long millis) throws InterruptedException {
    return process.waitFor(millis, TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
