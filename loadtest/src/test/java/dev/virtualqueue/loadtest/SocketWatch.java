package dev.virtualqueue.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * What one person's ticket socket showed while they waited in a waiting room, judged message by
 * message from the time Gatling received each one and the {@code changedAt} it carries (the commit
 * time of the newest change it reflects):
 * <ul>
 *   <li>the admission (the ticket turning {@code admitted}, and the {@code admitted} message with
 *       the access token when the server sends one) must arrive within the bound of its commit;</li>
 *   <li>each waiting update (and the admission's status message) must arrive within the bound of
 *       its own {@code changedAt}: the freshness measure of the live benchmark and of
 *       {@code vq_ws_push_latency_seconds}.</li>
 * </ul>
 * Besides, for the figures only, each view's replacement is kept (the previous message's
 * {@code changedAt}, this one's receipt), so {@link RoomFigures} can tell at the end how stale each
 * view really got: from the first admission after it until the message that replaced it.
 * One per virtual user, used by that user only; the figures of all of them go to {@link RoomFigures}.
 */
public final class SocketWatch {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final long boundMillis;
  private final boolean tokenExpected;
  private final RoomFigures figures;
  private final boolean admittedAtConnect;
  /** This socket's number among all of the run (for the per-socket figures). */
  private final int socket;
  /** {@code changedAt} of the view on screen. */
  private long shownAt;
  /** Commit time of the admission the socket showed; -1 while waiting. */
  private long admittedAt = -1;
  private boolean token;
  private boolean late;
  private boolean stale;
  private boolean waited;
  private boolean lost;
  /** A status that ends the wait otherwise (expired, left); null while none. */
  private String other;

  /** From the connect snapshot: its status ({@code waiting} or {@code admitted}) and {@code changedAt}. */
  public SocketWatch(String snapshotStatus, long snapshotChangedAt, long boundMillis, boolean tokenExpected,
                     RoomFigures figures) {
    this.boundMillis = boundMillis;
    this.tokenExpected = tokenExpected;
    this.figures = figures;
    this.shownAt = snapshotChangedAt;
    this.admittedAtConnect = "admitted".equals(snapshotStatus);
    this.socket = figures.newSocket();
    if (admittedAtConnect) {
      admittedAt = snapshotChangedAt;
      figures.admittedAtConnect.increment();
      figures.admitted(snapshotChangedAt); // the snapshot's time: a little after the commit
    }
  }

  /** A message Gatling received at {@code receivedAt} (epoch ms). */
  public void onText(long receivedAt, String text) {
    JsonNode m;
    try {
      m = JSON.readTree(text);
    } catch (IOException e) {
      figures.unreadable.increment();
      return;
    }
    String type = m.path("type").asText();
    if ("ticket".equals(type)) {
      onTicket(receivedAt, m.path("status").asText(), m.path("changedAt").asLong());
    } else if ("admitted".equals(type) && !token) {
      token = true;
      if (!admittedAtConnect && admittedAt >= 0) {
        judgeAdmission(figures.token, receivedAt - admittedAt);
      }
    }
  }

  private void onTicket(long receivedAt, String status, long changedAt) {
    if (admittedAt >= 0 || other != null) {
      return; // the wait is over: nothing after it is judged
    }
    figures.replaced(socket, shownAt, receivedAt);
    shownAt = changedAt;
    waited = true;
    stale |= receivedAt - changedAt > boundMillis;
    if ("waiting".equals(status)) {
      figures.update.add(receivedAt - changedAt);
    } else if ("admitted".equals(status)) {
      admittedAt = changedAt;
      figures.admitted(changedAt);
      judgeAdmission(figures.admission, receivedAt - changedAt);
    } else {
      other = status;
      figures.otherEnd.increment();
    }
  }

  private void judgeAdmission(Lags lags, long delay) {
    lags.add(delay);
    late |= delay > boundMillis;
  }

  /** Still waiting for the admission, or for its token. */
  public boolean watching() {
    if (other != null || lost) {
      return false;
    }
    return admittedAt < 0 || tokenExpected && !token;
  }

  /** Never told of an admission (the run ended first): whether the server admitted them is read apart. */
  public boolean waitingAtEnd() {
    return admittedAt < 0 && other == null;
  }

  /** The server says {@code status} at the end of a wait this socket never saw end. */
  public void endStatus(String status) {
    if ("admitted".equals(status)) {
      lost = true;
      figures.pushLost.increment();
    } else if ("waiting".equals(status)) {
      figures.notAdmitted.increment();
    } else {
      figures.otherEnd.increment();
    }
  }

  /** Admitted (as the socket showed, or as the server says for a push that never came). */
  public boolean admitted() {
    return admittedAt >= 0 || lost;
  }

  /**
   * The admission reached the socket late, never, or without its token. An admission already in
   * the connect snapshot (the socket opened after it) is not timed, but its token must follow.
   */
  public boolean admissionFailed() {
    boolean tokenMissing = tokenExpected && admittedAt >= 0 && !token;
    if (tokenMissing) {
      figures.tokenMissing.increment();
    }
    if (late) {
      figures.lateAdmissions.increment();
    }
    return late || lost || tokenMissing;
  }

  /** The socket showed at least one push while it waited (so its freshness was judged). */
  public boolean waited() {
    return waited;
  }

  /** Some message this socket got while waiting came later than the bound after its {@code changedAt}. */
  public boolean staleView() {
    if (stale) {
      figures.staleSockets.increment();
    }
    return stale;
  }
}
