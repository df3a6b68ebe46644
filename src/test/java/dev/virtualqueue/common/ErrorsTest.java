package dev.virtualqueue.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Which failures are a store outage (503 store.unavailable, never 500). */
class ErrorsTest {

  private static PgException pg(String state) {
    return new PgException("msg", "FATAL", state, null);
  }

  @Test
  void postgresStartingUpShuttingDownOrUnreachableIsUnavailable() {
    assertThat(Errors.isUnavailable(pg("57P03"))).as("starting up").isTrue();
    assertThat(Errors.isUnavailable(pg("57P01"))).as("admin shutdown").isTrue();
    assertThat(Errors.isUnavailable(pg("08006"))).as("connection failure").isTrue();
    assertThat(Errors.isUnavailable(pg("53300"))).as("too many connections").isTrue();
    assertThat(Errors.isUnavailable(new ConnectException("refused"))).isTrue();
    assertThat(Errors.isUnavailable(new SocketException("Connection reset"))).isTrue();
    assertThat(Errors.isUnavailable(new RuntimeException(new TimeoutException()))).as("wrapped").isTrue();
    assertThat(Errors.isUnavailable(VertxException.noStackTrace("Connection was closed"))).isTrue();
    // every pooled Postgres connection stayed busy past pg.connectTimeoutSeconds (seen in bench-live)
    assertThat(Errors.isUnavailable(new NoStackTraceThrowable("Timeout"))).isTrue();
    // the same wait ended by the pool itself while Postgres was frozen (AdmitterDatabaseFaultIT)
    assertThat(Errors.isUnavailable(VertxException.noStackTrace("Timeout waiting for connection"))).isTrue();
  }

  @Test
  void aLostConnectionWithACommitInFlightIsUnavailable() {
    assertThat(Errors.isUnavailable(ClosedConnectionException.INSTANCE)).isTrue();
  }

  @Test
  void dataErrorsAndBugsAreNot() {
    assertThat(Errors.isUnavailable(pg("23505"))).as("unique violation").isFalse();
    assertThat(Errors.isUnavailable(pg("22021"))).as("bad byte sequence").isFalse();
    assertThat(Errors.isUnavailable(new IllegalStateException("bug"))).isFalse();
    assertThat(Errors.isUnavailable(new NullPointerException())).isFalse();
  }
}
