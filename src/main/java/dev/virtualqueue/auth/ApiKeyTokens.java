package dev.virtualqueue.auth;

import dev.virtualqueue.common.Secrets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API key format {@code vq_<prefix>_<secret>}: a 10-character lookup prefix (50 random bits,
 * stored in clear and shown in lists) and a 40-character secret (200 random bits), both lowercase
 * base32. Only the SHA-256 of the whole key is stored; the key itself is shown once.
 */
final class ApiKeyTokens {
  static final String MARK = "vq_";
  static final int PREFIX_LENGTH = 10;
  static final int SECRET_LENGTH = 40;
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final Pattern FORMAT =
      Pattern.compile("vq_([a-z2-7]{" + PREFIX_LENGTH + "})_[a-z2-7]{" + SECRET_LENGTH + "}");

  private ApiKeyTokens() {
  }

  /** A new key and its prefix. */
  record Generated(String prefix, String key) {
  }

  static Generated generate() {
    String prefix = random(PREFIX_LENGTH);
    return new Generated(prefix, MARK + prefix + "_" + random(SECRET_LENGTH));
  }

  /** The prefix of a well-formed key, or null. */
  static String prefixOf(String key) {
    if (key == null || key.length() != MARK.length() + PREFIX_LENGTH + 1 + SECRET_LENGTH) {
      return null;
    }
    Matcher m = FORMAT.matcher(key);
    return m.matches() ? m.group(1) : null;
  }

  /** SHA-256 of the key (its characters are ASCII, so its UTF-8 and ASCII bytes agree). */
  static byte[] hash(String key) {
    return Secrets.sha256(key);
  }

  /** Constant-time comparison of a presented key with a stored hash. */
  static boolean matches(String key, byte[] storedHash) {
    return Secrets.matches(key, storedHash);
  }

  private static String random(int length) {
    return Secrets.randomChars(ALPHABET, length);
  }
}
