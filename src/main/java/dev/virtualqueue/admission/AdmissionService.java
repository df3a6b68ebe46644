package dev.virtualqueue.admission;

import dev.virtualqueue.auth.Principal;
import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.queue.Queue;
import dev.virtualqueue.queue.WaitingRoom;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** What the waiting room answers outside the admitter: the public draw, and a room's state for staff. */
final class AdmissionService {
  static final String RULE = "Each ticket id of the pre-queue (lowercase, with dashes) is ranked by the SHA-256 of"
      + " the 32 seed bytes followed by the id's UTF-8 bytes; the lowest rank goes first. commitment is the SHA-256"
      + " of the seed, published before anyone could join the pre-queue's order.";
  private final AdmissionModule module;

  AdmissionService(AdmissionModule module) {
    this.module = module;
  }

  /**
   * A pre-queue's draw as the public sees it: the commitment from the moment the pre-queue opens;
   * at {@code opensAt} the seed, and the pre-queue's ticket ids in the order drawn.
   */
  public record DrawView(String algorithm, String rule, Instant prequeueOpensAt, Instant opensAt, String commitment,
                         Instant drawnAt, String seed, List<UUID> order) {
  }

  Future<DrawView> draw(String tenantSlug, String queueSlug) {
    return module.queues().byPublicSlugs(tenantSlug, queueSlug).compose(q -> {
      WaitingRoom room = q.waitingRoom();
      if (room == null || !room.hasPrequeue() || Instant.now().isBefore(room.prequeueOpensAt())) {
        throw new ApiException.NotFound("waiting_room.no_draw",
            "This queue has no pre-queue draw (yet): it is published when the pre-queue opens.");
      }
      return module.draws().ensure(module.store().pool(), q).map(d -> new DrawView("SHA-256", RULE,
          room.prequeueOpensAt(), d.opensAt(), d.commitment(), d.drawnAt(), d.seed(), d.order()));
    });
  }

  /** A room's state: who admits, the slots in use, people waiting and the admissions of the last minute. */
  public record RoomState(UUID queueId, WaitingRoom settings, boolean holding, long active, long waiting,
                          long admittedLastMinute, long admittedTotal, Instant nextAdmitAt, Admitter admitter) {
  }

  /** The process holding the room's lease, its fence and until when (null: nobody has taken it yet). */
  public record Admitter(String owner, long fence, Instant leaseUntil, long leaseChanges) {
  }

  Future<RoomState> state(Principal who, UUID queueId) {
    return module.queues().get(who, queueId).compose(q -> {
      if (!q.isWaitingRoom()) {
        throw new ApiException.Conflict("queue.not_waiting_room", "This queue is not a waiting room.");
      }
      String sql = "SELECT (SELECT count(*) FROM admission_sessions WHERE queue_id = $1 AND ended_at IS NULL"
          + " AND expires_at > now()) AS active, (SELECT count(*) FROM tickets WHERE queue_id = $1"
          + " AND status = 'waiting') AS waiting, (SELECT count(*) FROM admission_sessions WHERE queue_id = $1"
          + " AND admitted_at > now() - interval '1 minute') AS last_minute, (SELECT count(*) FROM admission_sessions"
          + " WHERE queue_id = $1) AS total, s.owner, s.fence, s.lease_until, s.next_admit_at, s.lease_changes"
          + " FROM (SELECT 1) one LEFT JOIN waiting_room_state s ON s.queue_id = $1";
      return module.store().pool().preparedQuery(sql).execute(Tuple.of(queueId))
          .map(rs -> state(q, rs.iterator().next()));
    });
  }

  private static RoomState state(Queue q, Row r) {
    OffsetDateTime until = r.getOffsetDateTime("lease_until");
    OffsetDateTime next = r.getOffsetDateTime("next_admit_at");
    Admitter admitter = until == null ? null
        : new Admitter(r.getString("owner"), r.getLong("fence"), until.toInstant(), r.getLong("lease_changes"));
    return new RoomState(q.id(), q.waitingRoom(), q.waitingRoom().holding(Instant.now()), r.getLong("active"),
        r.getLong("waiting"), r.getLong("last_minute"), r.getLong("total"), next == null ? null : next.toInstant(),
        admitter);
  }
}
