package dev.virtualqueue.line;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis client whose every command and pipeline fails after a deadline. A frozen Redis (paused,
 * swapping, a long blocking command) otherwise holds every request that touches it until the TCP
 * connection dies; with a deadline they are answered 503 at once and readiness turns DOWN. A late
 * reply is discarded by the client. Dedicated connections ({@link #connect()}, the change feed)
 * are left alone: they wait for pushes, not replies.
 */
public final class DeadlineRedis implements Redis {
  private final Redis delegate;
  private final long timeoutMillis;

  public DeadlineRedis(Redis delegate, long timeoutMillis) {
    this.delegate = delegate;
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public Future<RedisConnection> connect() {
    return delegate.connect();
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }

  @Override
  public Future<Response> send(Request command) {
    return delegate.send(command).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    return delegate.batch(commands).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
  }
}
