package dev.virtualqueue.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Event type names, subscription matching and the delivery body. */
class WebhookEventTest {
  /** The names issue 13 gives to integrators: the wire contract. */
  private static final List<String> CONTRACT = List.of("ticket.created", "ticket.called", "ticket.recalled",
      "ticket.serving", "ticket.served", "ticket.no_show", "ticket.left", "ticket.expired", "ticket.transferred",
      "ticket.admitted", "queue.updated", "queue.paused", "queue.resumed", "queue.closed", "counter.opened",
      "counter.closed");

  record View(String id, String code, String name, String token) {
  }

  @Test
  void theWireNamesAreExactlyTheContract() {
    assertThat(Arrays.stream(WebhookEvent.values()).map(WebhookEvent::wireName)).containsExactlyElementsOf(CONTRACT);
    for (String name : CONTRACT) {
      assertThat(WebhookEvent.fromWire(name)).map(WebhookEvent::wireName).contains(name);
    }
    assertThat(WebhookEvent.fromWire("Ticket.Called")).isEmpty();
    assertThat(WebhookEvent.fromWire("TICKET_CALLED")).isEmpty();
    assertThat(WebhookEvent.fromWire(null)).isEmpty();
    assertThat(Json.writeString(WebhookEvent.TICKET_NO_SHOW)).isEqualTo("\"ticket.no_show\"");
  }

  @Test
  void theWildcardMatchesEveryType() {
    Subscription all = Subscription.parse(List.of("*"));
    assertThat(all.all()).isTrue();
    assertThat(WebhookEvent.values()).allMatch(all::matches);
    assertThat(all.wireNames()).containsExactly("*");
  }

  @Test
  void aListMatchesOnlyItsTypes() {
    Subscription s = Subscription.parse(List.of("queue.paused", "ticket.called", "ticket.called"));
    assertThat(s.matches(WebhookEvent.TICKET_CALLED)).isTrue();
    assertThat(s.matches(WebhookEvent.QUEUE_PAUSED)).isTrue();
    assertThat(s.matches(WebhookEvent.TICKET_CREATED)).isFalse();
    assertThat(s.matches(WebhookEvent.QUEUE_RESUMED)).isFalse();
    assertThat(s.wireNames()).containsExactly("ticket.called", "queue.paused");
    assertThat(Subscription.parse(CONTRACT).wireNames()).containsExactlyElementsOf(CONTRACT);
  }

  @Test
  void unknownEmptyOrMixedListsAreRefusedWithACode() {
    assertCode(List.of("ticket.caled"), Subscription.UNKNOWN);
    assertCode(List.of("ticket.called", "ticket.*"), Subscription.UNKNOWN);
    assertCode(List.of("TICKET.CALLED"), Subscription.UNKNOWN);
    assertCode(List.of(""), Subscription.UNKNOWN);
    List<String> withNull = new ArrayList<>();
    withNull.add(null);
    assertCode(withNull, Subscription.UNKNOWN);
    assertCode(List.of(), Subscription.REQUIRED);
    assertCode(null, Subscription.REQUIRED);
    assertCode(List.of("*", "ticket.called"), Subscription.INVALID);
    assertThatThrownBy(() -> Subscription.parse(List.of("bad\nname"))).hasMessageContaining("bad?name")
        .hasMessageNotContaining("\n");
  }

  @Test
  void theBodyIsTypeTimestampData() throws Exception {
    Instant at = Instant.parse("2026-03-02T10:00:00.123456Z");
    String body = WebhookPayload.body(WebhookEvent.TICKET_CALLED, at, new View("t1", "A042", "Zoë \"<b>\"", null));
    assertThat(body).startsWith("{\"type\":\"ticket.called\",\"timestamp\":\"2026-03-02T10:00:00.123456Z\",\"data\":{");
    JsonNode tree = Json.MAPPER.readTree(body);
    assertThat(tree.fieldNames()).toIterable().containsExactly("type", "timestamp", "data");
    assertThat(tree.at("/data/code").asText()).isEqualTo("A042");
    assertThat(tree.at("/data/name").asText()).isEqualTo("Zoë \"<b>\"");
  }

  @Test
  void aTicketTokenNeverLeavesInTheBody() throws Exception {
    String body = WebhookPayload.body(WebhookEvent.TICKET_CREATED, Instant.now(),
        new View("t1", "A001", "x", "s3cr3t-token"));
    assertThat(body).doesNotContain("s3cr3t-token").doesNotContain("\"token\"");
    assertThat(Json.MAPPER.readTree(WebhookPayload.body(WebhookEvent.QUEUE_PAUSED, Instant.now(), null))
        .get("data").isObject()).isTrue();
  }

  @Test
  void theMessageIdIsStablePerEvent() {
    UUID id = UUID.fromString("0b9e6f2c-1d2e-4f3a-8b4c-5d6e7f8a9b0c");
    assertThat(WebhookPayload.messageId(id)).isEqualTo("msg_0b9e6f2c1d2e4f3a8b4c5d6e7f8a9b0c")
        .isEqualTo(WebhookPayload.messageId(UUID.fromString(id.toString())));
  }

  private static void assertCode(List<String> names, String code) {
    assertThatThrownBy(() -> Subscription.parse(names)).as(String.valueOf(names))
        .isInstanceOfSatisfying(ApiException.BadRequest.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
