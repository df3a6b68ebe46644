package dev.virtualqueue.db;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.TransactionPropagation;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.impl.SqlClientInternal;
import io.vertx.sqlclient.spi.Driver;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collector;

/**
 * A pool whose every query, batch, transaction and connection wait fails after a deadline. A frozen
 * Postgres (SIGSTOP, a stalled disk, a saturated host) otherwise holds every request that touches it
 * for as long as the freeze lasts, since the client pipelines statements onto its open connections
 * and has no deadline of its own shorter than the TCP connection's death. With one, a request is
 * answered 503 {@code store.unavailable} with Retry-After once the deadline passes
 * ({@code pg.queryTimeoutMillis}). What was sent still runs when Postgres wakes: a join answered 503
 * may then exist, which is why the answer says to retry with the same Idempotency-Key (that retry
 * returns the ticket). A connection that arrives after its deadline goes straight back to the pool.
 * It is a {@link SqlClientInternal} like the pool it wraps, because {@code SqlTemplate} asks the client
 * for its driver (to parse named parameters); a template's queries then come back here, bounded.
 */
public final class DeadlinePool implements Pool, SqlClientInternal {
  private final Pool delegate;
  private final long timeoutMillis;

  public DeadlinePool(Pool delegate, long timeoutMillis) {
    this.delegate = delegate;
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public Future<SqlConnection> getConnection() {
    Future<SqlConnection> connection = delegate.getConnection();
    Future<SqlConnection> bounded = bound(connection);
    bounded.onFailure(late -> connection.onSuccess(SqlConnection::close));
    return bounded;
  }

  @Override
  public Query<RowSet<Row>> query(String sql) {
    return new BoundedQuery<>(delegate.query(sql));
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
    return new BoundedPreparedQuery<>(delegate.preparedQuery(sql));
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
    return new BoundedPreparedQuery<>(delegate.preparedQuery(sql, options));
  }

  @Override
  public <T> Future<T> withTransaction(Function<SqlConnection, Future<T>> function) {
    return bound(delegate.withTransaction(function));
  }

  @Override
  public <T> Future<T> withTransaction(TransactionPropagation propagation, Function<SqlConnection, Future<T>> function) {
    return bound(delegate.withTransaction(propagation, function));
  }

  @Override
  public <T> Future<T> withConnection(Function<SqlConnection, Future<T>> function) {
    return bound(delegate.withConnection(function));
  }

  @Override
  public Driver driver() {
    return ((SqlClientInternal) delegate).driver();
  }

  /** A group of statements pipelined as one: passed through unbounded (this server uses none). */
  @Override
  public void group(Handler<SqlClient> block) {
    ((SqlClientInternal) delegate).group(block);
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }

  private <T> Future<T> bound(Future<T> future) {
    return future.isComplete() ? future : future.timeout(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** A simple (text protocol) query whose execution is bounded. */
  private final class BoundedQuery<T> implements Query<T> {
    private final Query<T> query;

    BoundedQuery(Query<T> query) {
      this.query = query;
    }

    @Override
    public Future<T> execute() {
      return bound(query.execute());
    }

    @Override
    public <R> Query<SqlResult<R>> collecting(Collector<Row, ?, R> collector) {
      return new BoundedQuery<>(query.collecting(collector));
    }

    @Override
    public <U> Query<RowSet<U>> mapping(Function<Row, U> mapper) {
      return new BoundedQuery<>(query.mapping(mapper));
    }
  }

  /** A prepared query whose every execution and batch is bounded. */
  private final class BoundedPreparedQuery<T> implements PreparedQuery<T> {
    private final PreparedQuery<T> query;

    BoundedPreparedQuery(PreparedQuery<T> query) {
      this.query = query;
    }

    @Override
    public Future<T> execute() {
      return bound(query.execute());
    }

    @Override
    public Future<T> execute(Tuple tuple) {
      return bound(query.execute(tuple));
    }

    @Override
    public Future<T> executeBatch(List<Tuple> batch) {
      return bound(query.executeBatch(batch));
    }

    @Override
    public <R> PreparedQuery<SqlResult<R>> collecting(Collector<Row, ?, R> collector) {
      return new BoundedPreparedQuery<>(query.collecting(collector));
    }

    @Override
    public <U> PreparedQuery<RowSet<U>> mapping(Function<Row, U> mapper) {
      return new BoundedPreparedQuery<>(query.mapping(mapper));
    }
  }
}
