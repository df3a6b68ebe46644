package dev.virtualqueue.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * The roll-back path of docs/operations.md ("Roll back"): after a newer release applied an
 * expand-only migration (a new table, a new nullable column) this release still starts on that
 * schema and serves, because Flyway ignores applied migrations it does not know. Without that,
 * every rollback would need a restore.
 */
class RollbackOnNewerSchemaIT {

  @Test
  void thisReleaseStartsAndServesOnASchemaANewerReleaseExpanded() {
    try (TestServer server = TestServer.start()) {
      server.stop();
      long applied = server.count("SELECT count(*) FROM flyway_schema_history WHERE success");
      // what a newer release's V9999 would have done, recorded as Flyway records it
      server.sql("CREATE TABLE future_feature (id uuid PRIMARY KEY, note text)");
      server.sql("ALTER TABLE tickets ADD COLUMN future_note text");
      server.sql("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,"
          + " installed_by, execution_time, success) SELECT max(installed_rank) + 1, '9999', 'future feature', 'SQL',"
          + " 'V9999__future_feature.sql', 12345, current_user, 1, true FROM flyway_schema_history");
      server.restart();
      Resp join = server.http("POST", "/api/v1/public/demo/queues/main/tickets", "{\"name\":\"After rollback\"}");
      assertThat(join.status()).as(join.toString()).isEqualTo(201);
      assertThat(join.json().getInteger("position")).isEqualTo(1);
      assertThat(server.count("SELECT count(*) FROM flyway_schema_history WHERE success"))
          .as("nothing re-applied or removed").isEqualTo(applied + 1);
    }
  }
}
