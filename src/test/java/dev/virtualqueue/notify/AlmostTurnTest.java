package dev.virtualqueue.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.notify.AlmostTurn.Trigger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** "Almost your turn": people ahead or ETA, whichever first, and once. */
class AlmostTurnTest {

  @Test
  void peopleAheadAtOrBelowTheThresholdTrigger() {
    assertThat(AlmostTurn.due(false, 4, null, 3, null)).isEmpty();
    assertThat(AlmostTurn.due(false, 3, null, 3, null)).contains(Trigger.AHEAD);
    assertThat(AlmostTurn.due(false, 0, null, 3, null)).contains(Trigger.AHEAD);
    assertThat(AlmostTurn.due(false, 0, null, 0, null)).contains(Trigger.AHEAD);
  }

  @Test
  void anEtaAtOrBelowTheMinutesTriggers() {
    assertThat(AlmostTurn.due(false, 20, Duration.ofMinutes(11), null, 10)).isEmpty();
    assertThat(AlmostTurn.due(false, 20, Duration.ofMinutes(10), null, 10)).contains(Trigger.ETA);
    assertThat(AlmostTurn.due(false, 20, Duration.ofSeconds(30), null, 10)).contains(Trigger.ETA);
    assertThat(AlmostTurn.due(false, 20, null, null, 10)).as("no estimate yet").isEmpty();
  }

  @Test
  void whicheverComesFirst() {
    // many people ahead but a short wait (several counters): the ETA fires first
    assertThat(AlmostTurn.due(false, 12, Duration.ofMinutes(4), 3, 5)).contains(Trigger.ETA);
    // few ahead but a long wait (slow service): the count fires first
    assertThat(AlmostTurn.due(false, 2, Duration.ofMinutes(40), 3, 5)).contains(Trigger.AHEAD);
    assertThat(AlmostTurn.due(false, 12, Duration.ofMinutes(40), 3, 5)).isEmpty();
  }

  @Test
  void onlyOnceAndNeverWhenBothThresholdsAreOff() {
    assertThat(AlmostTurn.due(true, 0, Duration.ZERO, 3, 5)).isEmpty();
    assertThat(AlmostTurn.due(false, 0, Duration.ZERO, null, null)).isEmpty();
    assertThat(AlmostTurn.due(false, -1, null, 3, null)).as("not in line").isEmpty();
  }
}
