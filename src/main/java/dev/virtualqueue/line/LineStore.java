package dev.virtualqueue.line;

import dev.virtualqueue.common.ApiException;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis mirror of every waiting line: per queue and priority class a sorted set of ticket ids
 * scored by ticket number, plus each queue's number counter. Postgres stays the authority; this
 * exists so positions are answered without scanning the tickets table.
 */
public final class LineStore {
  private static final Logger LOG = LoggerFactory.getLogger(LineStore.class);
  /** How long a removed ticket stays noted as gone: far longer than one repair pass takes. */
  private static final long GONE_KEEP_MILLIS = 10 * 60_000;
  private final Redis redis;
  private final LineKeys keys;

  public LineStore(Redis redis, LineKeys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  LineKeys keys() {
    return keys;
  }

  /** Thrown while the mirror is being rebuilt; callers wait for readiness and retry. */
  public static final class NotReady extends RuntimeException {
    public NotReady() {
      super("waiting-line mirror is being rebuilt", null, false, false);
    }
  }

  /** Next ticket number of a queue, or -1 when {@code capacity} people already wait. */
  public Future<Long> allocate(UUID queueId, int classes, int capacity) {
    List<Object> a = new ArrayList<>(List.of(keys.ready(), keys.counter(queueId)));
    a.addAll(List.of(keys.lines(queueId, classes)));
    a.add(capacity);
    return script(LineScripts.ALLOCATE, 2 + classes, a).map(Response::toLong);
  }

  /**
   * Adds (when {@code addScore} is non-null) and then ranks a waiting ticket. Returns null when
   * the ticket is not in the line.
   */
  public Future<LineCounts> position(UUID queueId, int classes, int classIndex, UUID ticketId, Long addScore) {
    List<Object> a = new ArrayList<>(List.of(keys.ready(), keys.cursor(queueId), keys.gone(queueId)));
    a.addAll(List.of(keys.lines(queueId, classes)));
    a.addAll(List.of(classIndex, ticketId.toString(), addScore == null ? "" : addScore.toString()));
    return script(LineScripts.POSITION, 3 + classes, a).map(r -> r == null ? null : LineCounts.from(r.get(0).toLong(), cursor(r.get(1)), r, 2));
  }

  private static int[] cursor(Response r) {
    String s = r == null ? "" : r.toString();
    int colon = s.indexOf(':');
    return colon < 0 ? null : new int[] {Integer.parseInt(s.substring(0, colon)), Integer.parseInt(s.substring(colon + 1))};
  }

  /** A request mirroring a queue's interleave cursor (for a pipeline). */
  Request setCursor(UUID queueId, int cls, int count) {
    return Request.cmd(Command.SET).arg(keys.cursor(queueId)).arg(cls + ":" + count);
  }

  /** How many wait in each class of a queue. */
  public Future<long[]> counts(UUID queueId, int classes) {
    List<Object> a = new ArrayList<>(List.of(keys.ready()));
    a.addAll(List.of(keys.lines(queueId, classes)));
    return script(LineScripts.COUNTS, 1 + classes, a).map(r -> LineCounts.from(0, null, r, 0).waiting());
  }

  /** The whole line of a queue: interleave cursor and every class's members in order. */
  public Future<FullLine> fullLine(UUID queueId, int classes) {
    List<Object> a = new ArrayList<>(List.of(keys.ready(), keys.cursor(queueId)));
    a.addAll(List.of(keys.lines(queueId, classes)));
    return script(LineScripts.FULL, 2 + classes, a).map(r -> {
      List<List<String>> members = new ArrayList<>();
      for (int i = 1; i < r.size(); i++) {
        Response cls = r.get(i);
        List<String> ids = new ArrayList<>(cls.size());
        cls.forEach(m -> ids.add(m.toString()));
        members.add(ids);
      }
      return new FullLine(cursor(r.get(0)), members);
    });
  }

  /** A queue's whole waiting line: cursor (or null) and the members of each class in order. */
  public record FullLine(int[] cursor, List<List<String>> members) {
  }

  /** Puts a waiting ticket into its line (idempotent), clearing any note that it left this queue. */
  Future<Void> add(UUID queueId, int classIndex, UUID ticketId, long number) {
    return batch(List.of(Request.cmd(Command.ZREM).arg(keys.gone(queueId)).arg(ticketId.toString()),
        Request.cmd(Command.ZADD).arg(keys.line(queueId, classIndex)).arg(number).arg(ticketId.toString())))
        .mapEmpty();
  }

  /** Takes a ticket out of its line (idempotent) and notes it as gone, so no repair re-adds it. */
  Future<Void> remove(UUID queueId, int classIndex, UUID ticketId) {
    return send(removeRequest(queueId, classIndex, ticketId)).mapEmpty();
  }

  /** The request behind {@link #remove} (for a pipeline). */
  Request removeRequest(UUID queueId, int classIndex, UUID ticketId) {
    return eval(LineScripts.REMOVE, 2).arg(keys.line(queueId, classIndex)).arg(keys.gone(queueId))
        .arg(ticketId.toString()).arg(System.currentTimeMillis()).arg(GONE_KEEP_MILLIS);
  }

  /**
   * Adds waiting tickets that a line lacks ({@code numbers[i]} is the score of {@code ids[i]}),
   * skipping any removed meanwhile. Returns how many were added.
   */
  public Future<Integer> addMissing(String lineKey, UUID queueId, List<UUID> ids, List<Long> numbers) {
    Request r = eval(LineScripts.ADD_MISSING, 2).arg(lineKey).arg(keys.gone(queueId));
    for (int i = 0; i < ids.size(); i++) {
      r.arg(numbers.get(i)).arg(ids.get(i).toString());
    }
    return send(r).map(Response::toInteger);
  }

  /** A request raising a queue's number counter to at least {@code atLeast} (for a pipeline). */
  Request raiseCounter(UUID queueId, long atLeast) {
    return eval(LineScripts.RAISE, 1).arg(keys.counter(queueId)).arg(atLeast);
  }

  /** Deletes a lock key only while it still holds our token. */
  Future<Void> releaseLock(String key, String token) {
    return send(eval(LineScripts.RELEASE, 1).arg(key).arg(token)).mapEmpty();
  }

  /** Takes the rebuild lock for a minute under {@code token}; false when another instance holds it. */
  Future<Boolean> takeRebuildLock(String token) {
    return send(Request.cmd(Command.SET).arg(keys.rebuildLock()).arg(token).arg("NX").arg("PX").arg(60_000))
        .map(r -> r != null);
  }

  Future<Void> releaseRebuildLock(String token) {
    return releaseLock(keys.rebuildLock(), token);
  }

  /** Sets the ready marker: the mirror is complete. */
  Future<Void> markReady(long rebuiltAtMillis) {
    return send(Request.cmd(Command.SET).arg(keys.ready()).arg(rebuiltAtMillis)).mapEmpty();
  }

  /** A request putting a waiting ticket into its line as a rebuild does (for a pipeline). */
  Request addRequest(LinePlace p) {
    return Request.cmd(Command.ZADD).arg(keys.line(p.queueId(), p.classRank())).arg(p.number())
        .arg(p.ticketId().toString());
  }

  /** A request moving a ticket still in its line to number {@code p.number()} (never re-adds one gone). */
  Request moveRequest(LinePlace p) {
    return Request.cmd(Command.ZADD).arg(keys.line(p.queueId(), p.classRank())).arg("XX").arg(p.number())
        .arg(p.ticketId().toString());
  }

  /** One page of a SCAN over every line key: the next cursor ("0" at the end) and the keys. */
  record ScanPage(String next, List<String> keys) {
  }

  Future<ScanPage> scanLines(String cursor) {
    return send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(keys.linePattern()).arg("COUNT").arg(1000))
        .map(r -> {
          List<String> found = new ArrayList<>();
          r.get(1).forEach(k -> found.add(k.toString()));
          return new ScanPage(r.get(0).toString(), found);
        });
  }

