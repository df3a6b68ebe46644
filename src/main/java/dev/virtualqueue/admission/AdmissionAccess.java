package dev.virtualqueue.admission;

import dev.virtualqueue.queue.WaitingRoom;
import dev.virtualqueue.ticket.AdmissionLink;
import dev.virtualqueue.ticket.Ticket;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.function.BiFunction;

/**
 * The waiting room's side of {@link AdmissionLink}: an admitted holder's access token, signed
 * anew from their session each time it is asked for, and leaving (which frees the slot at once).
 */
final class AdmissionAccess implements AdmissionLink {
  private final AdmissionModule module;
  private final BiFunction<AdmissionSession, WaitingRoom, String> mint;

  /** {@code mint}: signs the access token of a session for the room's audience (null: no tokens to give). */
  AdmissionAccess(AdmissionModule module, BiFunction<AdmissionSession, WaitingRoom, String> mint) {
    this.module = module;
    this.mint = mint;
  }

  @Override
  public Future<Access> access(Ticket t) {
    return module.store().session(module.store().pool(), t.id()).compose(s -> {
      if (s == null || !s.active(Instant.now()) || mint == null) {
        return Future.succeededFuture(null);
      }
      return module.queues().cached(s.queueId()).map(q -> {
        WaitingRoom room = q.waitingRoom();
        return room == null ? null : new Access(mint.apply(s, room), s.expiresAt(), room.targetUrl());
      });
    });
  }

  @Override
  public Future<Boolean> leave(Ticket t) {
    return module.store().end(module.store().pool(), t.id(), "left").map(queueId -> {
      if (queueId == null) {
        return false;
      }
      module.slotFreed(queueId);
      return true;
    });
  }
}
