package dev.virtualqueue.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.bench.CapSweep.Interval;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cap checker's sweep counts exactly: a hand-over at the same microsecond is no overlap, one µs is. */
class CapSweepTest {

  @Test
  void aSlotHandedOnAtTheSameMicrosecondIsNoOverlap() {
    List<Interval> chain = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      chain.add(new Interval(i * 10L, (i + 1) * 10L));
    }
    CapSweep.Result r = CapSweep.sweep(chain, 1);
    assertThat(r.peak()).isEqualTo(1);
    assertThat(r.overCapStretches()).isZero();
  }

  @Test
  void oneMicrosecondOfOverlapIsCaughtWithWhenAndHowLong() {
    List<Interval> slots = new ArrayList<>(List.of(new Interval(0, 100), new Interval(100, 200),
        new Interval(199, 300)));
    CapSweep.Result r = CapSweep.sweep(slots, 1);
    assertThat(r.peak()).isEqualTo(2);
    assertThat(r.peakAtMicros()).isEqualTo(199);
    assertThat(r.overCapMicros()).isEqualTo(1);
    assertThat(r.overCapStretches()).isEqualTo(1);
  }

  @Test
  void thePeakIsTheMostActiveAtOnceNotTheMostOverlappingAnyOne() {
    // a long session overlapping many short ones that follow each other: never more than 2 at once
    List<Interval> slots = new ArrayList<>(List.of(new Interval(0, 1_000)));
    for (int i = 0; i < 10; i++) {
      slots.add(new Interval(i * 100L, i * 100L + 100));
    }
    slots.add(new Interval(500, 550)); // the one moment with 3
    CapSweep.Result r = CapSweep.sweep(slots, 2);
    assertThat(r.peak()).isEqualTo(3);
    assertThat(r.peakAtMicros()).isEqualTo(500);
    assertThat(r.overCapMicros()).isEqualTo(50);
    assertThat(r.sessions()).isEqualTo(12);
  }

  @Test
  void anEmptyIntervalHoldsNoSlot() {
    CapSweep.Result r = CapSweep.sweep(List.of(new Interval(10, 10), new Interval(20, 5), new Interval(10, 11)), 0);
    assertThat(r.peak()).isEqualTo(1);
  }
}
