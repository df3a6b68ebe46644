package dev.virtualqueue.common;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets the server must read back (webhook signing secrets, the private access-token keys)
 * for storage: AES-256-GCM under a server key kept outside the database (a key file; one derived
 * key per use), with the owning row's id as associated data, so a sealed secret copied to another
 * row does not open. Stored form: {@code v1.<base64(nonce | ciphertext)>}.
 */
public final class SecretSealer {
  private static final String VERSION = "v1.";
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random;

  public SecretSealer(byte[] key, SecureRandom random) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("the sealing key has 32 bytes, not " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
    this.random = random;
  }

  /** Seals {@code secret} for the row {@code owner} (e.g. the endpoint id). */
  public String seal(String secret, String owner) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed = run(Cipher.ENCRYPT_MODE, nonce, owner, secret.getBytes(StandardCharsets.UTF_8));
    ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
    return VERSION + Base64.getEncoder().encodeToString(out.array());
  }

  /** Opens what {@link #seal} made for the same {@code owner}; a tampered or foreign value throws. */
  public String open(String stored, String owner) {
    if (stored == null || !stored.startsWith(VERSION)) {
      throw new IllegalArgumentException("not a sealed secret");
    }
    byte[] all = Base64.getDecoder().decode(stored.substring(VERSION.length()));
    if (all.length <= NONCE_BYTES) {
      throw new IllegalArgumentException("not a sealed secret");
    }
    byte[] nonce = new byte[NONCE_BYTES];
    byte[] body = new byte[all.length - NONCE_BYTES];
    ByteBuffer.wrap(all).get(nonce).get(body);
    return new String(run(Cipher.DECRYPT_MODE, nonce, owner, body), StandardCharsets.UTF_8);
  }

  private byte[] run(int mode, byte[] nonce, String owner, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("sealed secret does not open with this key and owner", e);
    }
  }
}
