package dev.virtualqueue.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.http.WsFrameCheck;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** What a person in line does: join, hold the live ticket socket, read the ticket, maybe leave. */
public final class People {

  public static final String SNAPSHOT = "ticket snapshot";
  public static final String UPDATE = "ticket update";
  public static final String LEAVE = "leave";
  public static final String BOARD_SNAPSHOT = "board snapshot";

  private People() {}

  /** POST the public join; saves the ticket's {@code id} and {@code token}. A refused join ends the user. */
  public static ChainBuilder join(String tenant, String queueSlug) {
    return exec(http(Slo.JOIN).post("/api/v1/public/" + tenant + "/queues/" + queueSlug + "/tickets")
        .header("Content-Type", "application/json")
        .body(StringBody("{}"))
        .check(status().is(201), jmesPath("id").saveAs("id"), jmesPath("token").saveAs("token"),
            jmesPath("status").is("waiting")))
        .exitHereIfFailed();
  }

  /**
   * Opens the live ticket socket and checks its snapshot (a waiting ticket with a position); with
   * {@code expectUpdate} also that a further ticket message (a position, ETA or status change)
   * arrives within the timeout. A socket that failed ends the user (no cascade of follow-up errors).
   */
  public static ChainBuilder connect(Duration timeout, boolean expectUpdate) {
    WsFrameCheck snapshot = ws.checkTextMessage(SNAPSHOT)
        .check(jmesPath("type").is("ticket"), jmesPath("status").is("waiting"), jmesPath("position").ofInt().gt(0));
    WsFrameCheck update = ws.checkTextMessage(UPDATE).check(jmesPath("type").is("ticket"));
    var connect = ws("ticket socket").connect("/ws/tickets/#{id}?token=#{token}").await(timeout);
    return exec(expectUpdate ? connect.on(snapshot, update) : connect.on(snapshot)).exitHereIfFailed();
  }

  /**
   * GET the ticket with its own token: a page refresh, a few seconds later (0-10 s, at random), so
   * the reads of thousands of people are not all fired by the same push.
   */
  public static ChainBuilder read() {
    return exec(pause(Duration.ZERO, Duration.ofSeconds(10)),
        http(Slo.TICKET_READ).get("/api/v1/tickets/#{id}").header("X-Ticket-Token", "#{token}")
            .check(status().is(200)));
  }

  /** Holds the socket until the run's end, then hangs up. */
  public static ChainBuilder holdUntilEnd(RunClock clock) {
    return exec(pause(session -> clock.remaining()), exec(ws("hang up").close()));
  }

  /**
   * Waits a random share of the time left, leaves the line, hangs up. A 409 is a legal answer:
   * the counter called this person first (waiting → left is then no longer a legal transition).
   */
  public static ChainBuilder leaveEarly(RunClock clock) {
    return exec(pause(session -> Duration.ofMillis(
            (long) (clock.remaining().toMillis() * ThreadLocalRandom.current().nextDouble(0.1, 0.9)))),
        exec(http(LEAVE).delete("/api/v1/tickets/#{id}").header("X-Ticket-Token", "#{token}")
            .check(status().in(200, 409))),
        exec(ws("hang up").close()));
  }

  /** A display board: connects, checks its snapshot, stays until the end. */
  public static ChainBuilder board(String queueId, Duration timeout, RunClock clock) {
    return exec(ws("board socket").connect("/ws/queues/" + queueId + "/board").await(timeout)
            .on(ws.checkTextMessage(BOARD_SNAPSHOT).check(jmesPath("type").is("board"))),
        pause(session -> clock.remaining()),
        exec(ws("hang up").close()));
  }
}
