package dev.virtualqueue.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
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
  private static final SecureRandom RANDOM = new SecureRandom();

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

  static byte[] hash(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time comparison of a presented key with a stored hash. */
  static boolean matches(String key, byte[] storedHash) {
    return MessageDigest.isEqual(hash(key), storedHash);
  }

  private static String random(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(out);
  }
}
