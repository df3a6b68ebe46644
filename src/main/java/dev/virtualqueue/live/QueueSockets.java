package dev.virtualqueue.live;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** The ticket and board sockets of one queue on one event loop. */
final class QueueSockets {
  private final Map<String, TicketSession> tickets = new HashMap<>();
  private final List<BoardSession> boards = new ArrayList<>();

  boolean empty() {
    return tickets.isEmpty() && boards.isEmpty();
  }

  /** The socket of a ticket, or null. */
  TicketSession ticket(String ticketId) {
    return tickets.get(ticketId);
  }

  /** A copy of the ticket sockets (a fan-out walks it across turns of the event loop). */
  List<TicketSession> ticketList() {
    return new ArrayList<>(tickets.values());
  }

  List<BoardSession> boards() {
    return boards;
  }

  /** Adds a ticket socket; returns the one it replaces, if any. */
  TicketSession putTicket(TicketSession s) {
    return tickets.put(s.ticketId, s);
  }

  /** Takes the socket of a ticket out (it moves to another queue), or null. */
  TicketSession takeTicket(String ticketId) {
    return tickets.remove(ticketId);
  }

  /** Whether {@code s} is this queue's current socket for its ticket. */
  boolean holds(TicketSession s) {
    return tickets.get(s.ticketId) == s;
  }

  /** Drops a closed ticket socket; false when it was not (or no longer) the current one. */
  boolean dropTicket(TicketSession s) {
    return holds(s) && tickets.remove(s.ticketId) != null;
  }

  /** Drops a closed board socket; false when it was not here. */
  boolean dropBoard(BoardSession b) {
    return boards.remove(b);
  }

  /** Heartbeat: closes slow consumers and pings the others. */
  void heartbeat(Buffer ping) {
    for (TicketSession s : tickets.values().toArray(TicketSession[]::new)) {
      if (!s.closeIfSlow()) {
        s.ws.writePing(ping);
      }
    }
    for (BoardSession b : boards.toArray(BoardSession[]::new)) {
      if (!b.closeIfSlow()) {
        b.ws.writePing(ping);
      }
    }
  }

  /** Shutdown: every socket is told to come back after a jittered delay, then closed with 1001. */
  void bye() {
    tickets.values().forEach(s -> s.bye(1_000 + ThreadLocalRandom.current().nextLong(9_000)));
    boards.forEach(b -> b.bye(1_000 + ThreadLocalRandom.current().nextLong(4_000)));
  }
}