  /** The members of one line key. */
  Future<Set<UUID>> members(String lineKey) {
    return send(Request.cmd(Command.ZRANGE).arg(lineKey).arg(0).arg(-1)).map(members -> {
      Set<UUID> present = new HashSet<>();
      members.forEach(m -> present.add(UUID.fromString(m.toString())));
      return present;
    });
  }

  /** Takes stale members out of one line key. */
  Future<Void> removeMembers(String lineKey, Set<UUID> ids) {
    Request zrem = Request.cmd(Command.ZREM).arg(lineKey);
    ids.forEach(id -> zrem.arg(id.toString()));
    return send(zrem).mapEmpty();
  }

  public Future<Boolean> isReady() {
    return send(Request.cmd(Command.EXISTS).arg(keys.ready())).map(r -> r.toInteger() == 1);
  }

  /** Sends one command, mapping NOTREADY to {@link NotReady} and lost connections to a 503. */
  Future<Response> send(Request request) {
    return redis.send(request).recover(LineStore::translate);
  }

  /** Sends a pipeline of commands. */
  Future<List<Response>> batch(List<Request> requests) {
    return requests.isEmpty() ? Future.succeededFuture(List.of())
        : redis.batch(requests).recover(LineStore::translate);
  }

  /**
   * Runs a script by its SHA-1 (EVALSHA), so its text is not resent on every call; when Redis does
   * not know it (first use, restart, flush) it is sent once with EVAL, which also caches it.
   */
  private Future<Response> script(String script, int numKeys, List<Object> keysAndArgs) {
    return redis.send(withArgs(Request.cmd(Command.EVALSHA).arg(sha1(script)).arg(numKeys), keysAndArgs))
        .recover(t -> String.valueOf(t.getMessage()).contains("NOSCRIPT")
            ? send(withArgs(eval(script, numKeys), keysAndArgs)) : translate(t));
  }

  private static Request withArgs(Request r, List<Object> args) {
    for (Object a : args) {
      r.arg(String.valueOf(a));
    }
    return r;
  }

  private static final Map<String, String> SHAS = new ConcurrentHashMap<>();

  private static String sha1(String script) {
    return SHAS.computeIfAbsent(script, s -> {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
            .digest(s.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  static Request eval(String script, int numKeys) {
    return Request.cmd(Command.EVAL).arg(script).arg(numKeys);
  }

  private static <T> Future<T> translate(Throwable t) {
    String msg = String.valueOf(t.getMessage());
    if (msg.contains(LineScripts.NOT_READY)) {
      return Future.failedFuture(new NotReady());
    }
    LOG.warn("redis call failed: {}", msg);
    return Future.failedFuture(new ApiException.Unavailable("store.unavailable",
        "The line store (Redis) is unavailable; your place is safe, retry shortly.", 2));
  }

  /** Rank of a ticket in its class, the mirrored interleave cursor (or null), and waiting per class. */
  public record LineCounts(long rank, int[] cursor, long[] waiting) {
    static LineCounts from(long rank, int[] cursor, Response r, int offset) {
      List<Long> w = new ArrayList<>();
      for (int i = offset; i < r.size(); i++) {
        w.add(r.get(i).toLong());
      }
      return new LineCounts(rank, cursor, w.stream().mapToLong(Long::longValue).toArray());
    }
  }
}
