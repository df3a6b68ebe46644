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
 * Whether a ticket's holder is connected, shared by every server process. A live socket marks its
 * ticket "seen" (kept a day) and "present" (expiring unless refreshed by the socket's heartbeat).
 * Absent = seen but not present: someone who used the live page and then left it.
 */
public final class PresenceStore {
  private final LineStore line;
  private final int presentSeconds;

  public PresenceStore(LineStore line, int presentSeconds) {
    this.line = line;
    this.presentSeconds = presentSeconds;
  }

  private String present(String ticketId) {
    return line.keys().prefix() + ":presence:" + ticketId;
  }

  private String seen(String ticketId) {
    return line.keys().prefix() + ":seen:" + ticketId;
  }

  /** Marks tickets as connected now (and seen); called on connect and on every heartbeat. */
  public Future<Void> touch(List<String> ticketIds, boolean firstSight) {
    List<Request> reqs = new ArrayList<>(ticketIds.size() * 2);
    for (String id : ticketIds) {
      reqs.add(Request.cmd(Command.SET).arg(present(id)).arg(1).arg("EX").arg(presentSeconds));
      if (firstSight) {
        reqs.add(Request.cmd(Command.SET).arg(seen(id)).arg(1).arg("EX").arg(86_400));
      }
    }
    return line.batch(reqs).mapEmpty();
  }

  /** Of the given tickets, those whose holder was seen live and is not connected now. */
  public Future<Set<UUID>> absent(List<UUID> ticketIds) {
    if (ticketIds.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    List<Request> reqs = new ArrayList<>(ticketIds.size() * 2);
    for (UUID id : ticketIds) {
      reqs.add(Request.cmd(Command.EXISTS).arg(seen(id.toString())));
      reqs.add(Request.cmd(Command.EXISTS).arg(present(id.toString())));
    }
    return line.batch(reqs).map(rs -> {
      Set<UUID> out = new HashSet<>();
      for (int i = 0; i < ticketIds.size(); i++) {
        Response seen = rs.get(2 * i);
        Response here = rs.get(2 * i + 1);
        if (seen.toInteger() == 1 && here.toInteger() == 0) {
          out.add(ticketIds.get(i));
        }
      }
      return out;
    });
  }

  /** When a skipped absent person was first skipped (epoch ms), recording now if never. */
  public Future<Long> skippedSince(UUID ticketId, long now) {
    String key = line.keys().prefix() + ":skipped:" + ticketId;
    return line.batch(List.of(Request.cmd(Command.SET).arg(key).arg(now).arg("NX").arg("EX").arg(86_400),
        Request.cmd(Command.GET).arg(key))).map(rs -> Long.parseLong(rs.get(1).toString()));
  }
}
