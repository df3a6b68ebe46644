package dev.virtualqueue.queue;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Validate;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.UUID;

/**
 * The settings of a waiting room (a queue with {@code mode: "waiting_room"}): how fast and how many
 * people are let into the protected site, for how long, in which order, and when it opens.
 *
 * <p>On update, a field left out keeps its value; 0 lifts a rate or a cap.
 * <ul>
 *   <li>{@code newUsersPerMinute}: the admission rate, spread evenly over the minute; none: no rate limit.</li>
 *   <li>{@code maxActiveUsers}: at most this many admitted sessions active at once; none: no cap.
 *       {@code fifo} and {@code random} need at least one of the two.</li>
 *   <li>{@code sessionSeconds} (60–1800, default 600): how long an admitted session lasts; an
 *       access token expires with it. {@code renewOnActivity}: a verification of the token by the
 *       site, or a renewal, extends it by {@code sessionSeconds}, up to {@code maxSessionSeconds}
 *       after admission (default: {@code sessionSeconds}, or 4 times it with renewal on).</li>
 *   <li>{@code queueingMethod}: {@code fifo} (default), {@code random}, {@code passthrough} (admit
 *       at once while under the limits) or {@code reject} (closed: joins get a "come back later").</li>
 *   <li>{@code audience}: the {@code aud} of the access tokens, the protected site's identifier
 *       (default {@code urn:virtual-queue:queue:<queue id>}). {@code targetUrl}: where an admitted
 *       person is sent (http or https).</li>
 *   <li>{@code prequeueOpensAt} and {@code opensAt}: before {@code opensAt} nobody is admitted; joins
 *       before {@code prequeueOpensAt} (or before {@code opensAt} when there is no pre-queue) are
 *       refused. People who join the pre-queue are put in a verifiable random order at
 *       {@code opensAt}; later arrivals queue behind them in order of arrival.</li>
 *   <li>{@code queueAll}: the emergency switch: everyone waits, nobody is admitted.</li>
 * </ul>
 */
