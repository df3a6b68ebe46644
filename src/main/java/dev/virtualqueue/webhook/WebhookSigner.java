package dev.virtualqueue.webhook;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Signs webhook deliveries as the Standard Webhooks spec says, with its reference library:
 * {@code webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, one signature per
 * active secret, space-separated. Secrets are {@code whsec_} + base64 of 24 to 64 random bytes.
 *
 * <p>The server must recover a secret to sign with it, so it cannot keep only a hash: store it
 * sealed with {@link dev.virtualqueue.common.SecretSealer} (a server key outside the database), never as plain text, so a
 * database dump alone signs nothing.
 */
public final class WebhookSigner {
  public static final String SECRET_PREFIX = "whsec_";
  public static final String HEADER_ID = "webhook-id";
  public static final String HEADER_TIMESTAMP = "webhook-timestamp";
  public static final String HEADER_SIGNATURE = "webhook-signature";
  public static final int MIN_SECRET_BYTES = 24;
  public static final int MAX_SECRET_BYTES = 64;
  public static final int DEFAULT_SECRET_BYTES = 32;
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

  private final SecureRandom random;

  public WebhookSigner(SecureRandom random) {
    this.random = random;
  }

  /** A new secret of {@value #DEFAULT_SECRET_BYTES} random bytes, to be shown once. */
  public String newSecret() {
    return newSecret(DEFAULT_SECRET_BYTES);
  }

  /** A new secret of {@code bytes} random bytes (24 to 64). */
  public String newSecret(int bytes) {
    if (bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
      throw new IllegalArgumentException("a secret has 24 to 64 bytes, not " + bytes);
    }
    byte[] key = new byte[bytes];
    random.nextBytes(key);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** Whether {@code secret} is {@code whsec_} + canonical base64 of 24 to 64 bytes. */
  public static boolean isValidSecret(String secret) {
    if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
      return false;
    }
    String b64 = secret.substring(SECRET_PREFIX.length());
    if (!BASE64.matcher(b64).matches() || b64.length() % 4 != 0) {
      return false;
    }
    int bytes = Base64.getDecoder().decode(b64).length;
    return bytes >= MIN_SECRET_BYTES && bytes <= MAX_SECRET_BYTES;
  }

  /** One signature, {@code v1,<base64>}, of {@code msgId.timestamp.body} with {@code secret}. */
  public static String signature(String secret, String msgId, long timestampSeconds, String body) {
    if (!isValidSecret(secret)) {
      throw new IllegalArgumentException("not a webhook secret");
    }
    try {
      return new Webhook(secret).sign(msgId, timestampSeconds, body);
    } catch (WebhookSigningException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  /**
   * The three headers of one delivery attempt. {@code msgId} is the event id (the receiver's
   * idempotency key, the same on every retry); {@code attemptAt} is this attempt's time, which
   * receivers check against replays, so every retry is signed anew.
   */
  public SignedHeaders sign(String msgId, Instant attemptAt, String body, SigningKeys keys) {
    long ts = attemptAt.getEpochSecond();
    List<String> secrets = keys.active(attemptAt);
    String signatures = secrets.stream().map(s -> signature(s, msgId, ts, body))
        .collect(Collectors.joining(" "));
    return new SignedHeaders(msgId, Long.toString(ts), signatures);
  }

  /** The signed headers of one attempt, to copy onto the request as they are. */
  public record SignedHeaders(String id, String timestamp, String signature) {
    public Map<String, String> asMap() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put(HEADER_ID, id);
      m.put(HEADER_TIMESTAMP, timestamp);
      m.put(HEADER_SIGNATURE, signature);
      return m;
    }
  }
}
