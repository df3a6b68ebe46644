package dev.virtualqueue.auth;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EC P-256 keys in PEM: a PKCS#8 {@code PRIVATE KEY} block and/or a {@code PUBLIC KEY} block. When
 * a file has a private key but no public block, the public point embedded in the PKCS#8 key (as
 * {@code openssl genpkey} writes it) is used. Problems are reported as {@link IllegalArgumentException}
 * with a message fit for an operator.
 */
public final class PemKeys {
  /** The P-256 curve's parameters (also used by the access tokens' ES256 code). */
  public static final ECParameterSpec P256 = p256();
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

  private PemKeys() {
  }

  /** A parsed key file: the public key always, the private key when the file holds one. */
  record Parsed(ECPublicKey publicKey, ECPrivateKey privateKey) {
  }

  static Parsed parse(String text) {
    byte[] priv = null;
    byte[] pub = null;
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      switch (m.group(1)) {
        case "PRIVATE KEY" -> priv = der;
        case "PUBLIC KEY" -> pub = der;
        case "EC PRIVATE KEY" -> throw new IllegalArgumentException("holds a SEC1 'EC PRIVATE KEY'; convert it"
            + " to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in old.pem -out <kid>.pem");
        case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException("holds an encrypted private key;"
            + " only unencrypted PKCS#8 keys are supported (protect the folder instead)");
        default -> { } // certificates and other blocks are ignored
      }
    }
    if (priv == null && pub == null) {
      throw new IllegalArgumentException("holds no PEM 'PRIVATE KEY' or 'PUBLIC KEY' block");
    }
    try {
      KeyFactory ec = KeyFactory.getInstance("EC");
      ECPrivateKey privateKey = priv == null ? null
          : p256((ECPrivateKey) ec.generatePrivate(new PKCS8EncodedKeySpec(priv)));
      ECPublicKey publicKey = pub != null ? p256((ECPublicKey) ec.generatePublic(new X509EncodedKeySpec(pub)))
          : embeddedPublicKey(ec, priv);
      if (privateKey != null && !pairs(publicKey, privateKey)) {
        throw new IllegalArgumentException("has a PUBLIC KEY that does not belong to its PRIVATE KEY");
      }
      return new Parsed(publicKey, privateKey);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("does not hold a valid EC P-256 key (" + e.getMessage() + ")");
    }
  }

  /** A fresh EC P-256 key pair (staff JWT keys and the admission access keys). */
  public static KeyPair generate() {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"));
      return gen.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot generate EC P-256 keys", e);
    }
  }

  /** Both blocks of a key pair, as an operator's {@code <kid>.pem} file (tests and tooling). */
  static String write(KeyPair pair) {
    return pem("PRIVATE KEY", pair.getPrivate().getEncoded()) + pem("PUBLIC KEY", pair.getPublic().getEncoded());
  }

  static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static <K extends ECKey> K p256(K key) {
    ECParameterSpec p = key.getParams();
    if (!p.getOrder().equals(P256.getOrder()) || !p.getCurve().equals(P256.getCurve())) {
      throw new IllegalArgumentException("holds an EC key on another curve; ES256 needs P-256 (prime256v1)");
    }
    return key;
  }

  private static ECPublicKey embeddedPublicKey(KeyFactory ec, byte[] pkcs8) throws GeneralSecurityException {
    byte[] point = Der.embeddedPublicPoint(pkcs8);
    if (point == null || point.length != 65 || point[0] != 0x04) {
      throw new IllegalArgumentException("has a private key without its public key; append it with:"
          + " openssl pkey -in <kid>.pem -pubout >> <kid>.pem");
    }
    ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 33)),
        new BigInteger(1, Arrays.copyOfRange(point, 33, 65)));
    return (ECPublicKey) ec.generatePublic(new ECPublicKeySpec(w, P256));
  }

  private static boolean pairs(ECPublicKey pub, ECPrivateKey priv) throws GeneralSecurityException {
    byte[] probe = "virtual-queue key check".getBytes(StandardCharsets.US_ASCII);
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(priv);
    s.update(probe);
    byte[] sig = s.sign();
    s.initVerify(pub);
    s.update(probe);
    return s.verify(sig);
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec("secp256r1"));
      return params.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM lacks EC P-256", e);
    }
  }

  /** Just enough DER to find the optional public key inside a PKCS#8 EC private key. */
  private static final class Der {
    private final byte[] b;
    private int pos;
    private final int end;

    private Der(byte[] b, int pos, int end) {
      this.b = b;
      this.pos = pos;
      this.end = end;
    }

    /**
     * PrivateKeyInfo ::= SEQUENCE { version, algorithm, OCTET STRING (ECPrivateKey), ... };
     * ECPrivateKey ::= SEQUENCE { version, OCTET STRING d, [0] params OPTIONAL, [1] BIT STRING point OPTIONAL }.
     */
    static byte[] embeddedPublicPoint(byte[] pkcs8) {
      try {
        Der info = new Der(pkcs8, 0, pkcs8.length).enter(0x30);
        info.skip(0x02);
        info.skip(0x30);
        Der ecKey = info.enter(0x04).enter(0x30);
        ecKey.skip(0x02);
        ecKey.skip(0x04);
        while (ecKey.pos < ecKey.end) {
          int tag = ecKey.b[ecKey.pos] & 0xff;
          Der field = ecKey.enter(tag);
          if (tag == 0xA1) {
            Der bits = field.enter(0x03);
            return Arrays.copyOfRange(bits.b, bits.pos + 1, bits.end); // skip the unused-bits byte
          }
        }
        return null;
      } catch (IndexOutOfBoundsException | IllegalStateException e) {
        return null;
      }
    }

    /** Reads one element with the expected tag and returns a reader over its content. */
    Der enter(int tag) {
      if ((b[pos] & 0xff) != tag) {
        throw new IllegalStateException("unexpected DER tag");
      }
      int len = b[pos + 1] & 0xff;
      int start = pos + 2;
      if (len > 0x80) {
        int n = len - 0x80;
        len = 0;
        for (int i = 0; i < n; i++) {
          len = (len << 8) | (b[start + i] & 0xff);
        }
        start += n;
      }
      if (len < 0 || start + len > end) {
        throw new IllegalStateException("truncated DER");
      }
      pos = start + len;
      return new Der(b, start, start + len);
    }

    void skip(int tag) {
      enter(tag);
    }
  }
}
