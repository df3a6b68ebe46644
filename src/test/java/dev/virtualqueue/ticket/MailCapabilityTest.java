package dev.virtualqueue.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The capability of a message's live link: one ticket, one server key, nothing stored. */
class MailCapabilityTest {
  private static final UUID A = UUID.fromString("5a1c2e3d-4b5a-4c6d-8e7f-901a2b3c4d5e");
  private static final UUID B = UUID.fromString("6b2d3f4e-5c6b-4d7e-9f80-a12b3c4d5e6f");
  private final MailCapability caps = new MailCapability(key((byte) 1));

  private static byte[] key(byte fill) {
    byte[] k = new byte[32];
    Arrays.fill(k, fill);
    return k;
  }

  @Test
  void opensItsOwnTicketOnly() {
    String a = caps.issue(A);
    assertThat(a).startsWith("m1.").hasSize(3 + 43);
    assertThat(MailCapability.isCapability(a)).isTrue();
    assertThat(caps.matches(A, a)).isTrue();
    assertThat(caps.matches(B, a)).isFalse();
    assertThat(caps.matches(A, caps.issue(B))).isFalse();
    assertThat(caps.matches(A, a.substring(0, a.length() - 1) + (a.endsWith("A") ? "B" : "A"))).isFalse();
    assertThat(caps.matches(A, null)).isFalse();
    assertThat(caps.matches(A, "m1.")).isFalse();
  }

  @Test
  void cannotBeMadeWithoutTheServerKey() {
    assertThat(new MailCapability(key((byte) 2)).issue(A)).isNotEqualTo(caps.issue(A));
    assertThat(caps.matches(A, new MailCapability(key((byte) 2)).issue(A))).isFalse();
    assertThat(new MailCapability(key((byte) 1)).issue(A)).isEqualTo(caps.issue(A));
    assertThatThrownBy(() -> new MailCapability(new byte[16])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTicketTokenIsNotACapability() {
    assertThat(MailCapability.isCapability(TicketTokens.newToken())).isFalse();
    assertThat(MailCapability.isCapability(null)).isFalse();
  }
}
