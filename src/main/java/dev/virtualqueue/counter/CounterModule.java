package dev.virtualqueue.counter;

import dev.virtualqueue.auth.Role;
import dev.virtualqueue.events.EventPublisher;
import dev.virtualqueue.http.Routes;
import dev.virtualqueue.queue.QueueService;
import io.vertx.sqlclient.Pool;

/** The counter feature, wired: counters of a queue and their routes. */
public final class CounterModule {
  private final CounterService counters;

  public CounterModule(Pool pool, QueueService queues, EventPublisher events) {
    this.counters = new CounterService(new CounterRepository(pool), queues, events);
  }

  public CounterService counters() {
    return counters;
  }

  /** Mounts the counter routes. */
  public void mount(Routes<Role> routes) {
    new CounterRoutes(counters).mount(routes);
  }
}
