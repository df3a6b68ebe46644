package dev.virtualqueue.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;

/**
 * The test command needs no services: where nothing answers at the test URLs, the tests get a
 * Postgres and a Redis of their own; where something answers, that is used as it is. (Not named
 * Test*: surefire would take it for a unit test.)
 */
class StoresFallbackIT {

  @Test
  void nothingAnsweringGetsAnEmbeddedPostgres() throws Exception {
    String nowhere = "postgresql://postgres@127.0.0.1:" + PrivatePostgres.freePort() + "/postgres";
    URI got = URI.create(TestStores.postgres(nowhere));
    assertThat(got.toString()).isNotEqualTo(nowhere);
    try (var c = DriverManager.getConnection("jdbc:postgresql://" + got.getHost() + ":" + got.getPort() + "/postgres",
        "postgres", null); var rs = c.createStatement().executeQuery("SHOW server_version")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).startsWith("15.");
    }
  }

  @Test
  void nothingAnsweringGetsARedis() throws Exception {
    String nowhere = "redis://127.0.0.1:" + PrivatePostgres.freePort();
    String got = TestStores.redis(nowhere);
    assertThat(got).isNotEqualTo(nowhere);
    assertThat(Redis.command(got, "PING")).isEqualTo("PONG");
  }

  @Test
  void answeringStoresAreUsedAsTheyAre() {
    assertThat(TestStores.postgres(TestServer.PG_URL)).isEqualTo(TestServer.PG_URL);
    assertThat(TestStores.redis(TestServer.REDIS_URL)).isEqualTo(TestServer.REDIS_URL);
  }
}
