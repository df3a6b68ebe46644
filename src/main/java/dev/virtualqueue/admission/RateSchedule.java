package dev.virtualqueue.admission;

/**
 * The admission rate as a schedule of slots, one every {@code 60 s / newUsersPerMinute}: the
 * stored {@code next_admit_at} is when the next slot opens. Each admission takes one slot and moves
 * it on by one interval, so the rate holds however often the admitter looks, and a new admitter
 * after a hand-over continues the same schedule.
 *
 * <p>Slots nobody could take are dropped: a run that admitted fewer than the slots open (nobody
 * else waiting, the cap full) stores its own time as the next slot, so a room that was empty for a
 * minute does not let a minute's worth in at once when people arrive. Slots that opened while the
 * admitter itself was late (a machine too busy to look every tick) are taken at its next run,
 * up to {@link #catchUpMicros} of them (one second, or one interval when that is longer): without
 * that, a busy server admitted an eighth less than the rate (load test, docs/performance.md). With
 * the bound, a stalled or newly taken-over admitter lets at most a second's worth in at once, and
 * a minute that follows a stall counts at most a second's worth too many.
 *
 * <p>All times are epoch microseconds on Postgres's clock ({@code now()} of the admitting transaction).
 */
record RateSchedule(long intervalMicros, long catchUpMicros) {
  /** How often the admitter looks at a room it holds. */
  static final long TICK_MICROS = 100_000;
  /** The most late slots a run catches up on. */
  static final long CATCH_UP_MICROS = 1_000_000;

  /** The schedule of {@code perMinute} admissions a minute; null: no rate limit. */
  static RateSchedule perMinute(Integer perMinute) {
    if (perMinute == null) {
      return null;
    }
    long interval = Math.max(1, 60_000_000L / perMinute);
    return new RateSchedule(interval, Math.max(interval, CATCH_UP_MICROS));
  }

  /** The next slot, with late slots older than the catch-up dropped. */
  long clip(long nextMicros, long nowMicros) {
    return Math.max(nextMicros, nowMicros - catchUpMicros);
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

  /**
   * The next slot to store after a run at {@code now} that was offered {@code offered} slots (the
   * open ones, at most a batch) and admitted {@code admitted}: fewer means nobody could take the
   * rest, and they are dropped.
   */
  long saved(long nextMicros, int admitted, long offered, long nowMicros) {
    long after = after(nextMicros, admitted);
    return admitted < offered ? Math.max(after, nowMicros) : after;
  }
}
