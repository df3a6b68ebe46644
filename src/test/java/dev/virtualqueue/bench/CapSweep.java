package dev.virtualqueue.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The waiting room's cap, checked after the fact (scripts/check-admission-cap.sh): every admitted
 * session holds its slot over {@code [admitted_at, coalesce(ended_at, expires_at))}, and an exact
 * sweep over all those intervals finds how many were active at the busiest instant. Exact, not
 * sampled: the count changes only at an interval's ends, and the sweep visits every end, a
 * session's end before another's start at the same microsecond (the intervals are half-open).
 *
 * <p>As a program it reads {@code admitted_us,end_us} lines (epoch microseconds) on standard input,
 * prints the peak, when it was first reached, its ratio to the cap and how long the room was above
 * the cap, and exits 1 when the peak is over the cap. Usage: {@code CapSweep CAP}.
 */
public final class CapSweep {

  /** One session's slot: from admission (inclusive) to its end (exclusive), epoch microseconds. */
  public record Interval(long fromMicros, long toMicros) {
  }

  /**
   * The sweep's answer: the most sessions active at once, from when, and over all intervals how
   * long (µs) more than {@code cap} were active, and in how many separate stretches.
   */
  public record Result(int sessions, int peak, long peakAtMicros, long overCapMicros, int overCapStretches) {
  }

  private CapSweep() {
  }

  /** Sweeps {@code intervals} (empty ones, ending at or before they start, hold no slot). */
  public static Result sweep(List<Interval> intervals, int cap) {
    long[] ends = new long[intervals.size() * 2];
    int n = 0;
    for (Interval i : intervals) {
      if (i.toMicros() > i.fromMicros()) {
        // time in the high bits, +1 for a start and 0 for an end in the lowest: ends sort first
        ends[n++] = i.fromMicros() * 2 + 1;
        ends[n++] = i.toMicros() * 2;
      }
    }
    long[] sorted = Arrays.copyOf(ends, n);
    Arrays.sort(sorted);
    int active = 0;
    int peak = 0;
    long peakAt = 0;
    long overSince = -1;
    long over = 0;
    int stretches = 0;
    for (long e : sorted) {
      long at = e >> 1;
      active += (e & 1) == 1 ? 1 : -1;
      if (active > peak) {
        peak = active;
        peakAt = at;
      }
      if (active > cap && overSince < 0) {
        overSince = at;
        stretches++;
      } else if (active <= cap && overSince >= 0) {
        over += at - overSince;
        overSince = -1;
      }
    }
    return new Result(intervals.size(), peak, peakAt, over, stretches);
  }

  public static void main(String[] args) throws IOException {
    int cap = Integer.parseInt(args[0]);
    List<Interval> intervals = new ArrayList<>();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] f = line.trim().split(",");
      if (f.length == 2) {
        intervals.add(new Interval(Long.parseLong(f[0]), Long.parseLong(f[1])));
      }
    }
    Result r = sweep(intervals, cap);
    Instant at = Instant.EPOCH.plus(r.peakAtMicros(), ChronoUnit.MICROS);
    System.out.printf("SWEEP    sessions=%d cap=%d peak=%d (ratio %.2f) first reached at %s; above the cap for %d µs"
        + " in %d stretch(es)%n", r.sessions(), cap, r.peak(), r.peak() / (double) cap, at, r.overCapMicros(),
        r.overCapStretches());
    System.exit(r.peak() > cap ? 1 : 0);
  }
}
