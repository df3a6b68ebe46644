package dev.virtualqueue.loadtest;

import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * Steady office day: {@code vq.users} people (default 10,000) join one service queue over
 * {@code vq.rampSeconds} and hold their live ticket socket until the end of {@code vq.holdSeconds};
 * each reads their ticket once; a share ({@code vq.leaveShare}) leaves the line early.
 * {@code vq.counters} counters (default 20) call, start and complete (or mark a no-show) at a
 * human pace (signing in one after another over the first 20 s, as a shift starts; the doors
 * open when they are at their counters, so people start arriving after those 20 s);
 * {@code vq.boards} display boards watch the queue.
 */
public class SteadyOfficeDaySimulation extends Simulation {

  private final LoadConfig cfg;
  private final RunClock clock = new RunClock();

  public SteadyOfficeDaySimulation() {
    this(LoadConfig.read(10_000, 300, 300), "steady");
  }

  protected SteadyOfficeDaySimulation(LoadConfig cfg, String name) {
    this.cfg = cfg;
    Fixture.Queue queue = Fixture.login(cfg).queue(name, "service", cfg.counters());
    double leave = Math.min(100, Math.max(0, cfg.leaveShare() * 100));

    ScenarioBuilder people = scenario("people").exec(
            People.join(cfg.tenant(), queue.slug()),
            People.connect(cfg.wsTimeout(), true),
            People.read())
        .randomSwitch().on(
            percent(leave).then(People.leaveEarly(clock)),
            percent(100 - leave).then(People.holdUntilEnd(clock)));
    ScenarioBuilder counters = scenario("counters").exec(
        Staff.login(cfg), Staff.takeCounter(queue.counterIds()), Staff.counterLoop(clock, cfg.service()));
    ScenarioBuilder boards = scenario("boards").exec(People.board(queue.id(), cfg.wsTimeout(), clock));

    Slo slo = new Slo(AlertRules.fromSystemProperty())
        .apiRequests(Slo.JOIN, Slo.TICKET_READ, People.LEAVE, Staff.LOGIN, Slo.CALL_NEXT, Staff.START,
            Staff.COMPLETE)
        .routeLatency(Slo.JOIN_LATENCY, Slo.JOIN)
        .routeLatency(Slo.TICKET_READ_LATENCY, Slo.TICKET_READ)
        .routeLatency(Slo.CALL_NEXT_LATENCY, Slo.CALL_NEXT)
        .errorRatio()
        .wsChecks(People.SNAPSHOT, People.UPDATE, People.BOARD_SNAPSHOT);

    setUp(
        people.injectOpen(nothingFor(shiftStart()), rampUsers(cfg.users()).during(cfg.ramp())),
        counters.injectOpen(rampUsers(cfg.counters()).during(shiftStart())),
        boards.injectOpen(rampUsers(cfg.boards()).during(Duration.ofSeconds(10))))
        .protocols(cfg.protocol())
        .maxDuration(cfg.maxDuration())
        .assertions(slo.assertions());
  }

  @Override
  public void before() {
    clock.start(shiftStart().plus(cfg.ramp()).plus(cfg.hold()));
  }

  /** Staff sign in over this long before the doors open (20 s, or the ramp if shorter). */
  private Duration shiftStart() {
    return Duration.ofSeconds(Math.min(20, cfg.ramp().toSeconds()));
  }
}
