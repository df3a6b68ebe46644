package dev.virtualqueue.loadtest;

import java.util.ArrayList;
import java.util.List;

/**
 * The admission rate as the staff route shows it ({@code GET /api/v1/queues/{id}/waiting-room}):
 * samples of the admissions in all and the people waiting, each at the time its answer came, and
 * the rate measured over the longest stretch in which the line never ran dry. Outside that stretch
 * the room admits whoever is there, so fewer than the rate is no fault; inside it, the admitted
 * count must be the rate × the time, within the tolerance.
 */
public final class RoomRate {
  /** One answer of the staff route: when it came (epoch ms), admissions in all, people waiting. */
  public record Sample(long atMillis, long admitted, long waiting) {
  }

  /**
   * The judgement: whether a stretch long enough was found, the rate over it, its ratio to the
   * setting, and whether that is within the tolerance.
   */
  public record Verdict(boolean judged, boolean ok, double perMinute, double ratio, String text) {
  }

  /** A stretch shorter than this is too short to judge a rate by (one admitter tick is 100 ms). */
  static final long MIN_WINDOW_MILLIS = 10_000;
  private final int perMinute;
  private final double tolerance;
  private final List<Sample> samples = new ArrayList<>();

  /** The room's setting ({@code newUsersPerMinute}) and the tolerance (0.02: ±2 %). */
  public RoomRate(int perMinute, double tolerance) {
    this.perMinute = perMinute;
    this.tolerance = tolerance;
  }

  public double tolerance() {
    return tolerance;
  }

  public synchronized void add(Sample s) {
    samples.add(s);
  }

  /**
   * The rate over the longest run of samples that each found at least two seconds' worth of people
   * waiting: with samples a second apart, the line cannot have emptied between two of them.
   */
  public synchronized Verdict verdict() {
    long full = Math.max(1, (long) Math.ceil(perMinute / 30.0));
    int bestFrom = -1;
    int bestTo = -1;
    int from = -1;
    for (int i = 0; i < samples.size(); i++) {
      if (samples.get(i).waiting() >= full) {
        from = from < 0 ? i : from;
        if (bestFrom < 0 || span(from, i) > span(bestFrom, bestTo)) {
          bestFrom = from;
          bestTo = i;
        }
      } else {
        from = -1;
      }
    }
    long last = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).admitted();
    if (bestFrom < 0 || span(bestFrom, bestTo) < MIN_WINDOW_MILLIS) {
      return new Verdict(false, false, 0, 0, String.format("not judged: the line held %d or more people for less"
          + " than %d s (%d samples, %d admitted in all)", full, MIN_WINDOW_MILLIS / 1000, samples.size(), last));
    }
    Sample a = samples.get(bestFrom);
    Sample b = samples.get(bestTo);
    long admitted = b.admitted() - a.admitted();
    double seconds = (b.atMillis() - a.atMillis()) / 1000.0;
    double measured = admitted * 60.0 / seconds;
    double ratio = measured / perMinute;
    boolean ok = Math.abs(ratio - 1) <= tolerance;
    return new Verdict(true, ok, measured, ratio, String.format("%d admitted in %.1f s while the line held %d+"
            + " (expected %.0f) = %.1f/min against %d/min: ratio %.4f, %s ±%.0f %%; %d admitted in all",
        admitted, seconds, full, perMinute * seconds / 60, measured, perMinute, ratio, ok ? "within" : "OUTSIDE",
        tolerance * 100, last));
  }

  private long span(int from, int to) {
    return samples.get(to).atMillis() - samples.get(from).atMillis();
  }
}
