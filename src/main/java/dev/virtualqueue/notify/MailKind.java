package dev.virtualqueue.notify;

/**
 * The messages a ticket holder can get, with their English default subject and intro. Defaults and
 * per-queue overrides may use the placeholders {@code {code}}, {@code {queue}}, {@code {counter}} and
 * {@code {name}}; the values are inserted as text and escaped with everything else in the HTML part.
 */
public enum MailKind {
  JOINED("joined", "You are in line at {queue}: ticket {code}",
      "Thank you for joining the line at {queue}. Your ticket is {code}."),
  ALMOST_TURN("almost_turn", "Almost your turn at {queue}",
      "Your turn at {queue} is coming up soon. Please make your way back."),
  CALLED("called", "Ticket {code}: please go to {counter}",
      "It is your turn at {queue}. Please go to {counter} now."),
  NO_SHOW("no_show", "We missed you at {queue}",
      "Ticket {code} was called at {queue}, but we could not find you, so it has been closed."),
  ADMITTED("admitted", "You are in: {queue}",
      "Thank you for waiting. You can now enter {queue}.");

  private final String wireName;
  private final String defaultSubject;
  private final String defaultIntro;

  MailKind(String wireName, String defaultSubject, String defaultIntro) {
    this.wireName = wireName;
    this.defaultSubject = defaultSubject;
    this.defaultIntro = defaultIntro;
  }

  /** The name in templates, metrics ({@code kind} label) and the outbox. */
  public String wireName() {
    return wireName;
  }

  public String defaultSubject() {
    return defaultSubject;
  }

  public String defaultIntro() {
    return defaultIntro;
  }
}
