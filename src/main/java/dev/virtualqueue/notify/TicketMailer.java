package dev.virtualqueue.notify;

import dev.virtualqueue.events.OutboxStore.Claimed;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * One message to a ticket's holder, once per ticket and kind: only to a holder who gave an address
 * and did not stop messages; within the tenant's budget; taken ('sending') before the SMTP send and
 * marked 'sent', with the outbox row deleted, in one transaction after the server accepted it.
 */
final class TicketMailer {
  private final Mailing m;

  TicketMailer(Mailing m) {
    this.m = m;
  }

  /** Handles {@code row} for message {@code kind}; an SMTP failure fails as {@link SendFailure}. */
  Future<Void> handle(Claimed row, MailKind kind) {
    return m.store().target(row.ticketId()).compose(t -> {
      if (t == null || t.email() == null || t.stopped()) {
        return m.outbox().done(row.seq());
      }
      if (kind == MailKind.ALMOST_TURN && !"waiting".equals(t.status())) {
        // called (or gone) before the message could go: it would only confuse now
        return m.store().pool().withTransaction(tx -> m.store().finish(tx, t.ticketId(), kind.wireName(),
            t.tenantId(), "skipped").compose(v -> m.outbox().done(tx, row.seq())));
      }
      return m.withinBudget(row.seq(), t.tenantId(), () -> m.store().begin(t.ticketId(), kind.wireName(), t.tenantId())
          .compose(attempt -> attempt == null ? m.outbox().done(row.seq()) : send(row, kind, t)));
    });
  }

  private Future<Void> send(Claimed row, MailKind kind, MailStore.Target t) {
    return request(row, kind, t)
        .compose(req -> m.templates().render(m.vertx(), req))
        .compose(mail -> m.sender().send(List.of(t.email()), mail, m.messageId(t.ticketId(), kind.wireName()))
            .recover(e -> Future.failedFuture(new SendFailure(t.ticketId(), t.tenantId(), kind.wireName(), e))))
        .compose(v -> m.store().pool().withTransaction(tx -> m.store()
            .finish(tx, t.ticketId(), kind.wireName(), t.tenantId(), "sent").compose(x -> m.outbox().done(tx, row.seq()))))
        .onSuccess(v -> m.metrics().sent(kind.wireName()));
  }

  private Future<MailRequest> request(Claimed row, MailKind kind, MailStore.Target t) {
    String capability = m.capability().issue(t.ticketId());
    MailText text = text(t.texts(), kind);
    return switch (kind) {
      case CALLED -> Future.succeededFuture(new MailRequest(kind, t.ticket(), row.data().getString("counterName"),
          null, null, text, capability));
      case ALMOST_TURN -> Future.succeededFuture(new MailRequest(kind, t.ticket(), null,
          row.data().getInteger("ahead"), row.data().getInteger("etaMinutes"), text, capability));
      case JOINED -> coverAlmost(t).map(v -> new MailRequest(kind, t.ticket(), null, null, null, text, capability));
      default -> Future.succeededFuture(new MailRequest(kind, t.ticket(), null, null, null, text, capability));
    };
  }

  /**
   * When "almost your turn" is already due as the joined message goes (a short line), that message
   * covers it: it is recorded as skipped, so the person does not get two messages at once.
   */
  private Future<Void> coverAlmost(MailStore.Target t) {
    if (!t.almostPending() || !"waiting".equals(t.status())) {
      return Future.succeededFuture();
    }
    return m.tickets().viewById(t.ticketId()).compose(v -> {
      if (v.position() == null) {
        return Future.succeededFuture();
      }
      Duration eta = v.eta() == null ? null : Duration.ofSeconds(v.eta().p50());
      boolean due = AlmostTurn.due(false, v.position() - 1, eta, t.notifyAhead(), t.notifyMinutes()).isPresent();
      return due ? m.store().coverAlmost(t.ticketId()).mapEmpty() : Future.succeededFuture();
    });
  }

  /** The queue's wording for this kind ({@code mail_texts}, validated when it was saved), or the default. */
  static MailText text(JsonObject texts, MailKind kind) {
    JsonObject k = texts == null ? null : texts.getJsonObject(kind.wireName());
    return k == null ? MailText.DEFAULT : new MailText(k.getString("subject"), k.getString("intro"));
  }
}
