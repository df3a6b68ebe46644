package dev.virtualqueue.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.config.AppConfig;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The libpq URI is read like libpq does, for both the reactive pool and Flyway's JDBC. */
class DatabaseTest {

  private static AppConfig.Pg pg(String uri) {
    return new AppConfig.Pg(URI.create(uri), 4, 10, 5, 2000);
  }

  @Test
  void longStatementsStayPrepared() {
    var options = Database.connectOptions(pg("postgresql://localhost:5432/virtualqueue"));
    assertThat(options.getCachePreparedStatements()).isTrue();
    assertThat(options.getPreparedStatementCacheSqlFilter().test("SELECT 1 " + " ".repeat(Database.PREPARED_SQL_LIMIT - 20)))
        .as("a statement just under the limit is kept prepared").isTrue();
    assertThat(options.getPreparedStatementCacheSqlFilter().test(" ".repeat(Database.PREPARED_SQL_LIMIT + 1))).isFalse();
  }

  @Test
  void noUserInTheUriMeansTheOperatingSystemUser() {
    var options = Database.connectOptions(pg("postgresql://localhost:5432/virtualqueue"));
    assertThat(options.getUser()).isEqualTo(System.getProperty("user.name"));
    assertThat(options.getDatabase()).isEqualTo("virtualqueue");
    assertThat(Database.user(URI.create("postgresql://localhost/x"))).isEqualTo(System.getProperty("user.name"));
  }

  @Test
  void userPasswordHostPortAndDatabaseComeFromTheUri() {
    var options = Database.connectOptions(pg("postgresql://app:s3cret@db.internal:5433/queue"));
    assertThat(options.getUser()).isEqualTo("app");
    assertThat(options.getPassword()).isEqualTo("s3cret");
    assertThat(options.getHost()).isEqualTo("db.internal");
    assertThat(options.getPort()).isEqualTo(5433);
    assertThat(Database.jdbcUrl(URI.create("postgresql://app:s3cret@db.internal:5433/queue")))
        .isEqualTo("jdbc:postgresql://db.internal:5433/queue");
  }
}
