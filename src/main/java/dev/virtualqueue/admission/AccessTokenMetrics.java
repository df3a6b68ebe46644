package dev.virtualqueue.admission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The access-token meters, registered at start so every series exists at 0:
 * {@code vq_access_token_verifications_total{result}} (why a verification answered as it did: the
 * caller is never told, the operator is) and {@code vq_access_token_releases_total} (sessions the
 * protected site ended). A rising {@code invalid} is someone trying forged tokens.
 */
final class AccessTokenMetrics {
  static final String ACTIVE = "active";
  static final String EXPIRED = "inactive_expired";
  static final String ENDED = "inactive_ended";
  static final String INVALID = "invalid";
  static final String FOREIGN = "foreign";
  static final List<String> RESULTS = List.of(ACTIVE, EXPIRED, ENDED, INVALID, FOREIGN);

  private final Map<String, Counter> verifications;
  private final Counter releases;

  AccessTokenMetrics(MeterRegistry registry) {
    verifications = RESULTS.stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
        r -> Counter.builder("vq.access.token.verifications")
            .description("Access-token verifications by the protected sites, by result").tag("result", r)
            .register(registry)));
    releases = Counter.builder("vq.access.token.releases")
        .description("Admitted sessions ended by the protected site (release)").register(registry);
  }

  void verified(String result) {
    verifications.get(result).increment();
  }

  void released() {
    releases.increment();
  }
}
