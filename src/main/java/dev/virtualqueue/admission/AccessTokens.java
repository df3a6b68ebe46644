package dev.virtualqueue.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.virtualqueue.common.Json;
import dev.virtualqueue.queue.WaitingRoom;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Waiting-room access tokens: JWTs signed ES256 with the access key set ({@link AccessKeys}),
 * header {@code {"alg":"ES256","typ":"at+jwt","kid":...}} (RFC 9068), claims {@code iss} (the
 * server's public URL), {@code sub} (ticket id), {@code aud} (the room's audience), {@code iat},
 * {@code exp} (the session's end), {@code jti}, {@code tid} (tenant id), {@code qid} (queue id).
 * Never stored: signed again from the session row whenever asked for. CPU only (a signature is
 * well under a millisecond), so safe on the event loop.
 *
 * <p>{@link #read} is strict, and decides on the token alone: the shape, {@code alg} exactly
 * ES256 (so neither {@code none} nor an HMAC keyed with a public key gets in), no {@code crit}, a
 * {@code kid} published now, a valid signature, our issuer, and every claim of the right type.
 * Expiry and the session's state are the caller's to judge.
 */
final class AccessTokens {
  static final String TYPE = "at+jwt";
  /** Header and payload bounded, and an ES256 signature of exactly 64 bytes (86 base64url characters). */
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{1,1024}\\.[A-Za-z0-9_-]{1,4096}\\.[A-Za-z0-9_-]{86}");
  private static final Set<String> HEADER = Set.of("alg", "typ", "kid");
  /** Clock skew allowed on {@code iat} (a token from a server whose clock runs a little ahead). */
  private static final long SKEW_SECONDS = 60;
  private static final long LONGEST_SECONDS = 86_400 + SKEW_SECONDS;

  private final AccessKeys keys;
  private final String issuer;

  AccessTokens(AccessKeys keys, String issuer) {
    this.keys = keys;
    this.issuer = issuer;
  }

  /** What a token says, once {@link #read} trusts it. */
  record Claims(String kid, String iss, String aud, UUID sub, long iat, long exp, UUID jti, UUID tid, UUID qid) {
  }

  String issuer() {
    return issuer;
  }

  /** The token of a session, for the room's audience, freshly signed by the current key. */
  String mint(AdmissionSession s, WaitingRoom room) {
    AccessKey signer = keys.signer(Instant.now());
    if (signer == null) {
      throw new IllegalStateException("no access-token key can sign now (see the log of the key loader)");
    }
    String header = new JsonObject().put("alg", Es256.ALG).put("typ", TYPE).put("kid", signer.kid()).encode();
    String payload = new JsonObject().put("iss", issuer).put("sub", s.ticketId().toString())
        .put("aud", room.audience()).put("iat", s.issuedAt().getEpochSecond())
        .put("exp", s.expiresAt().getEpochSecond()).put("jti", s.jti().toString())
        .put("tid", s.tenantId().toString()).put("qid", s.queueId().toString()).encode();
    String input = part(header) + "." + part(payload);
    return input + "." + Es256.b64(Es256.sign(signer.privateKey(), input.getBytes(StandardCharsets.US_ASCII)));
  }

  /** The claims of a token this server signed with a key published at {@code now}; null for anything else. */
  Claims read(String token, Instant now) {
    if (token == null || !SHAPE.matcher(token).matches()) {
      return null;
    }
    int dot = token.indexOf('.');
    int last = token.lastIndexOf('.');
    JsonNode header = json(token.substring(0, dot));
    AccessKey key = header == null ? null : key(header, now);
    if (key == null) {
      return null;
    }
    byte[] input = token.substring(0, last).getBytes(StandardCharsets.US_ASCII);
    if (!Es256.verify(key.publicKey(), input, Base64.getUrlDecoder().decode(token.substring(last + 1)))) {
      return null;
    }
    JsonNode claims = json(token.substring(dot + 1, last));
    return claims == null ? null : claims(key.kid(), claims, now);
  }

  /** The published key a header names, if the header is exactly what we write. */
  private AccessKey key(JsonNode header, Instant now) {
    if (!onlyKnownMembers(header) || !text(header, "alg").equals(Es256.ALG)
        || header.has("typ") && !text(header, "typ").equals(TYPE)) {
      return null;
    }
    return keys.verifier(text(header, "kid"), now);
  }

  private Claims claims(String kid, JsonNode c, Instant now) {
    try {
      long iat = number(c, "iat");
      long exp = number(c, "exp");
      if (!issuer.equals(text(c, "iss")) || iat > now.getEpochSecond() + SKEW_SECONDS || exp <= iat
          || exp - iat > LONGEST_SECONDS || text(c, "aud").isEmpty()) {
        return null;
      }
      return new Claims(kid, text(c, "iss"), text(c, "aud"), uuid(c, "sub"), iat, exp, uuid(c, "jti"), uuid(c, "tid"),
          uuid(c, "qid"));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String part(String json) {
    return Es256.b64(json.getBytes(StandardCharsets.UTF_8));
  }

  /** A base64url JSON object, parsed strictly (a duplicate member is refused), or null. */
  private static JsonNode json(String b64) {
    try {
      JsonNode node = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(b64));
      return node != null && node.isObject() ? node : null;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  /** RFC 7515 §4.1.11: a header naming anything we do not write ({@code crit}, {@code jku}, {@code x5u}...) is refused. */
  private static boolean onlyKnownMembers(JsonNode header) {
    for (Iterator<String> names = header.fieldNames(); names.hasNext(); ) {
      if (!HEADER.contains(names.next())) {
        return false;
      }
    }
    return true;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.asText() : "";
  }

  private static long number(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException(field);
    }
    return v.asLong();
  }

  private static UUID uuid(JsonNode node, String field) {
    String s = text(node, field);
    if (s.length() != 36) {
      throw new IllegalArgumentException(field);
    }
    return UUID.fromString(s);
  }
}
