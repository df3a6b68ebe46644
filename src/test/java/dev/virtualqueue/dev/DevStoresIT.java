package dev.virtualqueue.dev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.config.ConfigLoader;
import dev.virtualqueue.testing.Redis;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Comparator;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dev run's fallback stores: with nothing answering at the configured addresses, the dev
 * profile starts a Postgres (data kept in the dev home across restarts, a login for the URL's
 * user) and a Redis there, and stops them again; the prod profile never starts anything.
 */
class DevStoresIT {
  private Path home;
  private int pgPort;
  private int redisPort;

  @BeforeEach
  void setUp() throws IOException {
    home = Files.createTempDirectory("vq-dev-home-");
    pgPort = freePort();
    redisPort = freePort();
  }

  @AfterEach
  void tearDown() throws IOException {
    try (var files = Files.walk(home)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void devProfileStartsMissingStoresKeepsPostgresDataAndStopsThem() throws Exception {
    try (DevStores stores = DevStores.ensure(config("dev"), Map.of("VQ_DEV_HOME", home.toString()))) {
      assertThat(Redis.command("redis://127.0.0.1:" + redisPort, "PING")).isEqualTo("PONG");
      sql("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('survives a restart')");
    }
    assertThat(answers(pgPort)).as("Postgres stopped").isFalse();
    assertThat(answers(redisPort)).as("Redis stopped").isFalse();
    assertThat(home.resolve("postgres/PG_VERSION")).exists();

    try (DevStores again = DevStores.ensure(config("dev"), Map.of("VQ_DEV_HOME", home.toString()));
         var c = DriverManager.getConnection(jdbc(), "devuser", null);
         var rs = c.createStatement().executeQuery("SELECT v FROM kept")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("survives a restart");
    }
  }

  @Test
  void prodProfileStartsNothing() {
    try (DevStores stores = DevStores.ensure(config("prod"), Map.of("VQ_DEV_HOME", home.toString()))) {
      assertThat(answers(pgPort)).isFalse();
      assertThat(answers(redisPort)).isFalse();
    }
    assertThat(home.resolve("postgres")).doesNotExist();
  }

  @Test
  void answeringStoresAreLeftAlone() throws Exception {
    try (ServerSocket pg = new ServerSocket(pgPort, 50, InetAddress.getLoopbackAddress());
         ServerSocket redis = new ServerSocket(redisPort, 50, InetAddress.getLoopbackAddress());
         DevStores stores = DevStores.ensure(config("dev"), Map.of("VQ_DEV_HOME", home.toString()))) {
      assertThat(home.resolve("postgres")).doesNotExist();
    }
  }

  @Test
  void theRedisBinaryThatEmbeddedRedisShipsRunsHere() throws Exception {
    try (DevRedis redis = DevRedis.startShipped(redisPort, home.resolve("redis-binaries"))) {
      assertThat(redis.executable()).startsWith(home.toString());
      assertThat(Redis.command(redis.url(), "PING")).isEqualTo("PONG");
      assertThat(Redis.command(redis.url(), "EVAL", "return redis.call('ZADD', KEYS[1], 1, 'a')", "1", "k"))
          .isEqualTo("1");
    }
    assertThat(answers(redisPort)).isFalse();
  }

  @Test
  void onlyAddressesOnThisMachineAreReplaced() {
    assertThat(DevStores.isLoopback("localhost")).isTrue();
    assertThat(DevStores.isLoopback("127.0.0.2")).isTrue();
    assertThat(DevStores.isLoopback("[::1]")).isTrue();
    assertThat(DevStores.isLoopback("10.20.30.40")).isFalse();
  }

  private AppConfig config(String profile) {
    return ConfigLoader.load(Map.of("VQ_CONFIG", "conf/virtual-queue.json", "VQ_PROFILE", profile,
        "VQ_JWT_KEYS_DIR", home.toString(),
        "VQ_PG_URL", "postgresql://devuser@localhost:" + pgPort + "/postgres",
        "VQ_REDIS_URL", "redis://localhost:" + redisPort));
  }

  private String jdbc() {
    return "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
  }

  private void sql(String statements) throws Exception {
    try (var c = DriverManager.getConnection(jdbc(), "devuser", null)) {
      c.createStatement().execute(statements);
    }
  }

  private static boolean answers(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
