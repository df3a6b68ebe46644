package dev.virtualqueue.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * Staff and integrations: {@code vq.users} (default 200) authenticate, a share
 * {@code vq.loginShare} (default 0.5) with a JWT from the login (bcrypt), the rest with an API
 * key; until the end they list queues, read a queue's snapshot and waiting list, issue a ticket
 * at the desk, read it and transfer it to the back office, where the first {@code vq.counters}
 * users (one counter each) call next, start and complete.
 */
public class StaffApiMixSimulation extends Simulation {

  public static final String LIST_QUEUES = "list queues";
  public static final String SNAPSHOT = "queue snapshot";
  public static final String LIST_TICKETS = "list tickets";
  public static final String DESK_TICKET = "desk ticket";
  public static final String TRANSFER = "transfer";

  private final LoadConfig cfg;
  private final RunClock clock = new RunClock();

  public StaffApiMixSimulation() {
    this.cfg = LoadConfig.read(200, 60, 120);
    Fixture fx = Fixture.login(cfg);
    Fixture.Queue front = fx.queue("desk", "service", 0);
    Fixture.Queue back = fx.queue("back-office", "service", cfg.counters());
    double loginShare = Math.min(100, Math.max(0, cfg.loginShare() * 100));
    String apiKey = "Bearer " + fx.apiKey("agent");

    ChainBuilder authenticate = randomSwitch().on(
        percent(loginShare).then(Staff.login(cfg)),
        percent(100 - loginShare).then(exec(session -> session.set("auth", apiKey))));
    ChainBuilder work = exec(
        http(LIST_QUEUES).get("/api/v1/queues").header("Authorization", "#{auth}").check(status().is(200)),
        http(SNAPSHOT).get("/api/v1/queues/" + front.id() + "/snapshot").header("Authorization", "#{auth}")
            .check(status().is(200)),
        http(LIST_TICKETS).get("/api/v1/queues/" + front.id() + "/tickets?limit=20")
            .header("Authorization", "#{auth}").check(status().is(200)),
        http(DESK_TICKET).post("/api/v1/queues/" + front.id() + "/tickets").header("Authorization", "#{auth}")
            .header("Idempotency-Key", "#{randomUuid()}").header("Content-Type", "application/json")
            .body(StringBody("{}")).check(status().is(201), jmesPath("id").saveAs("id")),
        http(Slo.TICKET_READ).get("/api/v1/tickets/#{id}").header("Authorization", "#{auth}")
            .check(status().is(200)),
        http(TRANSFER).post("/api/v1/tickets/#{id}/transfer").header("Authorization", "#{auth}")
            .header("Content-Type", "application/json").body(StringBody("{\"queueId\":\"" + back.id() + "\"}"))
            .check(status().is(200)));
    ChainBuilder callAndServe = doIf(session -> session.contains("counterId")).then(Staff.admitNext());

    ScenarioBuilder staff = scenario("staff").exec(authenticate, Staff.takeCounter(back.counterIds()))
        .exec(asLongAs(session -> clock.running()).on(
            exec(work, callAndServe).pause(Duration.ofSeconds(1), Duration.ofSeconds(3))));

    Slo slo = new Slo(AlertRules.fromSystemProperty())
        .apiRequests(Staff.LOGIN, LIST_QUEUES, SNAPSHOT, LIST_TICKETS, DESK_TICKET, Slo.TICKET_READ, TRANSFER,
            Slo.CALL_NEXT, Staff.START, Staff.COMPLETE)
        .routeLatency(Slo.TICKET_READ_LATENCY, Slo.TICKET_READ)
        .routeLatency(Slo.CALL_NEXT_LATENCY, Slo.CALL_NEXT)
        .errorRatio();

    setUp(staff.injectOpen(rampUsers(cfg.users()).during(cfg.ramp())))
        .protocols(cfg.protocol())
        .maxDuration(cfg.maxDuration())
        .assertions(slo.assertions());
  }

  @Override
  public void before() {
    clock.start(cfg.ramp().plus(cfg.hold()));
  }
}
