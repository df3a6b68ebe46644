package dev.virtualqueue.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Sealed secrets open only with the same key and owner, and never show the secret. */
class SecretSealerTest {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private final SecureRandom random = new SecureRandom();
  private final SecretSealer sealer = new SecretSealer(key(), random);

  @Test
  void sealsAndOpens() {
    String sealed = sealer.seal(SECRET, "endpoint-1");
    assertThat(sealed).startsWith("v1.").doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    assertThat(sealer.open(sealed, "endpoint-1")).isEqualTo(SECRET);
  }

  @Test
  void everySealIsDifferent() {
    assertThat(sealer.seal(SECRET, "e")).isNotEqualTo(sealer.seal(SECRET, "e"));
  }

  @Test
  void anotherOwnerKeyOrATamperedValueDoesNotOpen() {
    String sealed = sealer.seal(SECRET, "endpoint-1");
    assertThatThrownBy(() -> sealer.open(sealed, "endpoint-2")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SecretSealer(key(), random).open(sealed, "endpoint-1"))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
    raw[raw.length - 1] ^= 1;
    String tampered = "v1." + Base64.getEncoder().encodeToString(raw);
    assertThatThrownBy(() -> sealer.open(tampered, "endpoint-1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sealer.open(SECRET, "endpoint-1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sealer.open("v1.AAAA", "endpoint-1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theKeyHas32Bytes() {
    assertThatThrownBy(() -> new SecretSealer(new byte[16], random)).isInstanceOf(IllegalArgumentException.class);
  }

  private byte[] key() {
    byte[] k = new byte[32];
    random.nextBytes(k);
    return k;
  }
}
