package dev.virtualqueue.notify;

import dev.virtualqueue.events.OutboxStore.Claimed;
import io.vertx.core.Future;

/**
 * Tells a tenant's owners (staff role owner, not disabled) that one of its webhook endpoints was
 * disabled: one message to all of them per outbox row, its Message-ID from the event id. Owners'
 * notices are not counted against the tenant's budget (they are rare and must not wait behind
 * ticket messages); a crash between the server's accept and the row's deletion sends it again,
 * recognisable by the same Message-ID.
 */
final class OwnerMailer {
  static final String KIND = "webhook_disabled";
  private final Mailing m;

  OwnerMailer(Mailing m) {
    this.m = m;
  }

  Future<Void> handle(Claimed row) {
    return m.store().owners(row.tenantId()).compose(owners -> {
      if (owners == null || owners.emails().isEmpty()) {
        return m.outbox().done(row.seq());
      }
      var notice = new MailTemplates.WebhookDisabled(owners.tenantName(), row.data().getString("endpointId"),
          row.data().getString("url"), row.data().getString("reason"), row.data().getString("failingSince"));
      return m.templates().render(m.vertx(), notice)
          .compose(mail -> m.sender().send(owners.emails(), mail, m.messageId(row.id(), KIND))
              .recover(e -> Future.failedFuture(new SendFailure(null, row.tenantId(), KIND, e))))
          .compose(v -> m.outbox().done(row.seq()))
          .onSuccess(v -> m.metrics().sent(KIND));
    });
  }
}
