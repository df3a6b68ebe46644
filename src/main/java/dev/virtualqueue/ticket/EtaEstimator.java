package dev.virtualqueue.ticket;

import dev.virtualqueue.queue.Queue;

/**
 * Estimates how long until a waiting ticket is called. A position p served by c open counters
 * needs about p/c service intervals; with per-ticket mean m and variance v the wait is roughly
 * normal with mean p*m/c and deviation sqrt(p*v)/c. Before enough tickets are measured the
 * queue's configured guess stands in, with exponential-like spread (deviation = mean).
 */
public final class EtaEstimator {
  /** Samples needed before the measured rate replaces the configured guess. */
  public static final int MIN_SAMPLES = 5;
  private static final double Z90 = 1.2816;

  private EtaEstimator() {
  }

  /** p50/p90 seconds; {@code basis} says whether it came from measurement or the guess. */
  public record Eta(long p50, long p90, String basis) {
  }

  public static Eta estimate(long position, int openCounters, Queue.ServiceStats stats, int guessSeconds) {
    boolean measured = stats != null && stats.samples() >= MIN_SAMPLES && stats.meanSeconds() != null;
    double mean = measured ? stats.meanSeconds() : guessSeconds;
    double variance = measured
        ? Math.max(stats.meanSquareSeconds() - mean * mean, Math.pow(0.25 * mean, 2))
        : mean * mean;
    int counters = Math.max(1, openCounters);
    double p50 = position * mean / counters;
    double p90 = p50 + Z90 * Math.sqrt(position * variance) / counters;
    return new Eta(Math.round(p50), Math.max(Math.round(p50), Math.round(p90)),
        measured ? "measured" : "configured");
  }
}
