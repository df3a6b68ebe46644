package dev.virtualqueue.limit;

/**
 * The generic cell rate algorithm, one key per limiter and client. The Lua script reads the clock
 * of Redis ({@code TIME}), so every instance sees one clock; the in-process twin {@link #decide} is
 * the fallback while Redis cannot answer, and the reference the script follows.
 */
final class Gcra {
  /**
   * KEYS[1] the bucket; ARGV[1] the interval in ms, ARGV[2] the burst. Stores the theoretical
   * arrival time (TAT) only when the request is allowed: a refused request changes nothing.
   * Returns {allowed 0/1, remaining, retry after ms, reset ms}.
   */
  static final String SCRIPT = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local interval = tonumber(ARGV[1])
      local tolerance = interval * tonumber(ARGV[2])
      local tat = tonumber(redis.call('GET', KEYS[1]) or now)
      if tat < now then tat = now end
      local next = tat + interval
      if next - tolerance > now then
        return {0, 0, next - tolerance - now, tat - now}
      end
      redis.call('SET', KEYS[1], next, 'PX', next - now)
      return {1, math.floor((now + tolerance - next) / interval), 0, next - now}
      """;

  private Gcra() {
  }

  /** The script's rule in Java: {@code tat} is the stored TAT (0 when none); returns the decision and new TAT. */
  static Decision decide(long now, long storedTat, Limit limit, long[] newTat) {
    long interval = limit.intervalMillis();
    long tolerance = interval * limit.burst();
    long tat = Math.max(storedTat, now);
    long next = tat + interval;
    if (next - tolerance > now) {
      newTat[0] = storedTat;
      return new Decision(false, 0, next - tolerance - now, tat - now);
    }
    newTat[0] = next;
    return new Decision(true, (now + tolerance - next) / interval, 0, next - now);
  }
}
