package dev.virtualqueue.loadtest;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the people of a waiting room saw on their sockets over a whole run (all {@link SocketWatch}es
 * together): the delays as histograms, the counts behind the verdicts, and the summary lines the
 * driver prints ({@code [room] ...}). The verdicts themselves are Gatling groups (see
 * {@link RoomPeople}), so the run's assertions judge them.
 */
public final class RoomFigures {
  /** The ticket's "admitted" status: receipt − commit, for admissions after the socket opened. */
  final Lags admission = new Lags();
  /** The "admitted" message (access token): receipt − commit of the admission. */
  final Lags token = new Lags();
  /** Waiting updates: receipt − their own {@code changedAt}. */
  final Lags update = new Lags();
  /** Age of each waiting view when the next message replaced it: receipt − its {@code changedAt}. */
  final Lags stale = new Lags();
  final LongAdder admittedAtConnect = new LongAdder();
  final LongAdder pushLost = new LongAdder();
  final LongAdder tokenMissing = new LongAdder();
  final LongAdder lateAdmissions = new LongAdder();
  final LongAdder staleSockets = new LongAdder();
  final LongAdder notAdmitted = new LongAdder();
  final LongAdder otherEnd = new LongAdder();
  final LongAdder unreadable = new LongAdder();

  /** The summary lines, with the bound they were judged against. */
  public void print(long boundMillis, boolean tokenExpected) {
    System.out.printf("[room] admissions pushed to an open socket: %s; later than %d ms: %d; pushes lost"
        + " (admitted, socket never told): %d%n", admission.summary(), boundMillis, admission.over(boundMillis),
        pushLost.sum());
    if (tokenExpected) {
      System.out.printf("[room] access tokens (\"admitted\" message) after the commit: %s; later than %d ms: %d;"
          + " never came: %d%n", token.summary(), boundMillis, token.over(boundMillis), tokenMissing.sum());
    } else {
      System.out.println("[room] access tokens: not expected (-Dvq.admittedMessage=false): admission timed on the"
          + " \"ticket\" message");
    }
    System.out.printf("[room] admitted before their socket opened (snapshot said admitted, not timed): %d;"
        + " people with a late or missing admission: %d%n", admittedAtConnect.sum(), lateAdmissions.sum()
        + pushLost.sum() + tokenMissing.sum());
    System.out.printf("[room] waiting updates, receipt - changedAt: %s%n", update.summary());
    System.out.printf("[room] waiting views, age when replaced: %s; sockets with a view older than %d ms: %d%n",
        stale.summary(), boundMillis, staleSockets.sum());
    System.out.printf("[room] still waiting at the end: %d; wait ended otherwise (expired, left): %d;"
        + " unreadable messages: %d%n", notAdmitted.sum(), otherEnd.sum(), unreadable.sum());
  }
}
