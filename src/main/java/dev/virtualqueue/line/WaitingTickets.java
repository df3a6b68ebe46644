package dev.virtualqueue.line;

import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;

/** What the mirror's rebuild and repair read from Postgres, the system of record (the ticket store). */
public interface WaitingTickets {

  /** Per queue: its highest ticket number and its interleave cursor, to seed the mirror. */
  record QueueSeed(UUID queueId, long maxNumber, int cursorClass, int cursorCount) {
  }

  /** Every waiting ticket. */
  Future<List<LinePlace>> allWaiting();

  /** Every queue's seed. */
  Future<List<QueueSeed>> queueSeeds();

  /** Of the given tickets, those still waiting in this queue and class. */
  Future<List<UUID>> stillWaiting(List<UUID> ids, UUID queueId, int classRank);
}
