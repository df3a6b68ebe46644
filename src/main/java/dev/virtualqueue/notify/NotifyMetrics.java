package dev.virtualqueue.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The notification meters, registered at start for every label value so rates see the first
 * increment: {@code vq_notifications_sent_total{channel="email",kind}}, {@code
 * vq_notifications_failed_total{channel="email",reason}} (one per failed attempt, plus
 * {@code gave_up} when a message's retries ran out) and {@code vq_notification_send_seconds{channel}}
 * (one SMTP transaction, accepted or not).
 */
public final class NotifyMetrics {
  static final String CHANNEL = "email";
  /** Every {@code kind}: the ticket messages and the owners' notice of a disabled webhook. */
  static final List<String> KINDS = List.of("joined", "almost_turn", "called", "no_show", "admitted",
      "webhook_disabled");
  /** Every {@code reason} of a failure (docs/notifications.md). */
  static final List<String> REASONS = List.of("smtp_refused", "smtp_unreachable", "timeout", "invalid_address",
      "gave_up");

  private final Map<String, Counter> sent = new HashMap<>();
  private final Map<String, Counter> failed = new HashMap<>();
  private final Timer sendTime;

  public NotifyMetrics(MeterRegistry registry) {
    KINDS.forEach(k -> sent.put(k, Counter.builder("vq.notifications.sent")
        .description("Messages the mail server accepted, by channel and kind")
        .tags("channel", CHANNEL, "kind", k).register(registry)));
    REASONS.forEach(r -> failed.put(r, Counter.builder("vq.notifications.failed")
        .description("Failed send attempts by reason; gave_up when a message's retries ran out")
        .tags("channel", CHANNEL, "reason", r).register(registry)));
    sendTime = Timer.builder("vq.notification.send").description("Time of one send to the mail server")
        .tags("channel", CHANNEL).serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30)).register(registry);
  }

  void sent(String kind) {
    sent.get(kind).increment();
  }

  void failed(String reason) {
    failed.get(reason).increment();
  }

  void sendTime(long startNanos) {
    sendTime.record(Duration.ofNanos(System.nanoTime() - startNanos));
  }
}
