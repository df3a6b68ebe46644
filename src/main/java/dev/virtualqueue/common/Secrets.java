package dev.virtualqueue.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Secrets handed out once and stored only as their SHA-256 (ticket tokens, API keys, display keys,
 * idempotency keys): random generation, hashing and the constant-time check, written once.
 */
public final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {
  }

  /** {@code bytes} random bytes as unpadded base64url. */
  public static String randomBase64Url(int bytes) {
    byte[] raw = new byte[bytes];
    RANDOM.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  /** {@code length} characters drawn at random from {@code alphabet}. */
  public static String randomChars(char[] alphabet, int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = alphabet[RANDOM.nextInt(alphabet.length)];
    }
    return new String(out);
  }

  /** SHA-256 of the UTF-8 bytes of {@code secret}. */
  public static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time check of a presented secret against a stored hash (false for no hash). */
  public static boolean matches(String secret, byte[] storedHash) {
    return secret != null && storedHash != null && MessageDigest.isEqual(sha256(secret), storedHash);
  }
}
