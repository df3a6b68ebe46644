package dev.virtualqueue.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualqueue.common.ApiException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every (state, action) pair: the legal ones reach the expected state, all others are a 409. */
class TicketActionTest {
  private static final Map<TicketAction, Set<TicketStatus>> LEGAL = Map.of(
      TicketAction.CALL, EnumSet.of(TicketStatus.WAITING),
      TicketAction.RECALL, EnumSet.of(TicketStatus.CALLED),
      TicketAction.START, EnumSet.of(TicketStatus.CALLED),
      TicketAction.COMPLETE, EnumSet.of(TicketStatus.SERVING),
      TicketAction.NO_SHOW, EnumSet.of(TicketStatus.CALLED),
      TicketAction.LEAVE, EnumSet.of(TicketStatus.WAITING),
      TicketAction.EXPIRE, EnumSet.of(TicketStatus.WAITING),
      TicketAction.ADMIT, EnumSet.of(TicketStatus.WAITING),
      TicketAction.TRANSFER, EnumSet.of(TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING));
  private static final Map<TicketAction, TicketStatus> TARGET = Map.of(
      TicketAction.CALL, TicketStatus.CALLED, TicketAction.RECALL, TicketStatus.CALLED,
      TicketAction.START, TicketStatus.SERVING, TicketAction.COMPLETE, TicketStatus.SERVED,
      TicketAction.NO_SHOW, TicketStatus.NO_SHOW, TicketAction.LEAVE, TicketStatus.LEFT,
      TicketAction.EXPIRE, TicketStatus.EXPIRED, TicketAction.ADMIT, TicketStatus.ADMITTED,
      TicketAction.TRANSFER, TicketStatus.WAITING);

  @ParameterizedTest
  @EnumSource(TicketAction.class)
  void everyStateIsEitherLegalOrRefused(TicketAction action) {
    for (TicketStatus from : TicketStatus.values()) {
      if (LEGAL.get(action).contains(from)) {
        assertThat(action.apply(from)).as("%s from %s", action, from).isEqualTo(TARGET.get(action));
      } else {
        assertThatThrownBy(() -> action.apply(from)).as("%s from %s", action, from)
            .isInstanceOfSatisfying(ApiException.Conflict.class, e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.code()).isEqualTo("ticket.invalid_transition");
            });
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = TicketStatus.class, names = {"SERVED", "NO_SHOW", "LEFT", "EXPIRED", "ADMITTED"})
  void terminalStatesAcceptNoAction(TicketStatus terminal) {
    for (TicketAction action : TicketAction.values()) {
      assertThat(action.allowedFrom(terminal)).as("%s from %s", action, terminal).isFalse();
    }
  }
}
