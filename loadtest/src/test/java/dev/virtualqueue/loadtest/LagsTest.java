package dev.virtualqueue.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Percentiles and counts over the bound come out as from a sorted list, and a minute-plus delay keeps its value. */
class LagsTest {

  @Test
  void percentilesCountsAndTheMaximum() {
    Lags l = new Lags();
    assertEquals(-1, l.percentile(50));
    for (int i = 1; i <= 100; i++) {
      l.add(i * 10);
    }
    l.add(-3); // a clock read a hair apart: counts as 0
    l.add(90_000);
    assertEquals(102, l.count());
    assertEquals(500, l.percentile(50));
    assertEquals(990, l.percentile(98));
    assertEquals(90_000, l.percentile(100));
    assertEquals(90_000, l.max());
    assertEquals(2, l.over(990));
    assertEquals(1, l.over(1000));
  }
}
