package dev.virtualqueue.notify;

/**
 * One message to render.
 *
 * @param counterName the counter called to ({@link MailKind#CALLED}), else null
 * @param peopleAhead people ahead ({@link MailKind#ALMOST_TURN}), else null
 * @param etaMinutes the p50 wait in minutes ({@link MailKind#ALMOST_TURN}), else null
 * @param text the queue's override for this kind, or {@link MailText#DEFAULT}
 * @param liveCapability what follows {@code <ticket id>.} in the live link's fragment (the ticket's
 *     token or a capability derived for mail), or null for a link to the queue page only
 */
public record MailRequest(MailKind kind, MailTicket ticket, String counterName, Integer peopleAhead,
    Integer etaMinutes, MailText text, String liveCapability) {

  public MailRequest {
    text = text == null ? MailText.DEFAULT : text;
  }

  public static MailRequest of(MailKind kind, MailTicket ticket, MailText text) {
    return new MailRequest(kind, ticket, null, null, null, text, null);
  }
}
