package dev.virtualqueue.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Whether an answer went out over TLS: the server's own TLS, or the first X-Forwarded-Proto of a trusted proxy. */
class SecureTransportTest {
  private static final Predicate<String> PROXY = "10.0.0.10"::equals;

  @Test
  void ownTlsAlwaysCounts() {
    assertThat(SecureTransport.overTls(true, "203.0.113.9", null, PROXY)).isTrue();
    assertThat(SecureTransport.overTls(true, "203.0.113.9", "http", PROXY)).isTrue();
  }

  @Test
  void aTrustedProxysFirstProtocolDecides() {
    assertThat(SecureTransport.overTls(false, "10.0.0.10", "https", PROXY)).isTrue();
    assertThat(SecureTransport.overTls(false, "10.0.0.10", " HTTPS , http", PROXY)).isTrue();
    assertThat(SecureTransport.overTls(false, "10.0.0.10", "http, https", PROXY)).isFalse();
    assertThat(SecureTransport.overTls(false, "10.0.0.10", null, PROXY)).isFalse();
  }

  @Test
  void anyoneElsesHeaderIsIgnored() {
    assertThat(SecureTransport.overTls(false, "203.0.113.9", "https", PROXY)).isFalse();
    assertThat(SecureTransport.overTls(false, null, "https", PROXY)).isFalse();
  }
}
