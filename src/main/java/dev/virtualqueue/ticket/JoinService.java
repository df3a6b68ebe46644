package dev.virtualqueue.ticket;

import dev.virtualqueue.auth.Principal;
import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Errors;
import dev.virtualqueue.line.LineStore;
import dev.virtualqueue.live.LiveEvent;
import dev.virtualqueue.live.LiveEvents;
import dev.virtualqueue.metrics.BusinessMetrics;
import dev.virtualqueue.queue.Queue;
import dev.virtualqueue.queue.QueueService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * Taking a ticket. The ticket is committed to Postgres before anyone is told about it; only then
 * is it mirrored into Redis and its position computed.
 */
public final class JoinService {
  private static final int NUMBER_RETRIES = 3;

  private final Pool pool;
  private final TicketRepository tickets;
  private final IdempotencyStore idempotency;
  private final QueueService queues;
  private final LineStore line;
  private final LineRebuilder rebuilder;
  private final Positions positions;
  private final LiveEvents events;
  private final BusinessMetrics metrics;
  private final EtaRecorder etas;

  public JoinService(Pool pool, TicketRepository tickets, IdempotencyStore idempotency, QueueService queues,
                     LineStore line, LineRebuilder rebuilder, Positions positions, LiveEvents events,
                     BusinessMetrics metrics, EtaRecorder etas) {
    this.events = events;
    this.metrics = metrics;
    this.etas = etas;
    this.pool = pool;
    this.tickets = tickets;
    this.idempotency = idempotency;
    this.queues = queues;
    this.line = line;
    this.rebuilder = rebuilder;
    this.positions = positions;
  }

  /** A member of the public joins through the tenant's and queue's slugs; only self-service classes. */
  public Future<TicketView> joinPublic(String tenantSlug, String queueSlug, JoinRequest req, String idemKey) {
    JoinRequest r = req.validated();
    return queues.byPublicSlugs(tenantSlug, queueSlug)
        .compose(q -> metrics.trackJoin(q.id(), () -> join(q, r, false, "public", null, idemKey)));
  }

  /**
   * A ticket kiosk joins with the queue's display key: any class may be chosen (staff placed the
   * kiosk); a missing or wrong key is refused. Recorded as a public join.
   */
  public Future<TicketView> joinKiosk(String tenantSlug, String queueSlug, String displayKey, JoinRequest req,
                                      String idemKey) {
    JoinRequest r = req.validated();
    return queues.byPublicSlugs(tenantSlug, queueSlug)
        .compose(q -> queues.checkKioskKey(q.id(), displayKey).compose(ok -> join(q, r, true, "public", null, idemKey)));
  }

  /** Staff or an integration issues a ticket for someone; any class may be chosen. */
  public Future<TicketView> joinAsStaff(Principal who, UUID queueId, JoinRequest req, String idemKey) {
    JoinRequest r = req.validated();
    return queues.get(who, queueId).compose(q -> metrics.trackJoin(q.id(),
        () -> join(q, r, true, who.actorKind(), who.actorId(), idemKey)));
  }

  private Future<TicketView> join(Queue q, JoinRequest r, boolean staff, String actorKind, UUID actorId,
                                  String idemKey) {
    int cls = resolveClass(q, r.priority(), staff);
    checkAccepting(q);
    if (idemKey == null) {
      return create(q, r, cls, actorKind, actorId, null, 0);
    }
    String key = checkKey(idemKey);
    byte[] hash = TicketTokens.hash(q.id() + "\n" + JsonObject.mapFrom(r).encode() + "\n" + cls);
    return idempotency.find(pool, q.tenantId(), scope(q), key).compose(stored -> stored != null
        ? replay(q, stored, hash)
        : create(q, r, cls, actorKind, actorId, new Claim(key, hash), 0)
            .recover(t -> t instanceof AlreadyClaimed
                ? idempotency.find(pool, q.tenantId(), scope(q), key).compose(s -> replay(q, s, hash))
                : Future.failedFuture(t)));
  }

  private record Claim(String key, byte[] hash) {
  }

  /** Raised inside the transaction when a concurrent request with the same key committed first. */
  private static final class AlreadyClaimed extends RuntimeException {
    AlreadyClaimed() {
      super(null, null, false, false);
    }
  }

  private Future<TicketView> create(Queue q, JoinRequest r, int cls, String actorKind, UUID actorId, Claim claim,
                                    int attempt) {
    String token = TicketTokens.newToken();
    return insert(q, r, cls, actorKind, actorId, claim, token, 0)
        .compose(saved -> positions.view(saved, true, saved.number())
            .onSuccess(v -> events.publish(new LiveEvent(saved.queueId(), LiveEvent.Kind.JOIN, saved.id(), "waiting",
                saved.code(), null, null, System.currentTimeMillis())))
            .onSuccess(v -> metrics.joined(q.id(), "created"))
            .onSuccess(etas::promised)
            .map(v -> v.withToken(token)));
  }

