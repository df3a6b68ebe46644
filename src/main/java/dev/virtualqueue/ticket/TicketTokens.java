package dev.virtualqueue.ticket;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Ticket holder secrets: 256 bits, shown once, stored only as SHA-256. A join without an
 * Idempotency-Key gets a random token; a join with one gets a token derived from the key and the
 * ticket id, so a replay can hand the same token out again without any secret being stored.
 */
public final class TicketTokens {
  private static final Pattern UUID_FORM =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern HEX_FORM = Pattern.compile("[0-9a-fA-F]{32,128}");
  private static final Pattern BASE64URL_FORM = Pattern.compile("[A-Za-z0-9_-]{22,128}");

  private TicketTokens() {
  }

  public static String newToken() {
    return Secrets.randomBase64Url(32);
  }

  /** The token of a ticket created under an Idempotency-Key: HMAC-SHA256(key, ticket id). */
  public static String derive(String idempotencyKey, UUID ticketId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(idempotencyKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] out = mac.doFinal(("vq-ticket-token\n" + ticketId).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Checks that a join's Idempotency-Key can stand in for a secret: it replays the ticket and its
   * token to whoever presents it, so it must carry at least 128 random bits. Accepted: a UUID, 32+
   * hex digits, or 22-128 base64url characters; a key with few distinct characters ("aaaa...",
   * "0000...") is refused as guessable.
   */
  public static String checkJoinKey(String key) {
    if (key.isEmpty() || key.length() > 128 || !key.chars().allMatch(c -> c > 32 && c < 127)) {
      throw new ApiException.BadRequest("idempotency.invalid_key",
          "Idempotency-Key must be 1-128 visible ASCII characters.");
    }
    boolean strong = UUID_FORM.matcher(key).matches() || HEX_FORM.matcher(key).matches()
        ? distinct(key.toLowerCase(Locale.ROOT).replace("-", "")) >= 8
        : BASE64URL_FORM.matcher(key).matches() && distinct(key) >= 12;
    if (!strong) {
      throw new ApiException.BadRequest("idempotency.weak_key", "Idempotency-Key of a join must carry at least"
          + " 128 random bits: a random UUID, or 22 or more random base64url characters (A-Z a-z 0-9 - _).");
    }
    return key;
  }

  private static long distinct(String s) {
    return s.chars().distinct().count();
  }

  public static byte[] hash(String token) {
    return Secrets.sha256(token);
  }

  /** Constant-time check of a presented token against the stored hash. */
  public static boolean matches(String token, byte[] storedHash) {
    return token != null && token.length() <= 128 && Secrets.matches(token, storedHash);
  }
}
