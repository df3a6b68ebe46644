package dev.virtualqueue.loadtest;

import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * Ticket drop: {@code vq.users} people (default 10,000) join a waiting-room queue within
 * {@code vq.rampSeconds} (default 60), each opens the live ticket socket (snapshot with a
 * position) and reads the ticket once, and all hold until {@code vq.holdSeconds} after the drop.
 * Admission at a fixed rate is a later feature of the server: this run measures the joins and
 * the live positions only.
 */
public class TicketDropSpikeSimulation extends Simulation {

  private final LoadConfig cfg;
  private final RunClock clock = new RunClock();

  public TicketDropSpikeSimulation() {
    this.cfg = LoadConfig.read(10_000, 60, 60);
    Fixture.Queue queue = Fixture.login(cfg).queue("drop", "waiting_room", 0);

    ScenarioBuilder people = scenario("people").exec(
        People.join(cfg.tenant(), queue.slug()),
        People.connect(cfg.wsTimeout(), false),
        People.read(),
        People.holdUntilEnd(clock));
    ScenarioBuilder boards = scenario("boards").exec(People.board(queue.id(), cfg.wsTimeout(), clock));

    Slo slo = new Slo(AlertRules.fromSystemProperty())
        .apiRequests(Slo.JOIN, Slo.TICKET_READ)
        .routeLatency(Slo.JOIN_LATENCY, Slo.JOIN)
        .routeLatency(Slo.TICKET_READ_LATENCY, Slo.TICKET_READ)
        .errorRatio()
        .wsChecks(People.SNAPSHOT, People.BOARD_SNAPSHOT);

    setUp(
        people.injectOpen(rampUsers(cfg.users()).during(cfg.ramp())),
        boards.injectOpen(rampUsers(Math.min(cfg.boards(), 5)).during(Duration.ofSeconds(5))))
        .protocols(http.baseUrl(cfg.baseUrl()).wsBaseUrl(cfg.wsBaseUrl()).shareConnections()
            .acceptHeader("application/json"))
        .maxDuration(cfg.maxDuration())
        .assertions(slo.assertions());
  }

  @Override
  public void before() {
    clock.start(cfg.ramp().plus(cfg.hold()));
  }
}
