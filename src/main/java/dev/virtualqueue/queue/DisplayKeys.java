package dev.virtualqueue.queue;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Errors;
import dev.virtualqueue.common.Secrets;

/** A queue's display key: what lets a private board watch it and a kiosk issue any of its classes. */
public final class DisplayKeys {
  /** Sent by a ticket kiosk and a private board's access check: the queue's display key. */
  public static final String HEADER = "X-Display-Key";

  private DisplayKeys() {
  }

  /** Who presents the key, with the refusals it gets (codes {@code <prefix>.key_missing}, {@code .invalid_key}). */
  enum Use {
    /** A board: a public board needs no key. */
    BOARD("board", true, "This board needs the queue's display key.", "Wrong display key."),
    /** A kiosk: always needs the key, public board or not. */
    KIOSK("kiosk", false, "This kiosk needs the queue's display key.", "Wrong display key for this queue.");

    private final String prefix;
    private final boolean openWhenPublic;
    private final String missing;
    private final String wrong;

    Use(String prefix, boolean openWhenPublic, String missing, String wrong) {
      this.prefix = prefix;
      this.openWhenPublic = openWhenPublic;
      this.missing = missing;
      this.wrong = wrong;
    }
  }

  /** A new display key (shown once; only its SHA-256 is stored). */
  static String generate() {
    return "vqd_" + Secrets.randomBase64Url(24);
  }

  /** Lets {@code use} in with {@code key}, or throws its refusal; {@code access} null is an unknown queue. */
  static Void check(Use use, QueueRepository.BoardAccess access, String key) {
    if (access == null) {
      throw Errors.notFound("queue");
    }
    if (use.openWhenPublic && access.isPublic()) {
      return null;
    }
    if (key == null || key.isEmpty()) {
      throw new ApiException.Unauthorized(use.prefix + ".key_missing", use.missing);
    }
    if (!Secrets.matches(key, access.keyHash())) {
      throw new ApiException.Forbidden(use.prefix + ".invalid_key", use.wrong);
    }
    return null;
  }
}