  private Future<Ticket> insert(Queue q, JoinRequest r, int cls, String actorKind, UUID actorId, Claim claim,
                                String token, int attempt) {
    return rebuilder.withReady(() -> line.allocate(q.id(), q.priorityClasses().size(), cap(q)))
        .compose(number -> {
          if (number < 0) {
            throw new ApiException.Conflict("queue.full", "The queue is full; try again later.");
          }
          Ticket t = newTicket(q, r, cls, number, token);
          String dedupe = q.allowDuplicates() || r.email() == null ? null : r.email().toLowerCase(Locale.ROOT);
          if (claim == null) {
            // one statement (ticket + event), committed on its own: no BEGIN/COMMIT round trips
            return tickets.insert(pool, t, dedupe, actorKind, actorId);
          }
          return pool.withTransaction(tx -> idempotency.claim(tx, q.tenantId(), scope(q), claim.key(), claim.hash())
              .compose(claimed -> {
                if (!claimed) {
                  throw new AlreadyClaimed();
                }
                return tickets.insert(tx, t, dedupe, actorKind, actorId);
              })
              .compose(saved -> idempotency.complete(tx, q.tenantId(), scope(q), claim.key(),
                  new JsonObject().put("ticketId", saved.id().toString()).put("token", token)).map(saved)));
        })
        .recover(t -> {
          if (Errors.isUniqueViolation(t, "tickets_queue_id_number_key") && attempt < NUMBER_RETRIES) {
            // a number handed out just before a Redis flush was handed out again; take the next one
            return insert(q, r, cls, actorKind, actorId, claim, token, attempt + 1);
          }
          if (Errors.isUniqueViolation(t, "tickets_dedupe")) {
            return tickets.activeByEmail(q.id(), r.email()).compose(existing -> Future.failedFuture(duplicate(existing)));
          }
          return Future.failedFuture(t);
        });
  }

  private static ApiException duplicate(Ticket existing) {
    return new ApiException.Conflict("ticket.duplicate", "This email already holds a place in this queue.",
        existing == null ? null : java.util.Map.of("id", existing.id().toString(), "code", existing.code(),
            "status", existing.status().wire()));
  }

  private Future<TicketView> replay(Queue q, IdempotencyStore.Stored stored, byte[] hash) {
    if (!java.security.MessageDigest.isEqual(stored.requestHash(), hash)) {
      throw new ApiException.Unprocessable("idempotency.key_reused",
          "This Idempotency-Key was already used with a different request.");
    }
    if (stored.response() == null) {
      throw new ApiException.Conflict("idempotency.in_progress", "A request with this key is still in progress.");
    }
    UUID id = UUID.fromString(stored.response().getString("ticketId"));
    String token = stored.response().getString("token");
    return tickets.find(pool, id).compose(t -> positions.view(t, true)).map(v -> v.withToken(token))
        .onSuccess(v -> metrics.joined(q.id(), "replayed"));
  }

  private static Ticket newTicket(Queue q, JoinRequest r, int cls, long number, String token) {
    return new Ticket(UUID.randomUUID(), q.tenantId(), q.id(), number, Ticket.code(q.ticketPrefix(), number), cls,
        q.priorityClasses().get(cls).name(), TicketStatus.WAITING, r.name(), r.email(), r.phone(),
        TicketTokens.hash(token), null, null, 0, null, null, null, null, null, 0);
  }

  private static int resolveClass(Queue q, String priority, boolean staff) {
    if (priority == null) {
      return 0;
    }
    int i = q.classIndex(priority);
    if (i < 0) {
      throw new ApiException.BadRequest("ticket.unknown_priority", "This queue has no priority class '" + priority + "'.");
    }
    if (!staff && !q.priorityClasses().get(i).selfServiceOrDefault(i)) {
      throw new ApiException.Forbidden("ticket.priority_not_self_service",
          "Priority class '" + priority + "' can only be given by staff.");
    }
    return i;
  }

  private static void checkAccepting(Queue q) {
    switch (q.status()) {
      case Queue.PAUSED -> throw new ApiException.Conflict("queue.paused", "The queue is paused; joining is not possible right now.");
      case Queue.CLOSED -> throw new ApiException.Conflict("queue.closed", "The queue is closed.");
      default -> { }
    }
    if (q.openingHours() != null && !q.openingHours().isOpen(Instant.now())) {
      throw new ApiException.Conflict("queue.outside_hours", "The queue is outside its opening hours.");
    }
  }

  private static String checkKey(String key) {
    if (key.isEmpty() || key.length() > 128 || !key.chars().allMatch(c -> c > 32 && c < 127)) {
      throw new ApiException.BadRequest("idempotency.invalid_key", "Idempotency-Key must be 1-128 visible ASCII characters.");
    }
    return key;
  }

  private static int cap(Queue q) {
    return q.capacity() == null ? 0 : q.capacity();
  }

  private static String scope(Queue q) {
    return "join:" + q.id();
  }
}
