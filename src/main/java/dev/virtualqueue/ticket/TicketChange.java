package dev.virtualqueue.ticket;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** One state change to persist: the ticket after it, and who did it (for the event log). */
public record TicketChange(Ticket after, TicketAction action, String actorKind, UUID actorId, UUID counterId,
                           JsonObject detail) {
}
