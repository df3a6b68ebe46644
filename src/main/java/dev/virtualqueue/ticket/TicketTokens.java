package dev.virtualqueue.ticket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Ticket holder secrets: 256 random bits, shown once, stored only as SHA-256. */
public final class TicketTokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TicketTokens() {
  }

  public static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time check of a presented token against the stored hash. */
  public static boolean matches(String token, byte[] storedHash) {
    return token != null && token.length() <= 128 && MessageDigest.isEqual(hash(token), storedHash);
  }
}
