package dev.virtualqueue.ticket;

import dev.virtualqueue.auth.Role;
import dev.virtualqueue.counter.CounterService;
import dev.virtualqueue.events.EventPublisher;
import dev.virtualqueue.http.Routes;
import dev.virtualqueue.line.LineModule;
import dev.virtualqueue.metrics.BusinessMetrics;
import dev.virtualqueue.queue.QueueService;
import io.vertx.sqlclient.Pool;

/**
 * The ticket feature, wired: joining, calling and reading tickets, their after-commit effects
 * (mirror, event, metrics) and their routes. The repository comes from outside because the line
 * mirror's rebuild reads Postgres through it too.
 */
public final class TicketModule {
  private final IdempotencyStore idempotency;
  private final EtaRecorder etas;
  private final JoinService joins;
  private final CallService calls;
  private final TicketService tickets;
  private final CounterService counters;
  private final MailCapability mailCapability;
  private final Positions positions;
  private final AdmitService admits;

  /**
   * {@code mailCapability}: what a message's live link carries to read the ticket (the pool is the
   * repository's).
   */
  public TicketModule(TicketRepository repo, MailCapability mailCapability, QueueService queues,
                      CounterService counters, LineModule line, EventPublisher events, BusinessMetrics metrics) {
    Pool pool = repo.pool();
    this.counters = counters;
    this.mailCapability = mailCapability;
    this.idempotency = new IdempotencyStore(pool);
    this.etas = new EtaRecorder(pool);
    AfterCommit after = new AfterCommit(line.mirror(), events, metrics, etas);
    Positions positions = new Positions(line.mirror(), queues, counters);
    this.joins = new JoinService(pool, repo, idempotency, queues, line.mirror(), positions, after);
    this.calls = new CallService(pool, repo, queues, counters, line.mirror(), line.presence(), after);
    this.positions = positions;
    this.admits = new AdmitService(repo, queues, line.presence(), calls, after);
    this.tickets = new TicketService(pool, repo, queues, positions, calls, mailCapability);
  }

  public TicketService tickets() {
    return tickets;
  }

  /** The capability a message's live link carries. */
  public MailCapability mailCapability() {
    return mailCapability;
  }

  /** Positions and ETAs as the ticket view computes them. */
  public Positions positions() {
    return positions;
  }

  /** Waiting-room admissions (the engine in package admission decides when). */
  public AdmitService admits() {
    return admits;
  }

  public CallService calls() {
    return calls;
  }

  public IdempotencyStore idempotency() {
    return idempotency;
  }

  public EtaRecorder etas() {
    return etas;
  }

  /** Mounts joining, ticket actions and the waiting list, and the counter console (read, call-next). */
  public void mount(Routes<Role> routes) {
    new TicketRoutes(joins, tickets, calls).mount(routes);
    new CallRoutes(counters, calls, tickets).mount(routes);
  }
}
