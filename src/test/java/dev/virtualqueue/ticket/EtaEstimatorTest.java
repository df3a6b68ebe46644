package dev.virtualqueue.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.queue.Queue;
import org.junit.jupiter.api.Test;

class EtaEstimatorTest {

  @Test
  void usesTheConfiguredGuessUntilEnoughSamples() {
    var eta = EtaEstimator.estimate(4, 2, new Queue.ServiceStats(30.0, 900.0, 2), 120);
    assertThat(eta.basis()).isEqualTo("configured");
    assertThat(eta.p50()).isEqualTo(240);
    assertThat(eta.p90()).isGreaterThan(eta.p50());
  }

  @Test
  void usesMeasuredServiceTimeAndScalesWithCounters() {
    var stats = new Queue.ServiceStats(60.0, 60.0 * 60.0 + 400.0, 20);
    var one = EtaEstimator.estimate(10, 1, stats, 300);
    var two = EtaEstimator.estimate(10, 2, stats, 300);
    assertThat(one.basis()).isEqualTo("measured");
    assertThat(one.p50()).isEqualTo(600);
    assertThat(two.p50()).isEqualTo(300);
    assertThat(two.p90()).isLessThan(one.p90());
  }

  @Test
  void noOpenCounterCountsAsOneAndRangeGrowsWithPosition() {
    var stats = new Queue.ServiceStats(60.0, 3700.0, 20);
    var near = EtaEstimator.estimate(1, 0, stats, 300);
    var far = EtaEstimator.estimate(50, 0, stats, 300);
    assertThat(near.p50()).isEqualTo(60);
    assertThat(far.p90() - far.p50()).isGreaterThan(near.p90() - near.p50());
  }
}