public record WaitingRoom(Integer newUsersPerMinute, Integer maxActiveUsers, Integer sessionSeconds,
                          Boolean renewOnActivity, Integer maxSessionSeconds, String queueingMethod,
                          String audience, String targetUrl, Instant prequeueOpensAt, Instant opensAt,
                          Boolean queueAll) {
  public static final String FIFO = "fifo";
  public static final String RANDOM = "random";
  public static final String PASSTHROUGH = "passthrough";
  public static final String REJECT = "reject";
  /** Admission rate of a waiting room created without settings. */
  public static final int DEFAULT_RATE = 60;
  public static final int DEFAULT_SESSION_SECONDS = 600;
  public static final int MAX_RATE = 600_000;

  /** The settings of a new waiting room that named none. */
  public static WaitingRoom defaults(UUID queueId) {
    return new WaitingRoom(null, null, null, null, null, null, null, null, null, null, null).validated(null, queueId);
  }

  /**
   * This request's fields over {@code base} (null: a new room), checked and with defaults filled in;
   * 400 with the field named on any problem.
   */
  public WaitingRoom validated(WaitingRoom base, UUID queueId) {
    String method = Validate.oneOf("waitingRoom.queueingMethod", queueingMethod,
        base != null ? base.queueingMethod() : FIFO, FIFO, RANDOM, PASSTHROUGH, REJECT);
    Integer[] limits = limits(base, method);
    Integer rate = limits[0];
    Integer cap = limits[1];
    int session = Validate.range("waitingRoom.sessionSeconds", sessionSeconds, 60, 1800,
        base != null ? base.sessionSeconds() : DEFAULT_SESSION_SECONDS);
    boolean renew = renewOnActivity != null ? renewOnActivity : base != null && base.renewOnActivity();
    int defaultMax = renew ? session * 4 : session;
    if (base != null && maxSessionSeconds == null && sessionSeconds == null && renewOnActivity == null) {
      defaultMax = base.maxSessionSeconds();
    }
    int maxSession = Validate.range("waitingRoom.maxSessionSeconds", maxSessionSeconds, 60, 86_400, defaultMax);
    if (maxSession < session) {
      throw new ApiException.BadRequest("request.out_of_range",
          "Field 'waitingRoom.maxSessionSeconds' must be at least waitingRoom.sessionSeconds (" + session + ").");
    }
    String aud = audience != null ? Validate.text("waitingRoom.audience", audience, 200, true)
        : base != null ? base.audience() : "urn:virtual-queue:queue:" + queueId;
    String target = targetUrl != null ? checkUrl(targetUrl) : base != null ? base.targetUrl() : null;
    Instant pre = prequeueOpensAt != null ? prequeueOpensAt : base != null ? base.prequeueOpensAt() : null;
    Instant opens = opensAt != null ? opensAt : base != null ? base.opensAt() : null;
    checkSchedule(pre, opens);
    boolean all = queueAll != null ? queueAll : base != null && base.queueAll();
    return new WaitingRoom(rate, cap, session, renew, maxSession, method, aud, target, pre, opens, all);
  }

  /** The rate and the cap: this request's over {@code base}'s; a fifo or random room needs one. */
  private Integer[] limits(WaitingRoom base, String method) {
    Integer rate = newUsersPerMinute != null
        ? limit(Validate.range("waitingRoom.newUsersPerMinute", newUsersPerMinute, 0, MAX_RATE, 0))
        : base != null ? base.newUsersPerMinute() : null;
    Integer cap = maxActiveUsers != null
        ? limit(Validate.range("waitingRoom.maxActiveUsers", maxActiveUsers, 0, 10_000_000, 0))
        : base != null ? base.maxActiveUsers() : null;
    if (rate == null && cap == null && (FIFO.equals(method) || RANDOM.equals(method))) {
      if (base == null && newUsersPerMinute == null && maxActiveUsers == null) {
        rate = DEFAULT_RATE;
      } else {
        throw new ApiException.BadRequest("request.invalid_value",
            "A " + method + " waiting room needs waitingRoom.newUsersPerMinute or waitingRoom.maxActiveUsers.");
      }
    }
    return new Integer[] {rate, cap};
  }

  private static void checkSchedule(Instant pre, Instant opens) {
    if (pre != null && opens == null) {
      throw new ApiException.BadRequest("request.missing_field",
          "Field 'waitingRoom.opensAt' is required with waitingRoom.prequeueOpensAt.");
    }
    if (pre != null && !pre.isBefore(opens)) {
      throw new ApiException.BadRequest("request.invalid_value",
          "Field 'waitingRoom.prequeueOpensAt' must be before waitingRoom.opensAt.");
    }
  }

  /** 0 lifts a limit (on update, where a missing field keeps the old value). */
  private static Integer limit(int value) {
    return value == 0 ? null : value;
  }

  private static String checkUrl(String url) {
    String v = Validate.text("waitingRoom.targetUrl", url, 2000, true);
    try {
      URI u = new URI(v);
      if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
          && u.getRawFragment() == null) {
        return v;
      }
    } catch (URISyntaxException e) {
      // the answer below
    }
    throw new ApiException.BadRequest("request.invalid_format",
        "Field 'waitingRoom.targetUrl' must be an absolute http or https URL without a fragment.");
  }

  /** Whether nobody may be admitted at {@code now}: the emergency switch, or before the opening. */
  public boolean holding(Instant now) {
    return Boolean.TRUE.equals(queueAll) || (opensAt != null && now.isBefore(opensAt));
  }

  /** Whether the room has a pre-queue whose order is drawn at {@code opensAt}. */
  public boolean hasPrequeue() {
    return prequeueOpensAt != null;
  }

  /** Why a join is refused at {@code now}: the room is closed ({@code reject}) or not open yet; null: it takes joins. */
  public ApiException joinRefusal(Instant now) {
    if (REJECT.equals(queueingMethod)) {
      return new ApiException.Conflict("waiting_room.closed",
          "The waiting room is not letting anyone in now. Please come back later.");
    }
    Instant from = prequeueOpensAt != null ? prequeueOpensAt : opensAt;
    if (from != null && now.isBefore(from)) {
      return new ApiException.Conflict("waiting_room.not_open", "The waiting room opens at " + from + ".");
    }
    return null;
  }

  public boolean passthrough() {
    return PASSTHROUGH.equals(queueingMethod);
  }

  public boolean random() {
    return RANDOM.equals(queueingMethod);
  }

  public boolean renews() {
    return Boolean.TRUE.equals(renewOnActivity);
  }
}
