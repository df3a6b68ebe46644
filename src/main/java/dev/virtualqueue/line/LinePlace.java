package dev.virtualqueue.line;

import java.util.UUID;

/** Where a waiting ticket sits in the mirror: its queue and class, scored by its number. */
public record LinePlace(UUID queueId, int classRank, UUID ticketId, long number) {
}
