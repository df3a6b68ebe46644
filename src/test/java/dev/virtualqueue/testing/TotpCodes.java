package dev.virtualqueue.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What an authenticator app computes (RFC 6238 over RFC 4226: HMAC-SHA1, dynamic truncation), written
 * apart from the server's code so the tests check it against the RFC rather than against itself.
 */
public final class TotpCodes {
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private TotpCodes() {
  }

  /** The {@code digits}-digit code of base32 {@code secret} for time step {@code step}. */
  public static String code(String secret, long step, int digits) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(base32(secret), "HmacSHA1"));
      byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
      int offset = h[h.length - 1] & 0x0f;
      int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8)
          | (h[offset + 3] & 0xff);
      int mod = (int) Math.pow(10, digits);
      return String.format("%0" + digits + "d", binary % mod);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The six-digit code of {@code secret} for now. */
  public static String now(String secret) {
    return code(secret, step(), 6);
  }

  /** The current 30-second step. */
  public static long step() {
    return System.currentTimeMillis() / 1000 / 30;
  }

  /**
   * Waits until the current step has at least {@code seconds} left, so a code computed now is still
   * the current one when the server checks it (the server also takes the step before).
   */
  public static void awaitFreshStep(int seconds) {
    long left = 30_000 - System.currentTimeMillis() % 30_000;
    if (left < seconds * 1000L) {
      try {
        Thread.sleep(left + 50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Waits for the next 30-second step to begin (a new code). */
  public static void awaitNextStep() {
    long step = step();
    while (step() == step) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  static byte[] base32(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : s.toUpperCase(Locale.ROOT).replace("=", "").toCharArray()) {
      int v = BASE32.indexOf(c);
      if (v < 0) {
        throw new IllegalArgumentException("not base32: " + c);
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return out.toByteArray();
  }
}
