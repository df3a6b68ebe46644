package dev.virtualqueue.notify;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Links in messages, from the public base URL (VQ_HTTP_PUBLIC_URL). The stop link carries an
 * HMAC-SHA256 of the ticket id under a server key, so only the mail's reader can stop that ticket's
 * messages, and nothing secret is stored: {@link #verifyStop} recomputes it.
 */
public final class MailLinks {
  private static final String STOP_PATH = "/notifications/stop";
  private final String base;
  private final SecretKeySpec key;

  /** {@code publicBase}: absolute http(s) URL; {@code key}: at least 32 bytes. */
  public MailLinks(String publicBase, byte[] key) {
    URI uri = URI.create(publicBase);
    if (!uri.isAbsolute() || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("the public URL must be an absolute http(s) URL without query");
    }
    if (key.length < 32) {
      throw new IllegalArgumentException("the link key has at least 32 bytes");
    }
    this.base = publicBase.replaceAll("/+$", "");
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
  }

  /** The live page of the ticket: {@code /q/<tenant>/<queue>#t=<id>.<capability>}. */
  public String live(MailTicket t, String capability) {
    String page = base + "/q/" + segment(t.tenantSlug()) + "/" + segment(t.queueSlug());
    return capability == null ? page : page + "#t=" + t.ticketId() + "." + segment(capability);
  }

  /** The link that stops every message for this ticket (also the List-Unsubscribe target). */
  public String stop(UUID ticketId) {
    return base + STOP_PATH + "?t=" + ticketId + "&s=" + stopSignature(ticketId);
  }

  /** Whether {@code signature} is the stop link's for {@code ticketId} (constant time). */
  public boolean verifyStop(UUID ticketId, String signature) {
    if (signature == null) {
      return false;
    }
    byte[] expected = stopSignature(ticketId).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
  }

  private String stopSignature(UUID ticketId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] sig = mac.doFinal(("stop:" + ticketId).getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
