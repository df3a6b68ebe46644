package dev.virtualqueue.admission;

import dev.virtualqueue.metrics.BusinessMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admitter's own meters: leases held by this instance, and lease changes per room (counted
 * through the business meters, which know the rooms' labels). Admissions are counted off the
 * event path ({@code ticket.admitted}), like every other transition.
 */
final class AdmissionMetrics {
  private final BusinessMetrics business;
  private final AtomicInteger held = new AtomicInteger();

  AdmissionMetrics(MeterRegistry registry, BusinessMetrics business) {
    this.business = business;
    Gauge.builder("vq.waiting.room.leases.held", held, AtomicInteger::get)
        .description("Waiting rooms whose admitter lease this instance holds").register(registry);
  }

  void leaseTaken(UUID queueId) {
    business.leaseTaken(queueId);
  }

  void leasesHeld(int n) {
    held.set(n);
  }
}
