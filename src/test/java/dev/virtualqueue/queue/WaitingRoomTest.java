package dev.virtualqueue.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualqueue.common.ApiException;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Waiting-room settings: defaults, merging on update, and a clear 400 naming the field for each bad value. */
class WaitingRoomTest {
  private static final UUID QUEUE = UUID.fromString("00000000-0000-0000-0000-000000000001");

  private static WaitingRoom req(Integer rate, Integer cap, String method) {
    return new WaitingRoom(rate, cap, null, null, null, method, null, null, null, null, null);
  }

  @Test
  void defaultsAdmitSixtyAMinuteForTenMinutes() {
    WaitingRoom d = WaitingRoom.defaults(QUEUE);
    assertThat(d.newUsersPerMinute()).isEqualTo(60);
    assertThat(d.maxActiveUsers()).isNull();
    assertThat(d.sessionSeconds()).isEqualTo(600);
    assertThat(d.maxSessionSeconds()).isEqualTo(600);
    assertThat(d.queueingMethod()).isEqualTo("fifo");
    assertThat(d.audience()).isEqualTo("urn:virtual-queue:queue:" + QUEUE);
    assertThat(d.queueAll()).isFalse();
  }

  @Test
  void anUpdateKeepsWhatItDoesNotName() {
    WaitingRoom base = req(100, 50, "fifo").validated(null, QUEUE);
    WaitingRoom changed = new WaitingRoom(null, null, null, null, null, null, null, null, null, null, true)
        .validated(base, QUEUE);
    assertThat(changed.newUsersPerMinute()).isEqualTo(100);
    assertThat(changed.maxActiveUsers()).isEqualTo(50);
    assertThat(changed.queueAll()).isTrue();
    WaitingRoom lifted = req(0, null, null).validated(base, QUEUE);
    assertThat(lifted.newUsersPerMinute()).as("0 lifts the rate").isNull();
    assertThat(lifted.maxActiveUsers()).isEqualTo(50);
  }

  @Test
  void renewalDefaultsToFourSessions() {
    WaitingRoom r = new WaitingRoom(null, null, 300, true, null, null, null, null, null, null, null)
        .validated(null, QUEUE);
    assertThat(r.maxSessionSeconds()).isEqualTo(1200);
  }

  @Test
  void badValuesAreRefusedByName() {
    assertThatThrownBy(() -> req(-1, null, null).validated(null, QUEUE)).isInstanceOf(ApiException.class)
        .hasMessageContaining("waitingRoom.newUsersPerMinute");
    assertThatThrownBy(() -> req(null, null, "lottery").validated(null, QUEUE))
        .hasMessageContaining("waitingRoom.queueingMethod");
    assertThatThrownBy(() -> new WaitingRoom(null, null, 30, null, null, null, null, null, null, null, null)
        .validated(null, QUEUE)).hasMessageContaining("waitingRoom.sessionSeconds");
    assertThatThrownBy(() -> new WaitingRoom(null, null, 600, null, 300, null, null, null, null, null, null)
        .validated(null, QUEUE)).hasMessageContaining("waitingRoom.maxSessionSeconds");
    assertThatThrownBy(() -> new WaitingRoom(null, null, null, null, null, null, null, "javascript:alert(1)", null,
        null, null).validated(null, QUEUE)).hasMessageContaining("waitingRoom.targetUrl");
    assertThatThrownBy(() -> new WaitingRoom(null, null, null, null, null, null, null, "https://x.example/#frag",
        null, null, null).validated(null, QUEUE)).hasMessageContaining("waitingRoom.targetUrl");
    Instant t = Instant.parse("2027-01-01T10:00:00Z");
    assertThatThrownBy(() -> new WaitingRoom(null, null, null, null, null, null, null, null, t, null, null)
        .validated(null, QUEUE)).hasMessageContaining("waitingRoom.opensAt");
    assertThatThrownBy(() -> new WaitingRoom(null, null, null, null, null, null, null, null, t, t, null)
        .validated(null, QUEUE)).hasMessageContaining("waitingRoom.prequeueOpensAt");
    WaitingRoom base = req(100, null, null).validated(null, QUEUE);
    assertThatThrownBy(() -> req(0, null, null).validated(base, QUEUE)).as("a fifo room needs a rate or a cap")
        .hasMessageContaining("newUsersPerMinute or waitingRoom.maxActiveUsers");
  }

  @Test
  void joinsAreRefusedBeforeTheOpeningAndWhenRejecting() {
    Instant pre = Instant.parse("2027-01-01T09:00:00Z");
    Instant opens = Instant.parse("2027-01-01T10:00:00Z");
    WaitingRoom r = new WaitingRoom(null, null, null, null, null, null, null, null, pre, opens, null)
        .validated(null, QUEUE);
    assertThat(r.joinRefusal(pre.minusSeconds(1)).code()).isEqualTo("waiting_room.not_open");
    assertThat(r.joinRefusal(pre)).isNull();
    assertThat(r.holding(pre)).as("the pre-queue waits for the opening").isTrue();
    assertThat(r.holding(opens)).isFalse();
    assertThat(req(null, null, "reject").validated(null, QUEUE).joinRefusal(opens).code())
        .isEqualTo("waiting_room.closed");
  }
}
