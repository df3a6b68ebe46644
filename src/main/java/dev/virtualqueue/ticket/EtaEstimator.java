package dev.virtualqueue.ticket;

import dev.virtualqueue.queue.Queue;
import dev.virtualqueue.queue.WaitingRoom;
import java.time.Duration;
import java.time.Instant;

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
  /** The basis of a waiting room's estimate: its admission rate and cap. */
  public static final String ADMISSION_RATE = "admission_rate";

  private EtaEstimator() {
  }

  /** p50/p90 seconds; {@code basis} says whether it came from measurement or the guess. */
  public record Eta(long p50, long p90, String basis) {
  }

  /**
   * The wait in a waiting room at {@code position} (1 = next) with {@code presentAhead} of the
   * people ahead still present. The room lets people in at its rate, or as fast as its cap turns
   * over (each session lasting its full length, the slowest case), whichever is slower; absent
   * people are passed over. So p50 counts only the present ones ahead, p90 everyone ahead (as if
   * they all came back). Before the opening, the time until it is added; with the emergency switch
   * on there is no estimate. A room without a rate or a cap lets everyone in at once.
   */
  public static Eta waitingRoom(long position, long presentAhead, WaitingRoom room, Instant now) {
    if (Boolean.TRUE.equals(room.queueAll())) {
      return null;
    }
    double perSecond = Double.POSITIVE_INFINITY;
    if (room.newUsersPerMinute() != null && !room.passthrough()) {
      perSecond = room.newUsersPerMinute() / 60.0;
    }
    if (room.maxActiveUsers() != null) {
      perSecond = Math.min(perSecond, room.maxActiveUsers() / (double) room.sessionSeconds());
    }
    long opening = room.opensAt() != null && now.isBefore(room.opensAt())
        ? Duration.between(now, room.opensAt()).toSeconds() : 0;
    if (Double.isInfinite(perSecond)) {
      return new Eta(opening, opening, ADMISSION_RATE);
    }
    long p50 = opening + Math.round(Math.min(presentAhead, position - 1) / perSecond);
    long p90 = opening + Math.round((position - 1) / perSecond + 1 / perSecond);
    return new Eta(p50, Math.max(p50, p90), ADMISSION_RATE);
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
