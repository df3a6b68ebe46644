package dev.virtualqueue.ticket;

import dev.virtualqueue.common.Validate;
import java.util.regex.Pattern;

/** Body of a join: everything optional; {@code priority} names one of the queue's classes. */
public record JoinRequest(String name, String email, String phone, String priority) {

  /** A trimmed, checked copy (400 on control characters, overlong text, a malformed email). */
  public JoinRequest validated() {
    return new JoinRequest(Validate.text("name", name, 100, false), Validate.email("email", email),
        Validate.matches("phone", phone, Pattern.compile("^\\+?[0-9 ()-]{4,24}$"),
            "a phone number", false),
        Validate.text("priority", priority, 32, false));
  }
}
