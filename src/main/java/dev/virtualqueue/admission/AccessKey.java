package dev.virtualqueue.admission;

import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;

/**
 * One access-token key as this server holds it ({@code access_keys}). Published from its creation
 * until {@code retireAt} (null: no retire date yet); it may sign from {@code signsFrom}.
 * {@code privateKey} is null when its sealed private key does not open with this server's key
 * (a server started with another key file): it still verifies, it never signs here.
 */
record AccessKey(String kid, ECPublicKey publicKey, ECPrivateKey privateKey, Es256.Jwk jwk, Instant createdAt,
                 Instant signsFrom, Instant retireAt) {

  /** In the JWKS, and accepted for verification, at {@code now}. */
  boolean published(Instant now) {
    return retireAt == null || retireAt.isAfter(now);
  }

  /** May sign at {@code now}: published, its signing time come, and its private key at hand. */
  boolean signs(Instant now) {
    return published(now) && !signsFrom.isAfter(now) && privateKey != null;
  }

  /** Its state at {@code now}, as {@code access-keys list} shows it. */
  String state(Instant now, boolean signer) {
    if (!published(now)) {
      return "retired";
    }
    if (signsFrom.isAfter(now)) {
      return "upcoming";
    }
    return signer ? "signing" : "previous";
  }
}
