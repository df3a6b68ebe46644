package dev.virtualqueue.auth;

import dev.virtualqueue.common.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One-time recovery codes: {@value #COUNT} per account, each ten characters of a 32-letter alphabet
 * without look-alikes (50 random bits), shown as {@code abcde-fghij}. Stored only as the SHA-256 of
 * the normalised code: a random secret of that strength needs no slow hash.
 */
final class RecoveryCodes {
  static final int COUNT = 10;
  private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();
  private static final int LENGTH = 10;

  private RecoveryCodes() {
  }

  /** {@value #COUNT} new codes as shown to the user. */
  static List<String> generate() {
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < COUNT; i++) {
      String raw = Secrets.randomChars(ALPHABET, LENGTH);
      codes.add(raw.substring(0, LENGTH / 2) + "-" + raw.substring(LENGTH / 2));
    }
    return codes;
  }

  /** The code as stored: lower case, without spaces and dashes; null when it cannot be a recovery code. */
  static String normalise(String code) {
    if (code == null || code.length() > 40) {
      return null;
    }
    String s = code.toLowerCase(Locale.ROOT).replace("-", "").replace(" ", "");
    return s.length() == LENGTH ? s : null;
  }

  /** The stored hash of a shown or typed code (null when it cannot be one). */
  static byte[] hash(String code) {
    String n = normalise(code);
    return n == null ? null : Secrets.sha256(n);
  }
}
