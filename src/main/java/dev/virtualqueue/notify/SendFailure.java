package dev.virtualqueue.notify;

import java.util.UUID;

/**
 * A message the mail server did not take (or could not be reached for): which ticket and kind, so
 * that giving up can record it; {@code ticketId} is null for a message to a tenant's owners.
 */
final class SendFailure extends RuntimeException {
  private final transient UUID ticketId;
  private final transient UUID tenantId;
  private final String kind;

  SendFailure(UUID ticketId, UUID tenantId, String kind, Throwable cause) {
    super(String.valueOf(cause.getMessage()), cause, false, false);
    this.ticketId = ticketId;
    this.tenantId = tenantId;
    this.kind = kind;
  }

  UUID ticketId() {
    return ticketId;
  }

  UUID tenantId() {
    return tenantId;
  }

  String kind() {
    return kind;
  }

  /** The bounded reason label of the underlying error. */
  String reason() {
    return MailSender.reason(getCause());
  }
}
