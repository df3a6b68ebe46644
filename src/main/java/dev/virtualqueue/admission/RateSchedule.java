package dev.virtualqueue.admission;

/**
 * The admission rate as a schedule of slots, one every {@code 60 s / newUsersPerMinute}: the
 * stored {@code next_admit_at} is when the next slot opens. Each admission takes one slot and moves
 * it on by one interval, so the rate holds however often the admitter looks, and a new admitter
 * after a hand-over continues the same schedule.
 *
 * <p>Slots do not pile up while nobody can be admitted (an empty room, a full cap, a pause): at
 * most {@link #creditMicros} of unused slots are kept, one interval or two ticks of the admitter,
 * whichever is longer. Without that, a room that was empty for a minute would let a minute's worth
 * in at once when people arrive; with it, admission stays spread over the minute.
 *
 * <p>All times are epoch microseconds on Postgres's clock ({@code now()} of the admitting transaction).
 */
record RateSchedule(long intervalMicros, long creditMicros) {
  /** How often the admitter looks at a room it holds. */
  static final long TICK_MICROS = 100_000;

  /** The schedule of {@code perMinute} admissions a minute; null: no rate limit. */
  static RateSchedule perMinute(Integer perMinute) {
    if (perMinute == null) {
      return null;
    }
    long interval = Math.max(1, 60_000_000L / perMinute);
    return new RateSchedule(interval, Math.max(interval, 2 * TICK_MICROS));
  }

  /** The next slot, with unused slots older than the credit dropped. */
  long clip(long nextMicros, long nowMicros) {
    return Math.max(nextMicros, nowMicros - creditMicros);
  }

  /** How many slots are open at {@code now} (the next slot is at {@code next}, already clipped). */
  int open(long nextMicros, long nowMicros) {
    if (nowMicros < nextMicros) {
      return 0;
    }
    return (int) Math.min(Integer.MAX_VALUE, (nowMicros - nextMicros) / intervalMicros + 1);
  }

  /** The next slot after {@code admitted} of them were taken from {@code next}. */
  long after(long nextMicros, int admitted) {
    return nextMicros + admitted * intervalMicros;
  }
}
