package dev.virtualqueue.testing;

import dev.virtualqueue.dev.DevPostgres;
import dev.virtualqueue.dev.DevRedis;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * The Postgres and Redis the tests share: {@code VQ_TEST_PG_URL} / {@code VQ_TEST_REDIS_URL}
 * (default: the local servers on their standard ports), or, when nothing answers there, a Postgres
 * and a Redis of this JVM's own (the dev run's fallback stores: embedded Postgres, redis-server
 * from the PATH or the embedded one), started once per JVM on free ports and stopped at exit, so
 * {@code mvn -B verify} needs no services installed. Tests that need a store they may crash start
 * their own ({@link PrivatePostgres}, {@link PrivateRedis}).
 */
final class TestStores {
  private TestStores() {
  }

  /** Libpq URI of the maintenance database of the Postgres the tests use. */
  static String postgres() {
    return postgres(env("VQ_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"));
  }

  /** {@code url} if something answers there, else the URL of an embedded Postgres started for this JVM. */
  static String postgres(String url) {
    URI u = URI.create(url);
    if (!missing(u.getHost(), u.getPort() > 0 ? u.getPort() : 5432)) {
      return url;
    }
    try {
      Path dir = Files.createTempDirectory("vq-test-pg-");
      Path data = dir.resolve("data");
      Path binaries = Path.of(System.getProperty("java.io.tmpdir"), "vq-embedded-postgres");
      DevPostgres pg = DevPostgres.start(data, binaries, PrivatePostgres.freePort(), false);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
          try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          }
        } catch (IOException e) {
          System.err.println("tests: stopping the embedded Postgres failed: " + e);
        }
      }, "test-postgres-stop"));
      System.err.println("tests: nothing answers at " + url + ": started an embedded Postgres for this JVM at "
          + pg.url() + " (data and log in " + dir + ", deleted at exit)");
      return pg.url();
    } catch (IOException e) {
      throw new IllegalStateException("nothing answers at " + url + ", and the embedded Postgres did not start", e);
    }
  }

  /** URL of the Redis the tests use. */
  static String redis() {
    return redis(env("VQ_TEST_REDIS_URL", "redis://127.0.0.1:6379"));
  }

  /** {@code url} if something answers there, else the URL of a Redis started for this JVM. */
  static String redis(String url) {
    URI u = URI.create(url);
    if (!missing(u.getHost(), u.getPort() > 0 ? u.getPort() : 6379)) {
      return url;
    }
    try {
      Path binaries = Path.of(System.getProperty("java.io.tmpdir"), "vq-embedded-redis");
      DevRedis redis = DevRedis.start(PrivatePostgres.freePort(), null, binaries);
      Runtime.getRuntime().addShutdownHook(new Thread(redis::close, "test-redis-stop"));
      System.err.println("tests: nothing answers at " + url + ": started " + redis.executable() + " for this JVM at "
          + redis.url());
      return redis.url();
    } catch (IOException e) {
      throw new IllegalStateException("nothing answers at " + url + ", and no Redis could be started", e);
    }
  }

  /** Nothing accepts a connection there, and it is on this machine (a remote address is never replaced). */
  private static boolean missing(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      return false;
    } catch (IOException e) {
      try {
        return InetAddress.getByName(host).isLoopbackAddress();
      } catch (IOException unknownHost) {
        return false;
      }
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
