package dev.virtualqueue.ticket;

import dev.virtualqueue.common.Validate;
import java.util.regex.Pattern;

/**
 * Body of a join: everything optional; {@code priority} names one of the queue's classes;
 * {@code notifyAhead} (0..100 people ahead) and {@code notifyMinutes} (1..240 minutes of p50 wait)
 * choose when "almost your turn" is sent, else the queue's defaults apply.
 */
public record JoinRequest(String name, String email, String phone, String priority, Integer notifyAhead,
                          Integer notifyMinutes) {

  /** A trimmed, checked copy (400 on control characters, overlong text, a malformed email, a bad threshold). */
  public JoinRequest validated() {
    return new JoinRequest(Validate.text("name", name, 100, false), Validate.email("email", email),
        Validate.matches("phone", phone, Pattern.compile("^\\+?[0-9 ()-]{4,24}$"),
            "a phone number", false),
        Validate.text("priority", priority, 32, false),
        notifyAhead == null ? null : Validate.range("notifyAhead", notifyAhead, 0, 100, 0),
        notifyMinutes == null ? null : Validate.range("notifyMinutes", notifyMinutes, 1, 240, 1));
  }

  /** The holder's thresholds for "almost your turn". */
  TicketRepository.NotifyChoice notifyChoice() {
    return new TicketRepository.NotifyChoice(notifyAhead, notifyMinutes);
  }
}
