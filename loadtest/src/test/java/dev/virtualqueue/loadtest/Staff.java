package dev.virtualqueue.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What staff do: sign in, and at a counter call, start and complete (or mark a no-show); in a waiting
 * room, watch the room's state.
 */
public final class Staff {

  public static final String LOGIN = "login";
  public static final String START = "start";
  public static final String COMPLETE = "complete";
  public static final String NO_SHOW = "no-show";
  /** The staff view of a waiting room. */
  public static final String ROOM_STATE = "room state";
  /** Group: the room admitted at its rate (see {@link RoomRate}). */
  public static final String ADMISSION_RATE = "admission rate";

  private Staff() {}

  /** POST /auth/login; saves the bearer token as {@code auth}. */
  public static ChainBuilder login(LoadConfig cfg) {
    String body = "{\"tenant\":\"" + cfg.tenant() + "\",\"email\":\"" + cfg.email() + "\",\"password\":\""
        + cfg.password() + "\"}";
    return exec(http(LOGIN).post("/api/v1/auth/login").header("Content-Type", "application/json")
        .body(StringBody(body))
        .check(status().is(200), jmesPath("accessToken").transform(t -> "Bearer " + t).saveAs("auth")));
  }

  /**
   * Gives the first virtual users one counter each as {@code counterId} (a counter serves one
   * person at a time: a second caller would get 409 {@code counter.busy}); later users get none.
   */
  public static ChainBuilder takeCounter(List<String> counterIds) {
    AtomicInteger next = new AtomicInteger();
    return exec(session -> {
      int i = next.getAndIncrement();
      return i < counterIds.size() ? session.set("counterId", counterIds.get(i)) : session;
    });
  }

  /** Call next at this counter; saves the called ticket as {@code calledId} (none on 204). */
  private static ChainBuilder callNext() {
    return exec(session -> session.remove("calledId")).exec(
        http(Slo.CALL_NEXT).post("/api/v1/counters/#{counterId}/call-next").header("Authorization", "#{auth}")
            .check(status().in(200, 204))
            // 204 (nobody waiting) has no body to parse
            .checkIf((response, session) -> response.status().code() == 200).then(jmesPath("id").saveAs("calledId")));
  }

  private static ChainBuilder ticketAction(String name, String action) {
    return exec(http(name).post("/api/v1/tickets/#{calledId}/" + action).header("Authorization", "#{auth}")
        .check(status().is(200)));
  }

  /**
   * Until the run ends, once a second: the waiting room's state as its staff see it (admissions in
   * all, people waiting), each answer added to {@code rate} with the time it came; then the rate's
   * verdict as the group {@value #ADMISSION_RATE}, KO when it is outside the tolerance or could not
   * be judged.
   */
  public static ChainBuilder watchRoom(String queueId, RunClock clock, RoomRate rate) {
    return exec(asLongAs(session -> clock.running()).on(pace(Duration.ofSeconds(1)),
            exec(http(ROOM_STATE).get("/api/v1/queues/" + queueId + "/waiting-room").header("Authorization", "#{auth}")
                .check(status().is(200), jmesPath("admittedTotal").ofLong().saveAs("admittedTotal"),
                    jmesPath("waiting").ofLong().saveAs("waiting"))),
            exec(session -> {
              if (session.contains("admittedTotal")) {
                rate.add(new RoomRate.Sample(System.currentTimeMillis(), session.getLong("admittedTotal"),
                    session.getLong("waiting")));
              }
              return session.remove("admittedTotal");
            })),
        group(ADMISSION_RATE).on(exec(session -> rate.verdict().ok() ? session : session.markAsFailed())));
  }

  /** Calls the next person at this counter and serves them at once (start, complete), if any. */
  public static ChainBuilder admitNext() {
    return exec(callNext(), doIf(session -> session.contains("calledId")).then(
        ticketAction(START, "start"), ticketAction(COMPLETE, "complete")));
  }

  /**
   * Until the run ends: call next; when someone came, start after a short walk to the counter,
   * serve for {@code service}, complete (one call in twenty is a no-show); when nobody waits,
   * look again in five seconds.
   */
  public static ChainBuilder counterLoop(RunClock clock, Duration service) {
    ChainBuilder serve = exec(pause(Duration.ofSeconds(2)),
        randomSwitch().on(
            percent(95.0).then(exec(ticketAction(START, "start"), pause(service), ticketAction(COMPLETE, "complete"))),
            percent(5.0).then(ticketAction(NO_SHOW, "no-show"))));
    return asLongAs(session -> clock.running()).on(
        callNext(),
        doIfOrElse(session -> session.contains("calledId")).then(serve).orElse(pause(Duration.ofSeconds(5))));
  }
}
