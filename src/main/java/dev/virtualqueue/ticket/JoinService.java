package dev.virtualqueue.ticket;

import dev.virtualqueue.auth.Principal;
import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Errors;
import dev.virtualqueue.line.LineMirror;
import dev.virtualqueue.queue.Queue;
import dev.virtualqueue.queue.QueueService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Taking a ticket. The ticket is committed to Postgres before anyone is told about it; only then
 * is it mirrored into Redis and its position computed.
 */
public final class JoinService {
  private static final Logger LOG = LoggerFactory.getLogger(JoinService.class);
  private static final int NUMBER_RETRIES = 3;

  private final Pool pool;
  private final TicketRepository tickets;
  private final IdempotencyStore idempotency;
  private final QueueService queues;
  private final LineMirror line;
  private final Positions positions;
  private final AfterCommit after;

  public JoinService(Pool pool, TicketRepository tickets, IdempotencyStore idempotency, QueueService queues,
                     LineMirror line, Positions positions, AfterCommit after) {
    this.after = after;
    this.pool = pool;
    this.tickets = tickets;
    this.idempotency = idempotency;
    this.queues = queues;
    this.line = line;
    this.positions = positions;
  }

  /** A member of the public joins through the tenant's and queue's slugs; only self-service classes. */
  public Future<TicketView> joinPublic(String tenantSlug, String queueSlug, JoinRequest req, String idemKey) {
    JoinRequest r = req.validated();
    return queues.byPublicSlugs(tenantSlug, queueSlug)
        .compose(q -> after.trackJoin(q.id(), () -> join(q, r, Channel.PUBLIC, "public", null, idemKey)));
  }

  /**
   * A ticket kiosk joins with the queue's display key: any class may be chosen (staff placed the
   * kiosk); a missing or wrong key is refused. Recorded as a public join.
   */
  public Future<TicketView> joinKiosk(String tenantSlug, String queueSlug, String displayKey, JoinRequest req,
                                      String idemKey) {
    JoinRequest r = req.validated();
    return queues.byPublicSlugs(tenantSlug, queueSlug)
        .compose(q -> queues.checkKioskKey(q.id(), displayKey).compose(ok -> join(q, r, Channel.KIOSK, "public", null, idemKey)));
  }

  /** Staff or an integration issues a ticket for someone; any class may be chosen. */
  public Future<TicketView> joinAsStaff(Principal who, UUID queueId, JoinRequest req, String idemKey) {
    JoinRequest r = req.validated();
    return queues.get(who, queueId).compose(q -> after.trackJoin(q.id(),
        () -> join(q, r, Channel.STAFF, who.actorKind(), who.actorId(), idemKey)));
  }

  /** Who takes the ticket: it decides which classes may be named and which one is the default. */
  enum Channel {
    PUBLIC, KIOSK, STAFF
  }

