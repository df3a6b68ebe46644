package dev.virtualqueue.notify;

import dev.virtualqueue.events.OutboxStore;
import dev.virtualqueue.ticket.MailCapability;
import dev.virtualqueue.ticket.TicketService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What the mail handlers share in one process: stores, templates, the SMTP client, the ticket
 * service (positions and ETAs as the ticket view computes them), the meters, the host of the
 * public URL (for Message-IDs) and each tenant's hourly send budget.
 */
record Mailing(Vertx vertx, MailStore store, OutboxStore outbox, MailTemplates templates, MailSender sender,
               TicketService tickets, MailCapability capability, NotifyMetrics metrics, String messageHost,
               int perHour) {

  /** The deterministic Message-ID of {@code (subject, kind)}: a resend of the same mail carries the same id. */
  String messageId(UUID subject, String kind) {
    return "<" + subject + "." + kind + "@" + messageHost + ">";
  }

  /**
   * Runs {@code send} if the tenant has budget left this rolling hour; otherwise the row waits
   * (deferred, not failed) until the oldest send of the hour leaves it.
   */
  Future<Void> withinBudget(long seq, UUID tenantId, Supplier<Future<Void>> send) {
    return store.budget(tenantId).compose(b -> {
      if (b.sent() < perHour) {
        return send.get();
      }
      Instant until = b.oldest() == null ? Instant.now().plusSeconds(60) : b.oldest().plusSeconds(3601);
      return outbox.defer(seq, until);
    });
  }
}
