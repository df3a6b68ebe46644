package dev.virtualqueue.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The schedule keeps the rate however often the admitter looks, drops the slots nobody could take,
 * and catches up at most a second of slots the admitter was late for.
 */
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
      // ticks 100 ms apart with some jitter, someone always waiting
      long admitted = run(RateSchedule.perMinute(perMinute), now -> RateSchedule.TICK_MICROS + (now % 7) * 1_000);
      double expected = perMinute * 10.0;
      assertThat((double) admitted).as("%d a minute", perMinute).isBetween(expected * 0.99 - 1, expected * 1.01 + 1);
    }
  }

  @Test
  void anAdmitterTooBusyToLookEveryTickStillAdmitsTheRate() {
    // a loaded machine (the spike load test): runs 150-750 ms apart, and now and then 0.95 s
    for (int perMinute : new int[] {600, 6_000}) {
      long admitted = run(RateSchedule.perMinute(perMinute),
          now -> now % (10 * SECOND) < 150_000 ? 950_000 : 150_000 + (now * 7919) % 600_000);
      double expected = perMinute * 10.0;
      assertThat((double) admitted).as("%d a minute", perMinute).isBetween(expected * 0.99, expected * 1.01 + 1);
    }
  }

  /** Ten minutes of runs, {@code gap(now)} apart, each with more people waiting than slots open. */
  private static long run(RateSchedule s, LongUnaryOperator gap) {
    long next = 0;
    long admitted = 0;
    for (long now = 0; now < 600 * SECOND; now += gap.applyAsLong(now)) {
      next = s.clip(next, now);
      int n = (int) Math.min(RoomRun.MAX_BATCH, s.open(next, now));
      admitted += n;
      next = s.saved(next, n, n, now);
    }
    return admitted;
  }

  @Test
  void slotsNobodyCouldTakeAreDropped() {
    RateSchedule s = RateSchedule.perMinute(6_000); // 100 a second
    long next = 0;
    // a minute of runs with nobody waiting: each is offered its open slots and admits none
    for (long now = 0; now < 60 * SECOND; now += RateSchedule.TICK_MICROS) {
      next = s.clip(next, now);
      next = s.saved(next, 0, s.open(next, now), now);
    }
    // the crowd arrives: the next tick lets in one tick's worth, not a minute's
    assertThat(s.open(s.clip(next, 60 * SECOND), 60 * SECOND)).isEqualTo(11);
    // a run limited by the cap (3 of the 11 open) keeps none of the other 8 either
    assertThat(s.saved(60 * SECOND - 100_000, 3, 11, 60 * SECOND)).isEqualTo(60 * SECOND);
  }

  @Test
  void aStalledAdmitterCatchesUpAtMostASecond() {
    RateSchedule s = RateSchedule.perMinute(6_000);
    // the last run took every slot; then nobody looked for a minute (a hand-over, a long pause)
    long next = s.saved(0, 10, 10, 0);
    assertThat(s.open(s.clip(next, 60 * SECOND), 60 * SECOND)).isEqualTo(101);
    RateSchedule slow = RateSchedule.perMinute(60);
    assertThat(slow.open(slow.clip(0, 60 * SECOND), 60 * SECOND)).isEqualTo(2);
  }
}
