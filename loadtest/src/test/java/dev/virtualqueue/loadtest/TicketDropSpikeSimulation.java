package dev.virtualqueue.loadtest;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.Map;

/**
 * Ticket drop: {@code vq.users} people (default 10,000) join a waiting room within
 * {@code vq.rampSeconds} (default 60) while the server's admitter lets them in at
 * {@code vq.admitPerMinute} (default 6,000: 100 a second). Each person opens the live ticket
 * socket, reads the ticket once, and holds the socket until admitted or until {@code vq.holdSeconds}
 * after the drop. A few display boards watch the room, and one staff member its state.
 *
 * <p>Judged, besides the latency and error thresholds of every run:
 * <ul>
 *   <li>every admission reaches its open socket within the bound of its commit (the "admitted"
 *       message with the access token, or with {@code -Dvq.admittedMessage=false} the ticket's
 *       status message), none lost;</li>
 *   <li>every update a waiting socket gets arrives within the bound of its {@code changedAt};</li>
 *   <li>over the stretch in which the line never ran dry, the staff route's admission count is the
 *       rate × the time within {@code vq.rateTolerance} (default 0.02).</li>
 * </ul>
 * The bound is the threshold of {@value Slo#PUSH_LATENCY} (1 s): the alert for the same promise.
 */
public class TicketDropSpikeSimulation extends Simulation {

  private final LoadConfig cfg;
  private final RunClock clock = new RunClock();
  private final RoomFigures figures = new RoomFigures();
  private final RoomRate rate;
  private final long bound;
  private final boolean tokenExpected;

  public TicketDropSpikeSimulation() {
    this.cfg = LoadConfig.read(10_000, 60, 60);
    int perMinute = Integer.getInteger("vq.admitPerMinute", 6000);
    this.tokenExpected = Boolean.parseBoolean(System.getProperty("vq.admittedMessage", "true"));
    this.rate = new RoomRate(perMinute, Double.parseDouble(System.getProperty("vq.rateTolerance", "0.02")));
    Fixture.Queue room = Fixture.login(cfg).waitingRoom("drop", Map.of("newUsersPerMinute", perMinute));
    Slo slo = new Slo(AlertRules.fromSystemProperty());
    AlertRules.Threshold push = slo.threshold(Slo.PUSH_LATENCY);
    this.bound = push.millis();
    RoomPeople person = new RoomPeople(figures, bound, tokenExpected);

    ScenarioBuilder people = scenario("people").exec(
        People.join(cfg.tenant(), room.slug()),
        person.connect(cfg.wsTimeout()),
        People.read(),
        person.watchUntilAdmitted(clock),
        person.verdicts());
    ScenarioBuilder boards = scenario("boards").exec(People.board(room.id(), cfg.wsTimeout(), clock));
    ScenarioBuilder staff = scenario("staff").exec(Staff.login(cfg), Staff.watchRoom(room.id(), clock, rate));

    slo.apiRequests(Slo.JOIN, Slo.TICKET_READ, Staff.LOGIN, Staff.ROOM_STATE)
        .routeLatency(Slo.JOIN_LATENCY, Slo.JOIN)
        .routeLatency(Slo.TICKET_READ_LATENCY, Slo.TICKET_READ)
        .errorRatio()
        .wsChecks(People.SNAPSHOT, People.BOARD_SNAPSHOT)
        .verdicts(push, "admission within " + bound + " ms of its commit", RoomPeople.ADMITTED_IN_TIME)
        .verdicts(push, "every waiting update within " + bound + " ms of its changedAt", RoomPeople.FRESH)
        .verdicts(null, "admitted at " + perMinute + "/min ±" + Math.round(rate.tolerance() * 100) + " %",
            Staff.ADMISSION_RATE);

    setUp(
        people.injectOpen(rampUsers(cfg.users()).during(cfg.ramp())),
        boards.injectOpen(rampUsers(Math.min(cfg.boards(), 5)).during(Duration.ofSeconds(5))),
        staff.injectOpen(atOnceUsers(1)))
        .protocols(cfg.protocol().wsUnmatchedInboundMessageBufferSize(1_000))
        .maxDuration(cfg.maxDuration())
        .assertions(slo.assertions());
  }

  @Override
  public void before() {
    clock.start(cfg.ramp().plus(cfg.hold()));
  }

  @Override
  public void after() {
    figures.print(bound, tokenExpected);
    System.out.println("[room] admission rate: " + rate.verdict().text());
  }
}
