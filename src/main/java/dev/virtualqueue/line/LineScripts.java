package dev.virtualqueue.line;

/**
 * Lua run atomically inside Redis. Scripts that read or allocate refuse with NOTREADY while the
 * mirror is incomplete (after a flush or restart), so nothing is guessed from partial state.
 */
final class LineScripts {
  static final String NOT_READY = "NOTREADY";

  /** KEYS: ready, counter, line_0..line_n-1. ARGV: capacity (0 = none). Returns number or -1 if full. */
  static final String ALLOCATE = """
      if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('NOTREADY') end
      local cap = tonumber(ARGV[1])
      if cap > 0 then
        local waiting = 0
        for i = 3, #KEYS do waiting = waiting + redis.call('ZCARD', KEYS[i]) end
        if waiting >= cap then return -1 end
      end
      return redis.call('INCR', KEYS[2])
      """;

  /**
   * KEYS: ready, cursor, gone, line_0..line_n-1. ARGV: own class index (0-based), member, score to
   * add or "" (never re-adding a member recently removed). Returns {rank in own class, interleave
   * cursor or "", waiting in class 0..n-1}, or nil if the member is not waiting.
   */
  static final String POSITION = """
      if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('NOTREADY') end
      local own = KEYS[tonumber(ARGV[1]) + 4]
      if ARGV[3] ~= '' and not redis.call('ZSCORE', KEYS[3], ARGV[2]) then
        redis.call('ZADD', own, ARGV[3], ARGV[2])
      end
      local rank = redis.call('ZRANK', own, ARGV[2])
      if not rank then return nil end
      local res = {rank, redis.call('GET', KEYS[2]) or ''}
      for i = 4, #KEYS do res[#res + 1] = redis.call('ZCARD', KEYS[i]) end
      return res
      """;

  /**
   * KEYS: line, gone. ARGV: member, now (ms), keep (ms). Takes a member out of its line and notes
   * it as gone; forgets gone entries older than keep.
   */
  static final String REMOVE = """
      redis.call('ZREM', KEYS[1], ARGV[1])
      redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
      redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', tonumber(ARGV[2]) - tonumber(ARGV[3]))
      return 1
      """;

  /**
   * KEYS: line, gone. ARGV: score_1, member_1, score_2, member_2, ... Adds the members that are
   * missing, except those removed since the caller read them. Returns how many were added.
   */
  static final String ADD_MISSING = """
      local added = 0
      for i = 1, #ARGV, 2 do
        if not redis.call('ZSCORE', KEYS[2], ARGV[i + 1]) then
          added = added + redis.call('ZADD', KEYS[1], 'NX', ARGV[i], ARGV[i + 1])
        end
      end
      return added
      """;

  /** KEYS: ready, line_0..line_n-1. Returns waiting per class. */
  static final String COUNTS = """
      if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('NOTREADY') end
      local res = {}
      for i = 2, #KEYS do res[#res + 1] = redis.call('ZCARD', KEYS[i]) end
      return res
      """;

  /**
   * KEYS: ready, cursor, line_0..line_n-1. Returns {cursor or "", {members of class 0 in order},
   * {members of class 1}, ...}: the whole line of a queue in one atomic read.
   */
  static final String FULL = """
      if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('NOTREADY') end
      local res = {redis.call('GET', KEYS[2]) or ''}
      for i = 3, #KEYS do res[#res + 1] = redis.call('ZRANGE', KEYS[i], 0, -1) end
      return res
      """;

  /** KEYS: counter. ARGV: value. Raises the counter to at least value. */
  static final String RAISE = """
      local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
      if cur < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
      return 1
      """;

  /** KEYS: lock. ARGV: token. Deletes the lock only if we still own it. */
  static final String RELEASE = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0
      """;

  private LineScripts() {
  }
}
