package dev.virtualqueue.queue;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Validate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A queue's settings for messages to people in line: when "almost your turn" is sent unless the
 * person chose ({@code notifyAhead} people ahead, or {@code notifyMinutes} of p50 wait, null: off),
 * and its own subject and intro per kind of message (plain text; English defaults where absent).
 */
public record QueueMessages(int notifyAhead, Integer notifyMinutes, Map<String, Text> mailTexts) {
  /** The kinds of message a queue may word itself (the mail kinds' wire names). */
  public static final List<String> KINDS = List.of("joined", "almost_turn", "called", "no_show", "admitted");
  public static final int MAX_SUBJECT = 150;
  public static final int MAX_INTRO = 1000;
  public static final QueueMessages DEFAULT = new QueueMessages(3, null, Map.of());

  public QueueMessages {
    mailTexts = mailTexts == null ? Map.of() : Map.copyOf(mailTexts);
  }

  /** One kind's wording: subject and intro, each optional. */
  public record Text(String subject, String intro) {
  }

  /**
   * This with a request's changes: absent fields keep their value; {@code notifyMinutes} 0 turns
   * the ETA threshold off; {@code mailTexts} replaces the whole set ({@code {}} clears it).
   */
  QueueMessages with(Integer ahead, Integer minutes, Map<String, Text> texts) {
    int a = Validate.range("notifyAhead", ahead, 0, 100, notifyAhead);
    Integer m = minutes == null ? notifyMinutes : Integer.valueOf(Validate.range("notifyMinutes", minutes, 0, 240, 0));
    return new QueueMessages(a, m != null && m == 0 ? null : m, texts == null ? mailTexts : checked(texts));
  }

  private static Map<String, Text> checked(Map<String, Text> texts) {
    Map<String, Text> out = new LinkedHashMap<>();
    for (Map.Entry<String, Text> e : texts.entrySet()) {
      if (!KINDS.contains(e.getKey())) {
        throw new ApiException.BadRequest("request.invalid_value", "mailTexts." + e.getKey()
            + " is not a kind of message (" + String.join(", ", KINDS) + ").");
      }
      if (e.getValue() == null) {
        throw new ApiException.BadRequest("request.invalid_value", "mailTexts." + e.getKey() + " must be an object.");
      }
      String field = "mailTexts." + e.getKey();
      Text t = new Text(Validate.text(field + ".subject", e.getValue().subject(), MAX_SUBJECT, false),
          Validate.text(field + ".intro", e.getValue().intro(), MAX_INTRO, false));
      if (t.subject() != null || t.intro() != null) {
        out.put(e.getKey(), t);
      }
    }
    return out;
  }
}
