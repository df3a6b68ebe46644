package dev.virtualqueue.line;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Whether a ticket's holder is connected, shared by every server process. Two sorted sets per
 * key prefix hold it: {@code presence:live} scores each ticket with the instant its presence
 * expires (pushed forward by the socket's heartbeat), {@code presence:seen} with the instant a
 * live socket last opened for it (remembered a day). Absent = seen but not live: someone who used
 * the live page and then left it. A heartbeat of thousands of sockets is a few multi-member
 * {@code ZADD}s, never one command per ticket.
 */
public final class PresenceStore {
  /** Tickets per ZADD: keeps each command short, so other Redis clients do not wait behind it. */
  static final int CHUNK = 1_000;
  static final long SEEN_MILLIS = 86_400_000L;
  private final LineStore line;
  private final int presentSeconds;

  public PresenceStore(LineStore line, int presentSeconds) {
    this.line = line;
    this.presentSeconds = presentSeconds;
  }

  /** Key of the set of connected holders (score: when their presence expires, epoch ms). */
  public String liveKey() {
    return line.keys().presenceLive();
  }

  /** Key of the set of holders seen live (score: when their socket last opened, epoch ms). */
  public String seenKey() {
    return line.keys().presenceSeen();
  }

  /**
   * Marks tickets as connected now; {@code firstSight} (a socket just opened) also marks them
   * seen. The heartbeat ({@code firstSight} false) also drops entries that have run out.
   */
  public Future<Void> touch(List<String> ticketIds, boolean firstSight) {
    long now = System.currentTimeMillis();
    String expires = Long.toString(now + presentSeconds * 1000L);
    List<Request> reqs = new ArrayList<>();
    for (int from = 0; from < ticketIds.size(); from += CHUNK) {
      List<String> chunk = ticketIds.subList(from, Math.min(ticketIds.size(), from + CHUNK));
      reqs.add(zadd(liveKey(), expires, chunk));
      if (firstSight) {
        reqs.add(zadd(seenKey(), Long.toString(now), chunk));
      }
    }
    if (!firstSight) {
      reqs.add(Request.cmd(Command.ZREMRANGEBYSCORE).arg(liveKey()).arg("-inf").arg("(" + now));
      reqs.add(Request.cmd(Command.ZREMRANGEBYSCORE).arg(seenKey()).arg("-inf").arg("(" + (now - SEEN_MILLIS)));
    }
    return line.batch(reqs).mapEmpty();
  }

  private static Request zadd(String key, String score, List<String> members) {
    Request r = Request.cmd(Command.ZADD).arg(key);
    for (String m : members) {
      r.arg(score).arg(m);
    }
    return r;
  }

  /** Of the given tickets, those whose holder was seen live and is not connected now. */
  public Future<Set<UUID>> absent(List<UUID> ticketIds) {
    if (ticketIds.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    Request seen = Request.cmd(Command.ZMSCORE).arg(seenKey());
    Request live = Request.cmd(Command.ZMSCORE).arg(liveKey());
    for (UUID id : ticketIds) {
      seen.arg(id.toString());
      live.arg(id.toString());
    }
    return line.batch(List.of(seen, live)).map(rs -> {
      long now = System.currentTimeMillis();
      Set<UUID> out = new HashSet<>();
      for (int i = 0; i < ticketIds.size(); i++) {
        Double seenAt = score(rs.get(0), i);
        Double liveUntil = score(rs.get(1), i);
        if (seenAt != null && seenAt > now - SEEN_MILLIS && (liveUntil == null || liveUntil < now)) {
          out.add(ticketIds.get(i));
        }
      }
      return out;
    });
  }

  private static Double score(Response scores, int i) {
    Response r = scores == null ? null : scores.get(i);
    return r == null ? null : r.toDouble();
  }

  /** When a skipped absent person was first skipped (epoch ms), recording now if never. */
  public Future<Long> skippedSince(UUID ticketId, long now) {
    String key = line.keys().skipped(ticketId);
    return line.batch(List.of(Request.cmd(Command.SET).arg(key).arg(now).arg("NX").arg("EX").arg(86_400),
        Request.cmd(Command.GET).arg(key))).map(rs -> Long.parseLong(rs.get(1).toString()));
  }
}
