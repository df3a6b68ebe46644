package dev.virtualqueue.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The client-address rule and the GCRA's arithmetic (the Lua script follows the same rule). */
class LimitTest {
  private final ClientAddress proxies = ClientAddress.of(List.of("10.0.0.0/8", "::1"));

  @Test
  void forwardedForCountsOnlyFromATrustedPeer() {
    assertThat(proxies.resolve("203.0.113.5", "198.51.100.1")).isEqualTo("203.0.113.5");
    assertThat(proxies.resolve("10.1.2.3", "198.51.100.1")).isEqualTo("198.51.100.1");
    assertThat(proxies.resolve("10.1.2.3", "6.6.6.6, 198.51.100.1, 10.0.0.9")).isEqualTo("198.51.100.1");
    assertThat(proxies.resolve("0:0:0:0:0:0:0:1", "2001:db8::7")).isEqualTo("2001:db8::7");
    assertThat(proxies.resolve("10.1.2.3", "evil.example, 198.51.100.1")).isEqualTo("198.51.100.1");
    assertThat(proxies.resolve("10.1.2.3", "not-an-address")).isEqualTo("10.1.2.3");
    assertThat(proxies.resolve("10.1.2.3", null)).isEqualTo("10.1.2.3");
    assertThatThrownBy(() -> ClientAddress.of(List.of("10.0.0.0/33"))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theBurstPassesThenOneRequestPerInterval() {
    Limit limit = new Limit("join", 3, 60);
    long[] tat = {0};
    long now = 1_000_000;
    for (int i = 0; i < 3; i++) {
      Decision d = Gcra.decide(now, tat[0], limit, tat);
      assertThat(d.allowed()).isTrue();
      assertThat(d.remaining()).isEqualTo(2 - i);
    }
    Decision refused = Gcra.decide(now, tat[0], limit, tat);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfterMillis()).isEqualTo(1_000);
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    assertThat(refused.header("join")).isEqualTo("\"join\";r=0;t=1");
    assertThat(limit.policyHeader()).isEqualTo("\"join\";q=60;w=60");
    assertThat(Gcra.decide(now + 1_000, tat[0], limit, tat).allowed()).isTrue();
  }
}
