package dev.virtualqueue.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The schedule keeps the rate however often the admitter looks, and keeps no more than a little credit. */
class RateScheduleTest {
  private static final long SECOND = 1_000_000;

  @Test
  void noRateMeansNoSchedule() {
    assertThat(RateSchedule.perMinute(null)).isNull();
  }

  @Test
  void sixtyAMinuteIsOneASecond() {
    RateSchedule s = RateSchedule.perMinute(60);
    assertThat(s.intervalMicros()).isEqualTo(SECOND);
    assertThat(s.open(10 * SECOND, 10 * SECOND)).isEqualTo(1);
    assertThat(s.open(10 * SECOND, 10 * SECOND - 1)).isZero();
    assertThat(s.open(10 * SECOND, 11 * SECOND - 1)).isEqualTo(1);
    assertThat(s.after(10 * SECOND, 1)).isEqualTo(11 * SECOND);
  }

  @Test
  void tenMinutesOfTicksAdmitExactlyTheRate() {
    for (int perMinute : new int[] {1, 7, 60, 100, 600, 6_000, 60_000}) {
      RateSchedule s = RateSchedule.perMinute(perMinute);
      long next = 0;
      long admitted = 0;
      // ticks 100 ms apart with some jitter, someone always waiting
      for (long now = 0; now < 600 * SECOND; now += RateSchedule.TICK_MICROS + (now % 7) * 1_000) {
        next = s.clip(next, now);
        int n = s.open(next, now);
        admitted += n;
        next = s.after(next, n);
      }
      double expected = perMinute * 10.0;
      assertThat((double) admitted).as("%d a minute", perMinute).isBetween(expected * 0.99 - 1, expected * 1.01 + 1);
    }
  }

  @Test
  void anIdleRoomKeepsAtMostTheCredit() {
    RateSchedule s = RateSchedule.perMinute(6_000); // 100 a second
    long next = s.clip(0, 60 * SECOND); // a minute with nobody waiting
    int burst = s.open(next, 60 * SECOND);
    assertThat(burst).as("two ticks' worth, not a minute's").isLessThanOrEqualTo(21);
    RateSchedule slow = RateSchedule.perMinute(60);
    assertThat(slow.open(slow.clip(0, 60 * SECOND), 60 * SECOND)).isLessThanOrEqualTo(2);
  }
}
