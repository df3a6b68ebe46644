package dev.virtualqueue.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/** The rate is judged only while the line was full, and there to the tolerance. */
class RoomRateTest {

  /** A room set to {@code perMinute} that admits {@code actualPerSecond}, sampled each second, {@code waiting(t)} in line. */
  private static RoomRate run(int perMinute, double actualPerSecond, int seconds, IntUnaryOperator waiting) {
    RoomRate r = new RoomRate(perMinute, 0.02);
    for (int t = 0; t <= seconds; t++) {
      r.add(new RoomRate.Sample(1_000_000 + t * 1000L, Math.round(t * actualPerSecond), waiting.applyAsInt(t)));
    }
    return r;
  }

  @Test
  void theSetRateWithAFullLinePasses() {
    RoomRate.Verdict v = run(6000, 100, 60, t -> 5000).verdict();
    assertTrue(v.judged());
    assertTrue(v.ok(), v.text());
    assertEquals(1.0, v.ratio(), 1e-9);
  }

  @Test
  void threePercentSlowFails() {
    RoomRate.Verdict v = run(6000, 97, 60, t -> 5000).verdict();
    assertTrue(v.judged());
    assertFalse(v.ok(), v.text());
  }

  @Test
  void onlyTheStretchWhenTheLineWasFullCounts() {
    // the first 20 s and the last 20 s the line is (nearly) empty and only 10/s go in: not the room's fault
    RoomRate r = new RoomRate(6000, 0.02);
    long admitted = 0;
    for (int t = 0; t <= 80; t++) {
      boolean full = t >= 20 && t <= 60;
      r.add(new RoomRate.Sample(t * 1000L, admitted, full ? 3000 : 10));
      admitted += full ? 100 : 10;
    }
    RoomRate.Verdict v = r.verdict();
    assertTrue(v.ok(), v.text());
    assertEquals(6000, v.perMinute(), 1e-6);
  }

  @Test
  void aLineThatNeverHeldTwoSecondsOfPeopleIsNotJudgedAndFails() {
    RoomRate.Verdict v = run(6000, 50, 60, t -> 150).verdict();
    assertFalse(v.judged());
    assertFalse(v.ok());
  }
}
