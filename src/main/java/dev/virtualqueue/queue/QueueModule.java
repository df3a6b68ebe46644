package dev.virtualqueue.queue;

import dev.virtualqueue.auth.Role;
import dev.virtualqueue.events.EventPublisher;
import dev.virtualqueue.http.Routes;
import dev.virtualqueue.line.LineMirror;
import io.vertx.sqlclient.Pool;

/** The queue feature, wired: settings and lifecycle, and its staff and public routes. */
public final class QueueModule {
  private final QueueService queues;
  private final JoinLimitDirectory joinLimits;
  private final boolean mailOn;

  /** {@code mailOn}: whether e-mail is configured (the public queue view says so). */
  public QueueModule(Pool pool, EventPublisher events, LineMirror line, boolean mailOn) {
    QueueRepository repo = new QueueRepository(pool);
    this.joinLimits = new JoinLimitDirectory(repo);
    this.queues = new QueueService(repo, events, line, joinLimits);
    this.mailOn = mailOn;
  }

  public QueueService queues() {
    return queues;
  }

  /** The queues' own join limits, for the limiter in front of every join. */
  public JoinLimitDirectory joinLimits() {
    return joinLimits;
  }

  /** Mounts /api/v1/queues and the public queue routes. */
  public void mount(Routes<Role> routes) {
    new QueueRoutes(queues).mount(routes);
    new PublicQueueRoutes(queues, mailOn).mount(routes);
  }
}
