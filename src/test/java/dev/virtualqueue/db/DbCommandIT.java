package dev.virtualqueue.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.config.ConfigLoader;
import dev.virtualqueue.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code db validate} on a migrated database (valid), with a pending migration (valid, listed),
 * with an edited migration (invalid, exit 3), on a database without schema history (exit 1) and
 * with bad arguments (exit 2). It changes nothing: the history is the same after it ran.
 */
class DbCommandIT {
  @RegisterExtension
  static final TestServer SERVER = TestServer.perClass();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int validate(String pgUrl, String... args) {
    out.reset();
    err.reset();
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("VQ_CONFIG", "conf/virtual-queue.json");
    env.put("VQ_PG_URL", pgUrl);
    return DbCommand.run(ConfigLoader.loadWithoutKeys(env), args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void validatesTheHistoryAgainstTheJarsMigrations() {
    String history = SERVER.scalar("SELECT string_agg(version || ':' || checksum, ',' ORDER BY installed_rank) "
        + "FROM flyway_schema_history");
    assertThat(validate(SERVER.pgUrl(), "validate")).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith("schema valid at version ").contains("migrations checked)");
    assertThat(SERVER.scalar("SELECT string_agg(version || ':' || checksum, ',' ORDER BY installed_rank) "
        + "FROM flyway_schema_history")).as("read-only").isEqualTo(history);

    String last = SERVER.scalar("SELECT max(version::int)::text FROM flyway_schema_history");
    SERVER.sql("CREATE TABLE saved_history AS SELECT * FROM flyway_schema_history");
    try {
      SERVER.sql("DELETE FROM flyway_schema_history WHERE version = '" + last + "'");
      assertThat(validate(SERVER.pgUrl(), "validate")).as(out.toString() + err).isZero();
      assertThat(out.toString()).contains("1 pending: the server applies them at start");

      SERVER.sql("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");
      assertThat(validate(SERVER.pgUrl(), "validate")).as(out.toString() + err).isEqualTo(3);
      assertThat(out.toString()).contains("INVALID 1 ").contains("does not match this jar's migrations");
    } finally {
      SERVER.sql("DELETE FROM flyway_schema_history");
      SERVER.sql("INSERT INTO flyway_schema_history SELECT * FROM saved_history");
      SERVER.sql("DROP TABLE saved_history");
    }
    assertThat(validate(SERVER.pgUrl(), "validate")).isZero();
  }

  @Test
  void aDatabaseWithoutHistoryOrBadArgumentsAreRefused() {
    String empty = "vq_it_nohistory_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    SERVER.sql("CREATE DATABASE " + empty, "postgres");
    try {
      assertThat(validate(SERVER.pgUrl().replaceAll("/[^/]+$", "/" + empty), "validate")).isEqualTo(1);
      assertThat(err.toString()).contains("no schema history");
    } finally {
      SERVER.sql("DROP DATABASE " + empty + " WITH (FORCE)", "postgres");
    }
    assertThat(validate(SERVER.pgUrl(), "migrate")).isEqualTo(2);
    assertThat(err.toString()).contains("usage: virtual-queue db validate");
    assertThat(validate(SERVER.pgUrl())).isEqualTo(2);
  }
}
