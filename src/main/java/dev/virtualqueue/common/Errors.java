package dev.virtualqueue.common;

import io.vertx.pgclient.PgException;

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

  /** Maps a duplicate-key failure to a Conflict with the given code; passes others through. */
  public static Throwable translate(Throwable t, String conflictCode, String detail) {
    return isUniqueViolation(t, null) ? new ApiException.Conflict(conflictCode, detail) : t;
  }
}
