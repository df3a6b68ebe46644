package dev.virtualqueue.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Links from the public base URL, and stop links only the mail's reader can use. */
class MailLinksTest {
  private static final UUID ID = UUID.randomUUID();
  private static final MailTicket T = new MailTicket(ID, "A1", null, "acme", "front desk", "Front desk");

  @Test
  void linksStartAtThePublicBaseUrl() {
    MailLinks links = new MailLinks("https://q.example.com/base///", key(1));
    assertThat(links.live(T, "abc")).isEqualTo("https://q.example.com/base/q/acme/front%20desk#t=" + ID + ".abc");
    assertThat(links.live(T, null)).isEqualTo("https://q.example.com/base/q/acme/front%20desk");
    assertThat(links.stop(ID)).startsWith("https://q.example.com/base/notifications/stop?t=" + ID + "&s=");
  }

  @Test
  void aStopLinkIsBoundToItsTicketAndTheServerKey() {
    MailLinks links = new MailLinks("https://q.example.com", key(1));
    String sig = links.stop(ID).replaceAll(".*&s=", "");
    assertThat(sig).hasSize(43);
    assertThat(links.verifyStop(ID, sig)).isTrue();
    assertThat(links.verifyStop(UUID.randomUUID(), sig)).isFalse();
    assertThat(new MailLinks("https://q.example.com", key(2)).verifyStop(ID, sig)).isFalse();
    assertThat(links.verifyStop(ID, sig.substring(1))).isFalse();
    assertThat(links.verifyStop(ID, null)).isFalse();
  }

  @Test
  void badBaseUrlsAndShortKeysAreRefused() {
    for (String bad : new String[] {"q.example.com", "ftp://q.example.com", "https://q.example.com/?x=1", "/relative"}) {
      assertThatThrownBy(() -> new MailLinks(bad, key(1))).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> new MailLinks("https://q.example.com", new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] key(int fill) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) fill);
    return k;
  }
}
