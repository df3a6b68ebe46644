package dev.virtualqueue.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.common.Errors;
import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.testing.PrivatePostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.templates.SqlTemplate;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pool's deadline against a private Postgres frozen with SIGSTOP: every kind of operation fails
 * at the deadline with a failure the API answers 503 {@code store.unavailable}, not after the
 * freeze; a connection that comes free after its waiter gave up goes back to the pool, so a pool of
 * one still serves once Postgres wakes.
 */
class DeadlinePoolIT {
  static final long DEADLINE_MS = 500;
  PrivatePostgres pg;
  Vertx vertx;
  Pool pool;

  @BeforeEach
  void start() throws Exception {
    pg = PrivatePostgres.start();
    vertx = Vertx.vertx();
    var cfg = new AppConfig.Pg(URI.create(pg.url()), 1, 10, 5, (int) DEADLINE_MS);
    pool = new DeadlinePool(Database.pool(vertx, cfg), cfg.queryTimeoutMillis());
    assertThat(await(pool.query("SELECT 1").execute()).iterator().next().getInteger(0)).isEqualTo(1);
  }

  @AfterEach
  void stop() throws Exception {
    try {
      pg.signal("CONT");
    } catch (Exception | Error notRunning) {
      // not stopped
    }
    await(pool.close());
    await(vertx.close());
    pg.close();
  }

  @Test
  void everyOperationFailsAtTheDeadlineWhilePostgresIsFrozen() throws Exception {
    pg.signal("STOP");
    List<Future<?>> ops = List.of(
        pool.query("SELECT 1").execute(),
        pool.preparedQuery("SELECT $1::int").execute(Tuple.of(1)),
        pool.preparedQuery("SELECT $1::int").executeBatch(List.of(Tuple.of(1), Tuple.of(2))),
        pool.preparedQuery("SELECT $1::int").mapping(r -> r.getInteger(0)).execute(Tuple.of(1)),
        pool.withTransaction(c -> c.query("SELECT 1").execute()),
        pool.withConnection(c -> c.query("SELECT 1").execute()),
        SqlTemplate.forQuery(pool, "SELECT #{n}::int AS n").execute(Map.of("n", 1)));
    long t0 = System.nanoTime();
    for (Future<?> op : ops) {
      Throwable failure = failure(op);
      assertThat(Errors.isUnavailable(failure)).as("answered 503 store.unavailable: %s", failure).isTrue();
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(ms).as("ms until all seven failed").isLessThan(DEADLINE_MS + 1_500);
    pg.signal("CONT");
    assertThat(await(pool.query("SELECT 2").execute()).iterator().next().getInteger(0)).isEqualTo(2);
  }

  @Test
  void aConnectionThatComesFreeAfterItsWaiterGaveUpGoesBackToThePool() throws Exception {
    SqlConnection held = await(pool.getConnection());
    Future<SqlConnection> waiter = pool.getConnection();
    Throwable failure = failure(waiter);
    assertThat(Errors.isUnavailable(failure)).as(String.valueOf(failure)).isTrue();
    await(held.close()); // goes to the waiter that gave up, which must hand it back
    Row row = await(pool.query("SELECT 3").execute()).iterator().next();
    assertThat(row.getInteger(0)).as("the pool of one still has its connection").isEqualTo(3);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Throwable failure(Future<?> f) throws Exception {
    try {
      f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("succeeded while it should have failed");
  }
}
