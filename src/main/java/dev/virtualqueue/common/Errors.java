package dev.virtualqueue.common;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/** Shorthands for the failures services raise, and the one place SQLSTATEs are translated. */
public final class Errors {
  public static final String UNIQUE_VIOLATION = "23505";

  private Errors() {
  }

  public static ApiException.NotFound notFound(String what) {
    return new ApiException.NotFound(what + ".not_found", "No such " + what + ".");
  }

  public static ApiException.BadRequest invalid(String detail) {
    return new ApiException.BadRequest("request.invalid", detail);
  }

  /** True when the failure is a unique-constraint violation, optionally of one named constraint. */
  public static boolean isUniqueViolation(Throwable t, String constraint) {
    return t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
        && (constraint == null || constraint.equals(pg.getConstraint()));
  }

  /**
   * True when a backing store could not be reached, lost the connection (possibly with a commit
   * in flight: the outcome is unknown), is starting up or shutting down, or timed out. Such
   * failures are answered 503 {@code store.unavailable} with Retry-After, never 500.
   */
  public static boolean isUnavailable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof PgException pg) {
        String state = String.valueOf(pg.getSqlState());
        // 08: connection exception; 57P01-03: shutting down, crashed, starting up; 53300: too many connections
        return state.startsWith("08") || state.startsWith("57P") || "53300".equals(state);
      }
      if (c instanceof SocketException || c instanceof ClosedChannelException
          || c instanceof ClosedConnectionException || c instanceof ConnectionPoolTooBusyException
          || c instanceof TimeoutException || c.getClass().getSimpleName().contains("Timeout")
          // the SQL pool's wait for a free connection (PoolOptions.connectionTimeout) fails with
          // "Timeout" or "Timeout waiting for connection", depending on where the wait ended
          || c instanceof VertxException && String.valueOf(c.getMessage()).startsWith("Timeout")
          || c instanceof VertxException && String.valueOf(c.getMessage()).toLowerCase().contains("closed")) {
        return true;
      }
    }
    return false;
  }

  /** Maps a duplicate-key failure to a Conflict with the given code; passes others through. */
  public static Throwable translate(Throwable t, String conflictCode, String detail) {
    return isUniqueViolation(t, null) ? new ApiException.Conflict(conflictCode, detail) : t;
  }
}
