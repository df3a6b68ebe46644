package dev.virtualqueue.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.db.Database;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The statements of every ticket change stay within the length the Postgres client keeps prepared
 * (past it, each join was parsed and planned again, and joins/s halved), and each variant carries
 * exactly the outbox CTEs it is chosen for.
 */
class TicketSqlTest {
  @Test
  void joinAndTransitionAreKeptPrepared() {
    String longest = TicketRepository.INSERT.get(TicketRepository.variant(true, true));
    assertThat(longest.length()).as("longer than the client's default limit (why the limit is raised)")
        .isGreaterThan(2_048).isLessThan(Database.PREPARED_SQL_LIMIT);
    assertThat(TicketRepository.TRANSITION.get(TicketRepository.variant(true, true)).length())
        .isLessThan(Database.PREPARED_SQL_LIMIT);
  }

  @Test
  void eachVariantCarriesOnlyItsCtes() {
    for (List<String> statements : List.of(TicketRepository.INSERT, TicketRepository.TRANSITION)) {
      for (boolean webhook : new boolean[] {false, true}) {
        for (boolean mail : new boolean[] {false, true}) {
          String sql = statements.get(TicketRepository.variant(webhook, mail));
          assertThat(sql.contains("o_webhook")).as("webhook CTE, variant %s/%s", webhook, mail).isEqualTo(webhook);
          assertThat(sql.contains("o_mail")).as("mail CTE, variant %s/%s", webhook, mail).isEqualTo(mail);
          assertThat(sql.contains("INTO outbox")).isEqualTo(webhook || mail);
        }
      }
    }
    assertThat(TicketRepository.INSERT.get(0)).as("no outbox: no type parameter").doesNotContain("$18");
    assertThat(TicketRepository.TRANSITION.get(0)).doesNotContain("$21");
  }
}
