package dev.virtualqueue.queue;

import dev.virtualqueue.auth.Role;
import dev.virtualqueue.http.Ctx;
import dev.virtualqueue.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What the join page and the kiosk need to know about a queue before taking a ticket: its name,
 * whether it takes tickets now, the classes one may choose, and how many wait; and whether a
 * display board may watch it. No staff data.
 */
final class PublicQueueRoutes {
  private final QueueService queues;
  private final boolean mailOn;

  /** {@code mailOn}: whether e-mail is configured (else the join page asks for no address). */
  PublicQueueRoutes(QueueService queues, boolean mailOn) {
    this.queues = queues;
    this.mailOn = mailOn;
  }

  /** A class one may pick: self-service ones for everybody, all of them for a kiosk with the display key. */
  public record ClassView(String name) {
  }

  /**
   * The public face of a queue. {@code kiosk} is true when the request carried a valid display key;
   * {@code emailMessages} whether people can be told by e-mail (when not, the page asks for no
   * address), with the queue's default "almost your turn" thresholds; {@code waitingRoom} only for
   * a waiting room.
   */
  public record PublicQueueView(UUID id, String slug, String name, String mode, String status, boolean accepting,
                                List<ClassView> priorityClasses, long waiting, boolean kiosk, boolean emailMessages,
                                Integer notifyAhead, Integer notifyMinutes, PublicRoom waitingRoom) {
  }

  /**
   * What a waiting room's join page shows: the countdowns to the pre-queue and the opening,
   * whether anyone is let in now, and where admitted people go. The audience and the session
   * settings are the protected site's business and stay out.
   */
  public record PublicRoom(String queueingMethod, Integer newUsersPerMinute, Instant prequeueOpensAt, Instant opensAt,
                           boolean holding, String targetUrl) {

    static PublicRoom of(WaitingRoom w, Instant now) {
      return new PublicRoom(w.queueingMethod(), w.newUsersPerMinute(), w.prequeueOpensAt(), w.opensAt(),
          w.holding(now), w.targetUrl());
    }
  }

  void mount(Routes<Role> r) {
    r.open(HttpMethod.GET, "/api/v1/public/:tenantSlug/queues/:queueSlug", this::get)
        .open(HttpMethod.GET, "/api/v1/public/boards/:queueId/access", this::boardAccess);
  }

  /**
   * Whether a display board gets in, with the key in {@code X-Display-Key} if any: 204, or the
   * same refusal as the board socket (401 key missing, 403 wrong key, 404). A browser cannot read
   * why a socket handshake was refused, so the board page asks here and says so instead of retrying.
   */
  private void boardAccess(RoutingContext ctx) {
    queues.checkBoardAccess(Ctx.uuid(ctx, "queueId", "queue"), ctx.request().getHeader(DisplayKeys.HEADER))
        .onSuccess(v -> Ctx.noContent(ctx))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    String key = ctx.request().getHeader(DisplayKeys.HEADER);
    queues.byPublicSlugs(Ctx.slug(ctx, "tenantSlug", "queue"), Ctx.slug(ctx, "queueSlug", "queue"))
        .compose(q -> Future.all(queues.waitingCount(q),
                key == null ? Future.succeededFuture() : queues.checkKioskKey(q.id(), key))
            .map(all -> view(q, all.<Long>resultAt(0), key != null)))
        .onSuccess(v -> Ctx.json(ctx, 200, v))
        .onFailure(ctx::fail);
  }

  private PublicQueueView view(Queue q, long waiting, boolean kiosk) {
    List<ClassView> classes = new ArrayList<>();
    List<PriorityClass> all = q.priorityClasses();
    for (int i = 0; i < all.size(); i++) {
      if (kiosk || all.get(i).selfServiceOrDefault(i)) {
        classes.add(new ClassView(all.get(i).name()));
      }
    }
    QueueMessages m = q.messagesOrDefault();
    Instant now = Instant.now();
    PublicRoom room = q.isWaitingRoom() && q.waitingRoom() != null ? PublicRoom.of(q.waitingRoom(), now) : null;
    return new PublicQueueView(q.id(), q.slug(), q.name(), q.mode(), q.status(), q.accepting(now), classes,
        waiting, kiosk, mailOn, mailOn ? m.notifyAhead() : null, mailOn ? m.notifyMinutes() : null, room);
  }
}
