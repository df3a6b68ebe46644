package dev.virtualqueue.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The threshold rewriting behind {@link QuietCaseMutationIT}. */
class ThresholdsTest {
  @Test
  void upperThresholdsMoveDownAndLowerOnesUp() {
    assertThat(Thresholds.loosen("x > 0.2", 0.25)).isEqualTo(new Thresholds.Loosened("x > 0.75 * 0.2", 1));
    assertThat(Thresholds.loosen("x >= 10", 0.25).expr()).isEqualTo("x >= 0.75 * 10");
    assertThat(Thresholds.loosen("a / b < 0.1", 0.25).expr()).isEqualTo("a / b < 1.25 * 0.1");
    assertThat(Thresholds.loosen("x <= 1e3", 0.25).expr()).isEqualTo("x <= 1.25 * 1e3");
  }

  @Test
  void productsAndQuotientsMoveAsAWhole() {
    assertThat(Thresholds.loosen("r1h > 14.4 * 0.001 and r5m > 14.4 * 0.001", 0.25))
        .isEqualTo(new Thresholds.Loosened("r1h > 0.75 * 14.4 * 0.001 and r5m > 0.75 * 14.4 * 0.001", 2));
    assertThat(Thresholds.loosen("a < 0.5 * (a offset 1w) and (a offset 1w) > 10 / 3600", 0.25).expr())
        .isEqualTo("a < 1.25 * 0.5 * (a offset 1w) and (a offset 1w) > 0.75 * 10 / 3600");
  }

  @Test
  void equalitiesSeriesComparisonsZerosAndStringsStay() {
    assertThat(Thresholds.loosen("up{job=\"x\"} == 0", 0.25)).isEqualTo(new Thresholds.Loosened("up{job=\"x\"} == 0", 0));
    assertThat(Thresholds.loosen("a > b", 0.25).moved()).isZero();
    assertThat(Thresholds.loosen("increase(x[5m]) > 0", 0.25).moved()).isZero();
    assertThat(Thresholds.loosen("x{le=\"<1\",cmd=~\"a>2|b\"} >= 2", 0.25).expr())
        .isEqualTo("x{le=\"<1\",cmd=~\"a>2|b\"} >= 0.75 * 2");
    assertThat(Thresholds.loosen("x > 5m", 0.25).moved()).isZero();
  }
}
