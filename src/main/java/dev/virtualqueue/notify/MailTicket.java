package dev.virtualqueue.notify;

import java.util.UUID;

/**
 * Who a message is about and where: the ticket, the name its holder gave (or null), and its queue.
 * The slugs build the links; names are shown (and escaped) as they are.
 */
public record MailTicket(UUID ticketId, String code, String personName, String tenantSlug, String queueSlug,
    String queueName) {
}
