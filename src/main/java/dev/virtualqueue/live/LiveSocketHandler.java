package dev.virtualqueue.live;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.limit.RateLimits;
import dev.virtualqueue.live.LiveMessages.TicketState;
import dev.virtualqueue.queue.QueueService;
import dev.virtualqueue.ticket.Ticket;
import dev.virtualqueue.ticket.TicketService;
import dev.virtualqueue.ticket.TicketStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocketHandshake;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts or refuses WebSocket upgrades before the handshake completes: unknown paths 404,
 * foreign browser origins 403, missing or wrong credentials 401/403, so proxies never see a 502.
 * <ul>
 *   <li>{@code /ws/tickets/{id}?token=...[&since=seq]}: the holder's live ticket</li>
 *   <li>{@code /ws/queues/{queueId}/board[?key=...]}: a display board (key when the queue needs one)</li>
 * </ul>
 */
public final class LiveSocketHandler implements Handler<ServerWebSocketHandshake> {
  private static final Logger LOG = LoggerFactory.getLogger(LiveSocketHandler.class);
  /** How long the connect snapshot may take before the socket is closed to be tried again. */
  private static final long SNAPSHOT_TIMEOUT_SECONDS = 10;
  private static final Pattern TICKET = Pattern.compile("^/ws/tickets/([0-9a-fA-F-]{36})$");
  private static final Pattern BOARD = Pattern.compile("^/ws/queues/([0-9a-fA-F-]{36})/board$");

  private final LiveRegistry registry;
  private final TicketService tickets;
  private final QueueService queues;
  private final List<String> allowedOrigins;
  private final LiveMetrics metrics;
  private final SocketLimits limits;
  private final RateLimits rateLimits;

  LiveSocketHandler(LiveRegistry registry, TicketService tickets, QueueService queues, List<String> allowedOrigins,
                    LiveMetrics metrics, SocketLimits limits, RateLimits rateLimits) {
    this.rateLimits = rateLimits;
    this.registry = registry;
    this.tickets = tickets;
    this.queues = queues;
    this.allowedOrigins = allowedOrigins;
    this.metrics = metrics;
    this.limits = limits;
  }

  /**
   * The upgrade limiter and the open-socket cap of the client address come first (429 either way);
   * the cap's count is released when the socket ends, or at once when the upgrade is refused later.
   */
  @Override
  public void handle(ServerWebSocketHandshake hs) {
    String client = rateLimits.client(hs.remoteAddress() == null ? null : hs.remoteAddress().hostAddress(),
        hs.headers().get("X-Forwarded-For"));
    rateLimits.check(RateLimits.SOCKET, client).onComplete(ar -> {
      if (!ar.result().allowed() || !rateLimits.openSocket(client)) {
        reject(hs, 429);
        return;
      }
      admit(new CountedHandshake(hs, rateLimits, client));
    });
  }

  private void admit(ServerWebSocketHandshake hs) {
    if (!originAllowed(hs)) {
      reject(hs, 403);
      return;
    }
    Map<String, List<String>> query = new QueryStringDecoder(hs.uri()).parameters();
    Matcher ticket = TICKET.matcher(hs.path());
    Matcher board = BOARD.matcher(hs.path());
    if (ticket.matches()) {
      acceptTicket(hs, parse(ticket.group(1)), first(query, "token"), since(first(query, "since")));
    } else if (board.matches()) {
      acceptBoard(hs, parse(board.group(1)), first(query, "key"));
    } else {
      reject(hs, 404);
    }
  }

  private void acceptTicket(ServerWebSocketHandshake hs, UUID id, String token, long since) {
    if (id == null) {
      reject(hs, 404);
      return;
    }
    // the snapshot is computed after the socket is registered, from the ticket read at the handshake;
    // a status change in between is caught by the queue's next recompute (it rereads such tickets)
    registry.onLoop(tickets.holder(id, token))
        .onFailure(t -> reject(hs, status(t)))
        .compose(t -> registry.onLoop(hs.accept())
            .map(ws -> registry.addTicket(new TicketSession(ws, metrics, limits, id, t.queueId(), since)))
            .compose(session -> snapshot(session, t)))
        .onFailure(t -> LOG.debug("ticket socket {} not opened: {}", id, t.getMessage()));
  }

  /**
   * The connect snapshot, bounded: a socket whose snapshot cannot be read would otherwise stay open
   * and silent for good. It is closed instead (1011, "try again"), and the page reconnects.
   */
  private Future<Void> snapshot(TicketSession session, Ticket t) {
    return registry.onLoop(tickets.view(t).timeout(SNAPSHOT_TIMEOUT_SECONDS, TimeUnit.SECONDS))
        .onSuccess(v -> registry.snapshotSent(session, TicketState.of(v, System.currentTimeMillis())))
        .compose(v -> t.status() != TicketStatus.ADMITTED ? Future.succeededFuture()
            : registry.onLoop(tickets.access(t)).onSuccess(a -> {
              if (a != null) {
                session.showAdmitted(LiveMessages.Admitted.of(t.id(), a));
              }
            }))
        .onFailure(e -> {
          LOG.warn("snapshot of ticket {} failed, closing its socket: {}", t.id(), String.valueOf(e));
          session.close((short) 1011, "try again");
        })
        .mapEmpty();
  }

  private void acceptBoard(ServerWebSocketHandshake hs, UUID queueId, String key) {
    if (queueId == null) {
      reject(hs, 404);
      return;
    }
    registry.onLoop(queues.checkBoardAccess(queueId, key))
        .onFailure(t -> reject(hs, status(t)))
        .compose(ok -> registry.onLoop(hs.accept()))
        .onSuccess(ws -> registry.addBoard(queueId, new BoardSession(ws, metrics, limits, 0)))
        .onFailure(t -> LOG.debug("board socket {} not opened: {}", queueId, t.getMessage()));
  }

  private void reject(ServerWebSocketHandshake hs, int status) {
    metrics.rejected();
    hs.reject(status);
  }

  private static int status(Throwable t) {
    return t instanceof ApiException api ? api.status() : 503;
  }

  /** Browsers always send Origin: it must be this server's own or a configured one. */
  private boolean originAllowed(ServerWebSocketHandshake hs) {
    String origin = hs.headers().get("Origin");
    if (origin == null || allowedOrigins.contains("*") || allowedOrigins.contains(origin)) {
      return true;
    }
    try {
      URI o = URI.create(origin);
      String host = hs.headers().get("Host");
      int port = o.getPort() > 0 ? o.getPort() : ("https".equals(o.getScheme()) ? 443 : 80);
      String own = o.getHost() + (port == 80 || port == 443 ? "" : ":" + port);
      return host != null && (host.equalsIgnoreCase(own) || host.equalsIgnoreCase(o.getHost() + ":" + port));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String first(Map<String, List<String>> q, String name) {
    List<String> v = q.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static UUID parse(String s) {
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static long since(String s) {
    try {
      return s == null ? 0 : Math.max(0, Long.parseLong(s));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
