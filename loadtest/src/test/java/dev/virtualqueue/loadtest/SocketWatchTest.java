package dev.virtualqueue.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A socket's verdicts follow what it received and when: late, lost, stale and fine are told apart. */
class SocketWatchTest {
  private static final long BOUND = 1000;
  private final RoomFigures figures = new RoomFigures();

  private static String ticket(String status, long changedAt) {
    return "{\"type\":\"ticket\",\"seq\":2,\"status\":\"" + status + "\",\"position\":3,\"changedAt\":" + changedAt + "}";
  }

  private SocketWatch waitingSince(long at, boolean token) {
    return new SocketWatch("waiting", at, BOUND, token, figures);
  }

  @Test
  void anAdmissionPushedInTimeOnAFreshSocketPasses() {
    SocketWatch w = waitingSince(10_000, false);
    w.onText(10_600, ticket("waiting", 10_550));
    w.onText(11_150, ticket("waiting", 11_100));
    assertTrue(w.watching());
    w.onText(11_400, ticket("admitted", 11_390));
    assertFalse(w.watching());
    assertTrue(w.admitted());
    assertFalse(w.admissionFailed());
    assertTrue(w.waited());
    assertFalse(w.staleView());
    assertEquals(10, figures.admission.max());
    assertEquals(2, figures.update.count());
  }

  @Test
  void anAdmissionReceivedMoreThanTheBoundAfterItsCommitIsLate() {
    SocketWatch w = waitingSince(10_000, false);
    w.onText(12_500, ticket("admitted", 11_400));
    assertTrue(w.admissionFailed());
    assertEquals(1, figures.admission.over(BOUND));
  }

  @Test
  void anUpdateReceivedMoreThanTheBoundAfterItsChangedAtIsStale() {
    SocketWatch w = waitingSince(10_000, false);
    w.onText(10_500, ticket("waiting", 10_450));
    w.onText(12_700, ticket("waiting", 11_650));
    assertTrue(w.staleView());
    assertEquals(1050, figures.update.max());
  }

  @Test
  void aViewIsAsStaleAsTheFirstAdmissionItMissed() {
    SocketWatch w = waitingSince(10_000, false);
    // admissions (others') at 10,100 and 10,900; views replaced at 10,500 and 11,700
    figures.admitted(10_100);
    figures.admitted(10_900);
    w.onText(10_500, ticket("waiting", 10_450));
    w.onText(11_700, ticket("waiting", 11_650));
    int[] stale = new int[1];
    Lags l = figures.staleness(BOUND, stale);
    // the snapshot's view missed 10,100 (400 ms); the next missed 10,900, not 10,450 (800 ms)
    assertEquals(2, l.count());
    assertEquals(800, l.max());
    assertEquals(0, stale[0]);
    assertFalse(w.staleView());
  }

  @Test
  void aViewNoAdmissionMovedIsNotStaleHoweverOld() {
    SocketWatch w = waitingSince(10_000, false);
    figures.admitted(14_900);
    w.onText(15_000, ticket("waiting", 14_950)); // 5 s without a change, then one, shown at once
    int[] stale = new int[1];
    assertEquals(100, figures.staleness(BOUND, stale).max());
    assertEquals(0, stale[0]);
  }

  @Test
  void withTokensTheWaitEndsOnlyWithTheAdmittedMessageAndItIsTimedFromTheCommit() {
    SocketWatch w = waitingSince(10_000, true);
    w.onText(10_400, ticket("admitted", 10_390));
    assertTrue(w.watching());
    w.onText(11_500, "{\"type\":\"admitted\",\"seq\":3,\"accessToken\":\"x\"}");
    assertFalse(w.watching());
    assertTrue(w.admissionFailed()); // 1,110 ms after the commit
    assertEquals(1110, figures.token.max());
  }

  @Test
  void aTokenThatNeverCameFails() {
    SocketWatch w = waitingSince(10_000, true);
    w.onText(10_400, ticket("admitted", 10_390));
    assertTrue(w.admissionFailed());
    assertEquals(1, figures.tokenMissing.sum());
  }

  @Test
  void anAdmissionTheServerMadeButTheSocketNeverShowedIsLost() {
    SocketWatch w = waitingSince(10_000, false);
    w.onText(10_500, ticket("waiting", 10_450));
    assertTrue(w.waitingAtEnd());
    w.endStatus("admitted");
    assertTrue(w.admitted());
    assertTrue(w.admissionFailed());
    assertEquals(1, figures.pushLost.sum());
  }

  @Test
  void someoneStillWaitingAtTheEndIsNotAdmittedAndNotJudgedOnTheAdmission() {
    SocketWatch w = waitingSince(10_000, false);
    w.endStatus("waiting");
    assertFalse(w.admitted());
    assertFalse(w.waited());
    assertEquals(1, figures.notAdmitted.sum());
  }

  @Test
  void anAdmissionAlreadyInTheSnapshotIsNotTimedButItsTokenMustFollow() {
    SocketWatch w = new SocketWatch("admitted", 10_000, BOUND, true, figures);
    assertTrue(w.watching());
    w.onText(19_000, "{\"type\":\"admitted\",\"seq\":2}");
    assertFalse(w.watching());
    assertFalse(w.admissionFailed());
    assertFalse(w.waited());
    assertEquals(0, figures.token.count());
    assertEquals(1, figures.admittedAtConnect.sum());
  }
}
