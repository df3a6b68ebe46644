package dev.virtualqueue.admission;

import dev.virtualqueue.auth.PemKeys;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * ES256 (ECDSA on P-256 with SHA-256) as JOSE wants it: JWK coordinates of exactly 32 bytes, and
 * signatures as the 64 bytes {@code R || S} (RFC 7518 §3.4), not DER. The JDK does the maths; this
 * only fixes the encodings, so a token checks out with any JOSE library.
 */
final class Es256 {
  static final String ALG = "ES256";
  /** The JDK's name for ECDSA with the fixed-length {@code R || S} encoding JOSE uses. */
  private static final String SIGNATURE = "SHA256withECDSAinP1363Format";
  private static final ECParameterSpec P256 = PemKeys.P256;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private Es256() {
  }

  /** A public JWK's members (RFC 7517/7518). */
  record Jwk(String kty, String crv, String x, String y, String kid, String use, String alg) {
  }

  static KeyPair generate() {
    return PemKeys.generate();
  }

  static Jwk jwk(String kid, ECPublicKey key) {
    return new Jwk("EC", "P-256", coordinate(key.getW().getAffineX()), coordinate(key.getW().getAffineY()), kid,
        "sig", ALG);
  }

  /** The public key of a JWK this class wrote; anything else throws {@link IllegalArgumentException}. */
  static ECPublicKey publicKey(String x, String y) {
    try {
      ECPoint w = new ECPoint(new BigInteger(1, Base64.getUrlDecoder().decode(x)),
          new BigInteger(1, Base64.getUrlDecoder().decode(y)));
      return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, P256));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("not an EC P-256 public key", e);
    }
  }

  /** A PKCS#8 private key; anything else throws {@link IllegalArgumentException}. */
  static ECPrivateKey privateKey(byte[] pkcs8) {
    try {
      return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("not an EC private key", e);
    }
  }

  static byte[] sign(ECPrivateKey key, byte[] input) {
    try {
      Signature s = Signature.getInstance(SIGNATURE);
      s.initSign(key);
      s.update(input);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ES256 signing failed", e);
    }
  }

  /** Whether {@code signature} (64 bytes, {@code R || S}) is {@code key}'s over {@code input}. */
  static boolean verify(ECPublicKey key, byte[] input, byte[] signature) {
    if (signature.length != 64) {
      return false;
    }
    try {
      Signature s = Signature.getInstance(SIGNATURE);
      s.initVerify(key);
      s.update(input);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // a malformed signature is no signature
    }
  }

  static String b64(byte[] bytes) {
    return B64.encodeToString(bytes);
  }

  /** A coordinate as the 32 unsigned big-endian bytes JWK wants, base64url. */
  private static String coordinate(BigInteger n) {
    byte[] raw = n.toByteArray();
    byte[] out = new byte[32];
    int len = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - len, out, 32 - len, len);
    return b64(out);
  }
}
