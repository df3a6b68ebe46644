package dev.virtualqueue.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The webhook meters, registered at start so every series exists at 0 before its first event:
 * {@code vq_webhook_deliveries_total{result}} (one per attempt: succeeded, failed and to be retried,
 * dead), {@code vq_webhook_delivery_seconds} (attempt duration), {@code vq_webhook_dead_letters} (dead
 * deliveries of enabled endpoints, counted periodically) and
 * {@code vq_webhook_endpoints_disabled_total{reason}} (gone: a 410; failing: 5 days without success).
 */
public final class WebhookMetrics {
  public static final List<String> RESULTS = List.of("succeeded", "failed", "dead");
  public static final List<String> DISABLE_REASONS = List.of(RetryPlan.GONE, RetryPlan.FAILING);

  private final Map<String, Counter> deliveries;
  private final Map<String, Counter> disabled;
  private final Timer seconds;
  private final AtomicLong deadLetters = new AtomicLong();

  public WebhookMetrics(MeterRegistry registry) {
    deliveries = RESULTS.stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
        r -> Counter.builder("vq.webhook.deliveries").description("Webhook delivery attempts, by result")
            .tag("result", r).register(registry)));
    disabled = DISABLE_REASONS.stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
        r -> Counter.builder("vq.webhook.endpoints.disabled").description("Webhook endpoints disabled by the server")
            .tag("reason", r).register(registry)));
    seconds = Timer.builder("vq.webhook.delivery").description("Duration of one webhook delivery attempt")
        .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(15), Duration.ofSeconds(30))
        .register(registry);
    Gauge.builder("vq.webhook.dead.letters", deadLetters, AtomicLong::get)
        .description("Dead webhook deliveries of enabled endpoints (listable and retryable)").register(registry);
  }

  void attempt(String result, long latencyMs) {
    deliveries.get(result).increment();
    seconds.record(Duration.ofMillis(latencyMs));
  }

  void disabled(String reason) {
    Counter c = disabled.get(reason);
    if (c != null) {
      c.increment();
    }
  }

  void deadLetters(long n) {
    deadLetters.set(n);
  }
}
