package dev.virtualqueue.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.db.Database;
import org.junit.jupiter.api.Test;

/**
 * The two statements of every ticket change stay within the length the Postgres client keeps
 * prepared: past it, each join was parsed and planned again, and joins/s halved.
 */
class TicketSqlTest {
  @Test
  void joinAndTransitionAreKeptPrepared() {
    assertThat(TicketRepository.INSERT.length()).as("longer than the client's default limit (why the limit is raised)")
        .isGreaterThan(2_048).isLessThan(Database.PREPARED_SQL_LIMIT);
    assertThat(TicketRepository.TRANSITION.length()).isLessThan(Database.PREPARED_SQL_LIMIT);
    assertThat(TicketRepository.INSERT_NO_MAIL).doesNotContain("o_mail");
    assertThat(TicketRepository.INSERT).contains("o_webhook", "o_mail");
  }
}
