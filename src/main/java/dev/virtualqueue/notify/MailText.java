package dev.virtualqueue.notify;

import dev.virtualqueue.common.Validate;

/**
 * A queue's own wording for one kind of message: subject and intro, each optional (null keeps the
 * English default). Plain text, never markup: it is escaped in the HTML part.
 */
public record MailText(String subject, String intro) {
  public static final int MAX_SUBJECT = 150;
  public static final int MAX_INTRO = 1000;
  public static final MailText DEFAULT = new MailText(null, null);

  /** An admin's override, checked like any request field (length, no control characters). */
  public static MailText of(String subject, String intro) {
    return new MailText(Validate.text("subject", subject, MAX_SUBJECT, false),
        Validate.text("intro", intro, MAX_INTRO, false));
  }
}
