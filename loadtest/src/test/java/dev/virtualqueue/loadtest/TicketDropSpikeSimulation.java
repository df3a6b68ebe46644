package dev.virtualqueue.loadtest;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * Ticket drop: {@code vq.users} people (default 10,000) join a waiting-room queue within
 * {@code vq.rampSeconds} (default 60), each opens the live ticket socket (snapshot with a
 * position) and reads the ticket once, and all hold until {@code vq.holdSeconds} after the drop.
 * The waiting room's admission at a fixed rate is played by one counter calling the next person
 * every second ({@code vq.admitPerSecond}); a server-side admission scheduler is a later feature.
 */
public class TicketDropSpikeSimulation extends Simulation {

  private final LoadConfig cfg;
  private final RunClock clock = new RunClock();

  public TicketDropSpikeSimulation() {
    this.cfg = LoadConfig.read(10_000, 60, 60);
    Fixture.Queue queue = Fixture.login(cfg).queue("drop", "waiting_room", 1);
    // the gate: one counter lets people in at a fixed rate (vq.admitPerSecond, default 1); every
    // admission moves everyone behind, so this sets the live fan-out (~1 message/s per socket)
    double admitPerSecond = Double.parseDouble(System.getProperty("vq.admitPerSecond", "1"));

    ScenarioBuilder people = scenario("people").exec(
        People.join(cfg.tenant(), queue.slug()),
        People.connect(cfg.wsTimeout(), false),
        People.read(),
        People.holdUntilEnd(clock));
    ScenarioBuilder boards = scenario("boards").exec(People.board(queue.id(), cfg.wsTimeout(), clock));
    ScenarioBuilder gate = scenario("gate").exec(Staff.login(cfg), Staff.takeCounter(queue.counterIds()),
        Staff.admitLoop(clock, Duration.ofMillis(Math.round(1000 / admitPerSecond))));

    Slo slo = new Slo(AlertRules.fromSystemProperty())
        .apiRequests(Slo.JOIN, Slo.TICKET_READ, Staff.LOGIN, Slo.CALL_NEXT, Staff.START, Staff.COMPLETE)
        .routeLatency(Slo.JOIN_LATENCY, Slo.JOIN)
        .routeLatency(Slo.TICKET_READ_LATENCY, Slo.TICKET_READ)
        .routeLatency(Slo.CALL_NEXT_LATENCY, Slo.CALL_NEXT)
        .errorRatio()
        .wsChecks(People.SNAPSHOT, People.BOARD_SNAPSHOT);

    setUp(
        people.injectOpen(rampUsers(cfg.users()).during(cfg.ramp())),
        boards.injectOpen(rampUsers(Math.min(cfg.boards(), 5)).during(Duration.ofSeconds(5))),
        gate.injectOpen(atOnceUsers(1)))
        .protocols(cfg.protocol())
        .maxDuration(cfg.maxDuration())
        .assertions(slo.assertions());
  }

  @Override
  public void before() {
    clock.start(cfg.ramp().plus(cfg.hold()));
  }
}
