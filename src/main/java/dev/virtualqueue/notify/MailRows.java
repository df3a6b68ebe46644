package dev.virtualqueue.notify;

import java.util.Map;
import java.util.Set;

/**
 * What the mail channel's outbox rows mean: the ticket types whose holder gets a message, the types
 * that move a line forward (re-evaluate "almost your turn" in the row's queue), the row this side
 * queues itself when "almost your turn" is due, and the webhook side's notice to a tenant's owners.
 */
final class MailRows {
  /** Queued by {@link MailStore#queueAlmost}: data {@code {ahead, etaMinutes}}. */
  static final String ALMOST_TYPE = "ticket.almost_turn";
  /** Written by the webhook side: data {@code {endpointId, url, reason, failingSince}}, no ticket. */
  static final String WEBHOOK_DISABLED = "webhook.disabled";
  private static final Map<String, MailKind> HOLDER = Map.of("ticket.created", MailKind.JOINED,
      "ticket.called", MailKind.CALLED, "ticket.no_show", MailKind.NO_SHOW, "ticket.admitted", MailKind.ADMITTED,
      ALMOST_TYPE, MailKind.ALMOST_TURN);
  private static final Set<String> LINE_MOVING = Set.of("ticket.called", "ticket.left", "ticket.expired",
      "ticket.transferred", "ticket.admitted");

  private MailRows() {
  }

  /** The message a row of this type sends its ticket's holder, or null. */
  static MailKind holderKind(String type) {
    return HOLDER.get(type);
  }

  /** Whether a row of this type moved its queue's line. */
  static boolean movesLine(String type) {
    return LINE_MOVING.contains(type);
  }
}