  private Future<TicketView> join(Queue q, JoinRequest r, Channel channel, String actorKind, UUID actorId,
                                  String idemKey) {
    int cls = resolveClass(q, r.priority(), channel);
    checkAccepting(q);
    if (idemKey == null) {
      return create(q, r, cls, actorKind, actorId, null);
    }
    String key = TicketTokens.checkJoinKey(idemKey);
    byte[] hash = TicketTokens.hash(q.id() + "\n" + JsonObject.mapFrom(r).encode() + "\n" + cls);
    return idempotency.find(pool, q.tenantId(), scope(q), key).compose(stored -> stored != null
        ? replay(q, stored, key, hash)
        : create(q, r, cls, actorKind, actorId, new Claim(key, hash))
            .recover(t -> t instanceof AlreadyClaimed
                ? idempotency.find(pool, q.tenantId(), scope(q), key).compose(s -> replay(q, s, key, hash))
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

  private Future<TicketView> create(Queue q, JoinRequest r, int cls, String actorKind, UUID actorId, Claim claim) {
    UUID id = UUID.randomUUID();
    // under an Idempotency-Key the token is derived from it, so a replay can return it again
    String token = claim == null ? TicketTokens.newToken() : TicketTokens.derive(claim.key(), id);
    return insert(q, r, cls, claim, new NewTicket(id, token, actorKind, actorId), 0)
        .compose(saved -> placed(saved)
            .onSuccess(v -> after.joined(saved, v))
            .map(v -> v.withToken(token)));
  }

  /** The id and secret of a ticket about to be inserted, and who takes it (kept across number retries). */
  private record NewTicket(UUID id, String token, String actorKind, UUID actorId) {
    TicketRepository.Actor actor() {
      return new TicketRepository.Actor(actorKind, actorId);
    }
  }

  /**
   * The committed ticket's view, adding it to the mirror. The place is already durable: if Redis
   * fails now the join is still answered, without a position, and housekeeping repairs the mirror.
   */
  private Future<TicketView> placed(Ticket saved) {
    return positions.view(saved, true, saved.number()).recover(t -> {
      LOG.warn("ticket {} committed but not mirrored, scheduling repair: {}", saved.id(), t.getMessage());
      line.markDirty();
      return Future.succeededFuture(TicketView.of(saved, null, null, true));
    });
  }

  private Future<Ticket> insert(Queue q, JoinRequest r, int cls, Claim claim, NewTicket nt, int attempt) {
    return line.allocate(q.id(), q.priorityClasses().size(), cap(q))
        .compose(number -> {
          if (number < 0) {
            throw new ApiException.Conflict("queue.full", "The queue is full; try again later.");
          }
          Ticket t = Ticket.waiting(nt.id(), q, cls, number, r, TicketTokens.hash(nt.token()));
          String dedupe = q.allowDuplicates() || r.email() == null ? null : r.email().toLowerCase(Locale.ROOT);
          if (claim == null) {
            // one statement (ticket + event), committed on its own: no BEGIN/COMMIT round trips
            return tickets.insert(pool, t, dedupe, nt.actor(), r.notifyChoice());
          }
          return pool.withTransaction(tx -> idempotency.claim(tx, q.tenantId(), scope(q), claim.key(), claim.hash())
              .compose(claimed -> {
                if (!claimed) {
                  throw new AlreadyClaimed();
                }
                return tickets.insert(tx, t, dedupe, nt.actor(), r.notifyChoice());
              })
              .compose(saved -> idempotency.complete(tx, q.tenantId(), scope(q), claim.key(),
                  new JsonObject().put("ticketId", saved.id().toString()).put("tokenDerived", true)).map(saved)));
        })
        .recover(t -> {
          if (Errors.isUniqueViolation(t, "tickets_queue_id_number_key") && attempt < NUMBER_RETRIES) {
            // a number handed out just before a Redis flush was handed out again; take the next one
            return insert(q, r, cls, claim, nt, attempt + 1);
          }
          if (Errors.isUniqueViolation(t, "tickets_dedupe")) {
            return tickets.activeByEmail(q.id(), r.email()).compose(existing -> Future.failedFuture(duplicate(existing)));
          }
          return Future.failedFuture(line.noteFailure(t));
        });
  }

  private static ApiException duplicate(Ticket existing) {
    return new ApiException.Conflict("ticket.duplicate", "This email already holds a place in this queue.",
        existing == null ? null : Map.of("id", existing.id().toString(), "code", existing.code(),
            "status", existing.status().wire()));
  }

  private Future<TicketView> replay(Queue q, IdempotencyStore.Stored stored, String key, byte[] hash) {
    if (!MessageDigest.isEqual(stored.requestHash(), hash)) {
      throw new ApiException.Unprocessable("idempotency.key_reused",
          "This Idempotency-Key was already used with a different request.");
    }
    if (stored.response() == null) {
      throw new ApiException.Conflict("idempotency.in_progress", "A request with this key is still in progress.");
    }
    UUID id = UUID.fromString(stored.response().getString("ticketId"));
    // rows from before tokens were derived kept no token: the same ticket comes back without it
    String token = stored.response().getBoolean("tokenDerived", false) ? TicketTokens.derive(key, id) : null;
    // the first answer may have been lost before the ticket reached the mirror: put it there now
    return tickets.find(pool, id)
        .compose(t -> positions.view(t, true, t.status() == TicketStatus.WAITING ? t.number() : null))
        .map(v -> v.withToken(token))
        .onSuccess(v -> after.replayed(q.id()));
  }

  /**
   * The class of a join. Without one named, the first self-service class: a public or kiosk join
   * must never land in a staff-only class by default (staff fall back to the first class). The
   * public may name only self-service classes; a kiosk and staff may name any.
   */
  static int resolveClass(Queue q, String priority, Channel channel) {
    if (priority == null) {
      int first = firstSelfService(q);
      if (first >= 0) {
        return first;
      }
      if (channel == Channel.STAFF) {
        return 0;
      }
      if (channel == Channel.PUBLIC) {
        throw new ApiException.Forbidden("queue.no_self_service_class",
            "This queue has no class the public can join; ask staff for a ticket.");
      }
      throw new ApiException.BadRequest("ticket.priority_required",
          "This queue has no self-service class to take by default; name a priority class.");
    }
    int i = q.classIndex(priority);
    if (i < 0) {
      throw new ApiException.BadRequest("ticket.unknown_priority", "This queue has no priority class '" + priority + "'.");
    }
    if (channel == Channel.PUBLIC && !q.priorityClasses().get(i).selfServiceOrDefault(i)) {
      throw new ApiException.Forbidden("ticket.priority_not_self_service",
          "Priority class '" + priority + "' can only be given by staff.");
    }
    return i;
  }

  private static int firstSelfService(Queue q) {
    for (int i = 0; i < q.priorityClasses().size(); i++) {
      if (q.priorityClasses().get(i).selfServiceOrDefault(i)) {
        return i;
      }
    }
    return -1;
  }

  private static void checkAccepting(Queue q) {
    ApiException refusal = q.joinRefusal(Instant.now());
    if (refusal != null) {
      throw refusal;
    }
  }

  private static int cap(Queue q) {
    return q.capacity() == null ? 0 : q.capacity();
  }

  private static String scope(Queue q) {
    return "join:" + q.id();
  }
}
