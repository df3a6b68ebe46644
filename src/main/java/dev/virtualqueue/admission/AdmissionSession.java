package dev.virtualqueue.admission;

import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One admission as stored ({@code admission_sessions}): the slot it holds while active, and what
 * its access token says ({@code sub} = ticket id, {@code jti}, {@code iat} = {@code issuedAt},
 * {@code exp} = {@code expiresAt}). The token is not stored; it is signed again from this.
 */
public record AdmissionSession(UUID ticketId, UUID tenantId, UUID queueId, UUID jti, Instant admittedAt,
                               Instant issuedAt, Instant expiresAt, Instant maxExpiresAt, Instant verifiedAt,
                               Instant endedAt, String endReason) {
  static final String COLUMNS = "ticket_id, tenant_id, queue_id, jti, admitted_at, issued_at, expires_at,"
      + " max_expires_at, verified_at, ended_at, end_reason";

  static AdmissionSession map(Row r) {
    return new AdmissionSession(r.getUUID("ticket_id"), r.getUUID("tenant_id"), r.getUUID("queue_id"),
        r.getUUID("jti"), instant(r, "admitted_at"), instant(r, "issued_at"), instant(r, "expires_at"),
        instant(r, "max_expires_at"), instant(r, "verified_at"), instant(r, "ended_at"), r.getString("end_reason"));
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  /** Whether it holds a slot at {@code now}: not ended and not run out. */
  public boolean active(Instant now) {
    return endedAt == null && expiresAt.isAfter(now);
  }
}
