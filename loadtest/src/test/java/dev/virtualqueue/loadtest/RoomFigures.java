package dev.virtualqueue.loadtest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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
  private final AtomicInteger sockets = new AtomicInteger();
  /** Each view replaced: socket, the replaced view's {@code changedAt}, the replacing message's receipt. */
  private final List<long[]> replaced = new ArrayList<>();
  /** The commit times of all admissions the sockets saw (each one moved everyone behind). */
  private final List<Long> admissions = new ArrayList<>();
  final LongAdder admittedAtConnect = new LongAdder();
  final LongAdder pushLost = new LongAdder();
  final LongAdder tokenMissing = new LongAdder();
  final LongAdder lateAdmissions = new LongAdder();
  final LongAdder staleSockets = new LongAdder();
  final LongAdder notAdmitted = new LongAdder();
  final LongAdder otherEnd = new LongAdder();
  final LongAdder unreadable = new LongAdder();

  int newSocket() {
    return sockets.getAndIncrement();
  }

  synchronized void replaced(int socket, long viewChangedAt, long receivedAt) {
    replaced.add(new long[] {socket, viewChangedAt, receivedAt});
  }

  synchronized void admitted(long changedAt) {
    admissions.add(changedAt);
  }

  /**
   * How stale each replaced view really got: from the first admission after its {@code changedAt}
   * (the first change it did not show) to the receipt of the message that replaced it, 0 when no
   * admission came in between. Admissions are the only changes that move people in this room
   * (joins queue behind, nobody leaves); their times are the admitted people's own messages.
   */
  synchronized Lags staleness(long boundMillis, int[] staleSockets) {
    long[] times = admissions.stream().mapToLong(Long::longValue).sorted().toArray();
    Lags out = new Lags();
    boolean[] stale = new boolean[sockets.get()];
    for (long[] r : replaced) {
      int i = Arrays.binarySearch(times, r[1] + 1);
      int first = i >= 0 ? i : -i - 1;
      long age = first < times.length && times[first] < r[2] ? r[2] - times[first] : 0;
      out.add(age);
      stale[(int) r[0]] |= age > boundMillis;
    }
    for (boolean b : stale) {
      staleSockets[0] += b ? 1 : 0;
    }
    return out;
  }

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
    System.out.printf("[room] waiting updates, receipt - changedAt: %s; sockets with a message later than %d ms:"
        + " %d%n", update.summary(), boundMillis, staleSockets.sum());
    int[] stale = new int[1];
    Lags staleness = staleness(boundMillis, stale);
    System.out.printf("[room] waiting views, first admission they missed to their replacement: %s; sockets with"
        + " a view staler than %d ms: %d (figures only)%n", staleness.summary(), boundMillis, stale[0]);
    System.out.printf("[room] still waiting at the end: %d; wait ended otherwise (expired, left): %d;"
        + " unreadable messages: %d%n", notAdmitted.sum(), otherEnd.sum(), unreadable.sum());
  }
}
