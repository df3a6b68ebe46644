package dev.virtualqueue.server;

import dev.virtualqueue.admission.AdmissionModule;
import dev.virtualqueue.auth.AuthModule;
import dev.virtualqueue.auth.Role;
import dev.virtualqueue.counter.CounterModule;
import dev.virtualqueue.http.Routes;
import dev.virtualqueue.notify.NotifyModule;
import dev.virtualqueue.queue.QueueModule;
import dev.virtualqueue.ticket.TicketModule;
import dev.virtualqueue.webhook.WebhookModule;
import io.vertx.ext.web.Router;

/** Every feature's API routes, mounted on one router: each feature mounts its own table. */
record ApiRoutes(AuthModule auth, QueueModule queues, CounterModule counters, TicketModule tickets,
                 WebhookModule webhooks, NotifyModule notifications, AdmissionModule admission) {

  void mount(Router router) {
    auth.mount(router);
    Routes<Role> routes = auth.routes(router);
    queues.mount(routes);
    counters.mount(routes);
    tickets.mount(routes);
    webhooks.mount(routes);
    notifications.mount(routes);
    admission.mount(routes);
  }
}
