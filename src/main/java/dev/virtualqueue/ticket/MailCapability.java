package dev.virtualqueue.ticket;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a message's live link carries instead of the ticket token (which is stored only as a hash,
 * so no mail can contain it): {@code m1.} + base64url HMAC-SHA256 of the ticket id under a server
 * key ({@code serverKey.derive("mail-live")}). Nothing is stored; {@link #matches} recomputes it, so
 * it cannot be made without the server key and opens one ticket only. It reads and watches the
 * ticket (REST and live socket), but does not leave the line: a forwarded mail cannot cancel it.
 */
public final class MailCapability {
  /** The prefix that tells a capability from a ticket token (tokens are bare base64url). */
  public static final String PREFIX = "m1.";
  private final SecretKeySpec key;

  public MailCapability(byte[] key) {
    if (key.length < 32) {
      throw new IllegalArgumentException("the capability key has at least 32 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
  }

  /** The capability of {@code ticketId}. */
  public String issue(UUID ticketId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] sig = mac.doFinal(("mail-live:" + ticketId).getBytes(StandardCharsets.US_ASCII));
      return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  /** Whether {@code presented} looks like a capability (rather than a ticket token). */
  public static boolean isCapability(String presented) {
    return presented != null && presented.startsWith(PREFIX);
  }

  /** Constant-time check of a presented capability for {@code ticketId}. */
  public boolean matches(UUID ticketId, String presented) {
    if (presented == null || presented.length() > 128) {
      return false;
    }
    return MessageDigest.isEqual(issue(ticketId).getBytes(StandardCharsets.US_ASCII),
        presented.getBytes(StandardCharsets.US_ASCII));
  }
}
