package dev.virtualqueue.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.queue.Queue;
import dev.virtualqueue.queue.WaitingRoom;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EtaEstimatorTest {

  @Test
  void usesTheConfiguredGuessUntilEnoughSamples() {
    var eta = EtaEstimator.estimate(4, 2, new Queue.ServiceStats(30.0, 900.0, 2), 120);
    assertThat(eta.basis()).isEqualTo("configured");
    assertThat(eta.p50()).isEqualTo(240);
    assertThat(eta.p90()).isGreaterThan(eta.p50());
  }

  @Test
  void usesMeasuredServiceTimeAndScalesWithCounters() {
    var stats = new Queue.ServiceStats(60.0, 60.0 * 60.0 + 400.0, 20);
    var one = EtaEstimator.estimate(10, 1, stats, 300);
    var two = EtaEstimator.estimate(10, 2, stats, 300);
    assertThat(one.basis()).isEqualTo("measured");
    assertThat(one.p50()).isEqualTo(600);
    assertThat(two.p50()).isEqualTo(300);
    assertThat(two.p90()).isLessThan(one.p90());
  }

  @Test
  void noOpenCounterCountsAsOneAndRangeGrowsWithPosition() {
    var stats = new Queue.ServiceStats(60.0, 3700.0, 20);
    var near = EtaEstimator.estimate(1, 0, stats, 300);
    var far = EtaEstimator.estimate(50, 0, stats, 300);
    assertThat(near.p50()).isEqualTo(60);
    assertThat(far.p90() - far.p50()).isGreaterThan(near.p90() - near.p50());
  }

  private static WaitingRoom room(Integer rate, Integer cap, Integer session, Instant opens, Boolean all) {
    return new WaitingRoom(rate, cap, session, null, null, null, null, null, null, opens, all)
        .validated(null, UUID.randomUUID());
  }

  @Test
  void aWaitingRoomsWaitComesFromItsRateAndThePresentPeopleAhead() {
    Instant now = Instant.parse("2027-01-01T10:00:00Z");
    WaitingRoom sixty = room(60, null, null, null, null); // one a second
    var eta = EtaEstimator.waitingRoom(101, 60, sixty, now);
    assertThat(eta.p50()).as("only the 60 present ahead").isEqualTo(60);
    assertThat(eta.p90()).as("everyone ahead, then one slot").isEqualTo(101);
    assertThat(eta.basis()).isEqualTo("admission_rate");
    assertThat(EtaEstimator.waitingRoom(1, 0, sixty, now).p50()).as("next in line").isZero();
  }

  @Test
  void aCapTurnsOverOncePerSessionAtWorst() {
    Instant now = Instant.parse("2027-01-01T10:00:00Z");
    WaitingRoom capped = room(600, 10, 60, null, null); // 10 slots of 60 s: 1 every 6 s, slower than 10 a second
    assertThat(EtaEstimator.waitingRoom(11, 10, capped, now).p50()).isEqualTo(60);
  }

  @Test
  void beforeTheOpeningItWaitsForTheOpeningAndTheSwitchGivesNoEstimate() {
    Instant now = Instant.parse("2027-01-01T10:00:00Z");
    WaitingRoom later = room(60, null, null, now.plusSeconds(300), null);
    assertThat(EtaEstimator.waitingRoom(1, 0, later, now).p50()).isEqualTo(300);
    assertThat(EtaEstimator.waitingRoom(5, 4, room(60, null, null, null, true), now)).isNull();
    WaitingRoom through = new WaitingRoom(null, null, null, null, null, "passthrough", null, null, null, null, null)
        .validated(null, UUID.randomUUID());
    assertThat(EtaEstimator.waitingRoom(5, 4, through, now).p90()).isZero();
  }
}
