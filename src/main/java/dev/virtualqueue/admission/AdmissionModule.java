package dev.virtualqueue.admission;

import dev.virtualqueue.auth.Role;
import dev.virtualqueue.config.ServerKey;
import dev.virtualqueue.http.Routes;
import dev.virtualqueue.metrics.BusinessMetrics;
import dev.virtualqueue.queue.QueueService;
import dev.virtualqueue.ticket.AdmissionLink;
import dev.virtualqueue.ticket.AdmitService;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import java.lang.management.ManagementFactory;
import java.util.UUID;

/**
 * The waiting-room feature, wired: the admitter verticle (one per process; the rooms' leases decide
 * which process admits for which room), the sessions it opens, and the pre-queue draws.
 */
public final class AdmissionModule {
  private final AdmissionStore store;
  private final QueueService queues;
  private final AdmitService admits;
  private final Draws draws;
  private final AdmissionMetrics metrics;
  /** This process's name on the leases: unique per start, so a restarted process takes leases anew. */
  private final String owner;
  private final AdmissionService service;
  private volatile AdmissionVerticle verticle;

  public AdmissionModule(Pool pool, QueueService queues, AdmitService admits, ServerKey serverKey,
                         MeterRegistry registry, BusinessMetrics business) {
    this.store = new AdmissionStore(pool);
    this.queues = queues;
    this.admits = admits;
    this.draws = new Draws(serverKey.derive("waiting-room-draw"), admits);
    this.metrics = new AdmissionMetrics(registry, business);
    this.service = new AdmissionService(this);
    this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Mounts the public draw and the room state route. */
  public void mount(Routes<Role> routes) {
    new AdmissionRoutes(service).mount(routes);
  }

  /** A new admitter verticle; deploy one per process. */
  public VerticleBase verticle() {
    return new AdmissionVerticle(this);
  }

  /** What the ticket feature asks of the waiting room: access tokens, and leaving an admitted session. */
  public AdmissionLink link() {
    return new AdmissionAccess(this, null);
  }

  /** A slot of a room was freed here (a release, a person leaving): its admitter runs at once if it is this process. */
  public void slotFreed(UUID queueId) {
    AdmissionVerticle v = verticle;
    if (v != null) {
      v.nudge(queueId);
    }
  }

  void bind(AdmissionVerticle v) {
    this.verticle = v;
  }

  AdmissionStore store() {
    return store;
  }

  QueueService queues() {
    return queues;
  }

  AdmitService admits() {
    return admits;
  }

  Draws draws() {
    return draws;
  }

  AdmissionMetrics metrics() {
    return metrics;
  }

  String owner() {
    return owner;
  }
}
