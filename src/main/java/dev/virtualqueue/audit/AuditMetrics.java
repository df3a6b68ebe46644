package dev.virtualqueue.audit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code vq_audit_writes_total} (entries appended) and {@code vq_audit_write_failures_total}
 * (appends that failed, each of which failed its action). Counted from the start; registered on
 * the process's registry by {@link #bind}.
 */
public final class AuditMetrics {
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  public void bind(MeterRegistry registry) {
    FunctionCounter.builder("vq.audit.writes", writes, AtomicLong::get)
        .description("Audit log entries appended").register(registry);
    FunctionCounter.builder("vq.audit.write.failures", failures, AtomicLong::get)
        .description("Audit log appends that failed (the action they audited failed with them)").register(registry);
  }

  void written() {
    writes.incrementAndGet();
  }

  void failed() {
    failures.incrementAndGet();
  }

  public long writes() {
    return writes.get();
  }

  public long failures() {
    return failures.get();
  }
}
