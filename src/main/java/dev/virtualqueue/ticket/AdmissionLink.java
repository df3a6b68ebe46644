package dev.virtualqueue.ticket;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * What the ticket feature asks of the waiting room (package {@code admission}, wired above it):
 * an admitted holder's access to the protected site, and ending that access when they leave.
 */
public interface AdmissionLink {
  /** Nothing to give: no waiting rooms in this process (tests of the ticket feature alone). */
  AdmissionLink NONE = new AdmissionLink() {
    @Override
    public Future<Access> access(Ticket t) {
      return Future.succeededFuture(null);
    }

    @Override
    public Future<Boolean> leave(Ticket t) {
      return Future.succeededFuture(false);
    }
  };

  /**
   * An admitted holder's access: a freshly signed token for their session (the token is never
   * stored), when it expires, and where to go. Null unless the ticket is admitted and its session
   * still active.
   */
  record Access(String accessToken, Instant expiresAt, String targetUrl) {
  }

  Future<Access> access(Ticket t);

  /** An admitted holder leaves: their session ends and its slot is freed; false when none was active. */
  Future<Boolean> leave(Ticket t);
}
