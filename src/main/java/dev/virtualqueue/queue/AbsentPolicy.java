package dev.virtualqueue.queue;

import dev.virtualqueue.common.Validate;

/**
 * What call-next does about a person who has used the live page but is not connected now:
 * {@code call} them anyway (default); {@code skip} them, holding their place for
 * {@code holdMinutes} before the ticket expires; or call them and mark a no-show when they are
 * still absent {@code graceSeconds} after the call. People who never opened the live page (a
 * printed ticket) are always treated as present.
 */
public record AbsentPolicy(String mode, Integer holdMinutes, Integer graceSeconds) {
  public static final String CALL = "call";
  public static final String SKIP = "skip";
  public static final String GRACE = "grace";
  public static final AbsentPolicy DEFAULT = new AbsentPolicy(CALL, null, null);

  /** A checked copy with defaults filled in (400 on a bad mode or range). */
  public AbsentPolicy validated() {
    String m = Validate.oneOf("absentPolicy.mode", mode, CALL, CALL, SKIP, GRACE);
    int hold = Validate.range("absentPolicy.holdMinutes", holdMinutes, 1, 24 * 60, 10);
    int grace = Validate.range("absentPolicy.graceSeconds", graceSeconds, 10, 3600, 120);
    return switch (m) {
      case SKIP -> new AbsentPolicy(m, hold, null);
      case GRACE -> new AbsentPolicy(m, null, grace);
      default -> DEFAULT;
    };
  }

  public boolean skips() {
    return SKIP.equals(mode);
  }

  public boolean grace() {
    return GRACE.equals(mode);
  }
}
