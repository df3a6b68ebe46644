package dev.virtualqueue.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualqueue.webhook.RetryPlan.Decision;
import dev.virtualqueue.webhook.RetryPlan.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The retry schedule, its jitter, Retry-After, and when an endpoint is disabled. */
class RetryPlanTest {
  private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final List<Duration> SCHEDULE = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
      Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));

  @Test
  void withoutJitterTheStepsAre5s5m30m2h5h10h10hThenDead() {
    RetryPlan plan = new RetryPlan(CLOCK, fixed(0.5));
    for (int attempt = 1; attempt <= 7; attempt++) {
      assertThat(plan.afterFailure(attempt, Outcome.status(500), null))
          .isEqualTo(new Decision.Retry(NOW.plus(SCHEDULE.get(attempt - 1))));
    }
    assertThat(plan.afterFailure(8, Outcome.noResponse(), null)).isInstanceOf(Decision.Dead.class);
    assertThat(RetryPlan.MAX_ATTEMPTS).isEqualTo(8);
  }

  @Test
  void jitterStaysWithinTenPercentAndSpreads() {
    RetryPlan low = new RetryPlan(CLOCK, fixed(0.0));
    RetryPlan high = new RetryPlan(CLOCK, fixed(0.999999));
    assertThat(delay(low.afterFailure(2, Outcome.status(500), null))).isEqualTo(Duration.ofSeconds(270));
    assertThat(delay(high.afterFailure(2, Outcome.status(500), null))).isBetween(Duration.ofSeconds(329),
        Duration.ofSeconds(330));
    RetryPlan real = new RetryPlan(CLOCK, new Random(7));
    long distinct = IntStream.range(0, 50)
        .mapToObj(i -> delay(real.afterFailure(4, Outcome.status(502), null)))
        .peek(d -> assertThat(d).isBetween(Duration.ofMinutes(108), Duration.ofMinutes(132)))
        .distinct().count();
    assertThat(distinct).isGreaterThan(40);
  }

  @Test
  void retryAfterOn429And503CanOnlyLengthenTheWaitUpToADay() {
    RetryPlan plan = new RetryPlan(CLOCK, fixed(0.5));
    assertThat(delay(plan.afterFailure(1, new Outcome(429, "120"), null))).isEqualTo(Duration.ofMinutes(2));
    assertThat(delay(plan.afterFailure(3, new Outcome(503, "1"), null))).as("never shorter than the plan")
        .isEqualTo(Duration.ofMinutes(30));
    assertThat(delay(plan.afterFailure(1, new Outcome(503, "Mon, 02 Mar 2026 11:00:00 GMT"), null)))
        .isEqualTo(Duration.ofHours(1));
    assertThat(delay(plan.afterFailure(1, new Outcome(429, "999999"), null))).isEqualTo(Duration.ofHours(24));
    assertThat(delay(plan.afterFailure(1, new Outcome(429, "soon"), null))).isEqualTo(Duration.ofSeconds(5));
    assertThat(delay(plan.afterFailure(1, new Outcome(500, "600"), null))).as("only on 429/503")
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void retryAfterReadsSecondsAndTheThreeHttpDateForms() {
    assertThat(RetryAfter.parse(" 30 ", NOW)).contains(Duration.ofSeconds(30));
    assertThat(RetryAfter.parse("Mon, 02 Mar 2026 10:10:00 GMT", NOW)).contains(Duration.ofMinutes(10));
    assertThat(RetryAfter.parse("Monday, 02-Mar-26 10:10:00 GMT", NOW)).contains(Duration.ofMinutes(10));
    assertThat(RetryAfter.parse("Mon Mar  2 10:10:00 2026", NOW)).contains(Duration.ofMinutes(10));
    assertThat(RetryAfter.parse("Sun, 01 Mar 2026 10:00:00 GMT", NOW)).as("past").contains(Duration.ZERO);
    assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
    assertThat(RetryAfter.parse("1.5", NOW)).isEmpty();
    assertThat(RetryAfter.parse("", NOW)).isEmpty();
    assertThat(RetryAfter.parse(null, NOW)).isEmpty();
  }

  @Test
  void goneDisablesTheEndpointAtOnce() {
    RetryPlan plan = new RetryPlan(CLOCK, fixed(0.5));
    assertThat(plan.afterFailure(1, Outcome.status(410), null)).isEqualTo(new Decision.DisableEndpoint("gone"));
  }

  @Test
  void fiveDaysOfFailuresDisableTheEndpoint() {
    RetryPlan plan = new RetryPlan(CLOCK, fixed(0.5));
    Instant justUnder = NOW.minus(Duration.ofDays(5)).plusSeconds(1);
    assertThat(plan.afterFailure(3, Outcome.status(500), justUnder)).isInstanceOf(Decision.Retry.class);
    assertThat(plan.afterFailure(3, Outcome.status(500), NOW.minus(Duration.ofDays(5))))
        .isEqualTo(new Decision.DisableEndpoint("failing"));
  }

  @Test
  void redirectsAndClientErrorsOtherThan410AreRetried() {
    RetryPlan plan = new RetryPlan(CLOCK, fixed(0.5));
    for (int status : new int[] {301, 302, 400, 401, 404, 413}) {
      assertThat(plan.afterFailure(1, Outcome.status(status), null)).as("" + status)
          .isInstanceOf(Decision.Retry.class);
    }
  }

  @Test
  void aDeliveryIsNotAFailure() {
    RetryPlan plan = new RetryPlan(CLOCK, fixed(0.5));
    assertThatThrownBy(() -> plan.afterFailure(1, Outcome.status(204), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> plan.afterFailure(0, Outcome.status(500), null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Duration delay(Decision d) {
    return Duration.between(NOW, ((Decision.Retry) d).at());
  }

  private static RandomGenerator fixed(double value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public double nextDouble() {
        return value;
      }
    };
  }
}
