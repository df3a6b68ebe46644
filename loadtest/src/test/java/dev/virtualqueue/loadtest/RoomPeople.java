package dev.virtualqueue.loadtest;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.http.action.ws.WsInboundMessage;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a person in a waiting room does: joins, holds the live ticket socket until admitted (or the
 * run's end), and hangs up. Every message the socket receives is kept by Gatling with its receipt
 * time and judged by a {@link SocketWatch}; each person's two verdicts are Gatling groups that are
 * KO when the admission came late (or never) or a waiting update came late, so the run's assertions
 * count them like failed requests.
 */
public final class RoomPeople {
  /** Group: the admission (and its token) reached the open socket within the bound of its commit. */
  public static final String ADMITTED_IN_TIME = "admission pushed in time";
  /** Group: every update the socket got while waiting arrived within the bound of its {@code changedAt}. */
  public static final String FRESH = "waiting view fresh";
  /** The ticket read of a person whose socket never showed the end of the wait. */
  public static final String END_READ = "ticket read at the end";
  private static final String SOCKET = "ticket socket";
  private static final String WATCH = "watch";
  /** How often a person's buffered messages are judged (their receipt times are Gatling's own). */
  private static final Duration LOOK_EVERY = Duration.ofSeconds(1);

  private final RoomFigures figures;
  private final long boundMillis;
  private final boolean tokenExpected;

  /** {@code boundMillis}: the freshness bound; {@code tokenExpected}: an "admitted" message follows the admission. */
  public RoomPeople(RoomFigures figures, long boundMillis, boolean tokenExpected) {
    this.figures = figures;
    this.boundMillis = boundMillis;
    this.tokenExpected = tokenExpected;
  }

  /**
   * Opens the live ticket socket and checks its snapshot: a ticket, waiting or already admitted
   * (someone admitted before their socket opened). A socket that failed ends the user.
   */
  public ChainBuilder connect(Duration timeout) {
    var snapshot = ws.checkTextMessage(People.SNAPSHOT).check(jmesPath("type").is("ticket"),
        jmesPath("status").in("waiting", "admitted").saveAs("snapshotStatus"),
        jmesPath("changedAt").ofLong().saveAs("snapshotAt"));
    return exec(ws(SOCKET).connect("/ws/tickets/#{id}?token=#{token}").await(timeout).on(snapshot))
        .exitHereIfFailed()
        .exec(session -> session.set(WATCH, new SocketWatch(session.getString("snapshotStatus"),
            session.getLong("snapshotAt"), boundMillis, tokenExpected, figures)));
  }

  /** Judges what the socket receives until the admission (and its token) came, or the run ends. */
  public ChainBuilder watchUntilAdmitted(RunClock clock) {
    return asLongAs(session -> watch(session).watching() && clock.running()).on(pause(LOOK_EVERY), drain())
        .exec(drain());
  }

  /**
   * The verdicts: a person the socket never told of an admission reads the ticket (admitted
   * there means a lost push); then one group per judged verdict, and the socket hangs up.
   */
  public ChainBuilder verdicts() {
    return exec(doIf(session -> watch(session).waitingAtEnd()).then(
            exec(http(END_READ).get("/api/v1/tickets/#{id}").header("X-Ticket-Token", "#{token}")
                .check(status().is(200), jmesPath("status").saveAs("endStatus"))),
            exec(session -> {
              if (session.contains("endStatus")) {
                watch(session).endStatus(session.getString("endStatus"));
              }
              return session;
            })),
        doIf(session -> watch(session).admitted()).then(
            verdict(ADMITTED_IN_TIME, session -> watch(session).admissionFailed())),
        doIf(session -> watch(session).waited()).then(verdict(FRESH, session -> watch(session).staleView())),
        exec(ws("hang up").close()));
  }

  private static ChainBuilder verdict(String name, Predicate<Session> failed) {
    // a group with nothing in it is KO when the session is marked failed inside it: one verdict per person
    return exec(group(name).on(exec(session -> failed.test(session) ? session.markAsFailed() : session)),
        exec(Session::markAsSucceeded));
  }

  private static ChainBuilder drain() {
    return exec(ws.processUnmatchedMessages(RoomPeople::judge));
  }

  private static Session judge(List<WsInboundMessage> messages, Session session) {
    SocketWatch w = watch(session);
    for (WsInboundMessage m : messages) {
      if (m instanceof WsInboundMessage.Text t) {
        w.onText(t.timestamp(), t.message());
      }
    }
    return session;
  }

  private static SocketWatch watch(Session session) {
    return session.get(WATCH);
  }
}
