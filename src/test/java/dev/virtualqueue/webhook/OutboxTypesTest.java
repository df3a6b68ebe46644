package dev.virtualqueue.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.events.DomainEvent;
import dev.virtualqueue.events.Outbox;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The outbox writer names event types as text (it sits below the webhook package), so every name
 * it can write must be one a webhook can subscribe to, and every subscribable type must be written
 * by somebody (except the route-made {@code webhook.test}, which is not in {@link WebhookEvent}).
 */
class OutboxTypesTest {
  @Test
  void theWriterAndTheSubscriptionsNameTheSameTypes() {
    List<String> written = new ArrayList<>();
    for (DomainEvent.Kind kind : DomainEvent.Kind.values()) {
      if (kind.ofTicket()) {
        written.add(Outbox.ticketType(kind));
      }
    }
    for (String status : List.of("open", "paused", "closed")) {
      written.add(Outbox.queueStatusType(status));
    }
    written.addAll(List.of(Outbox.QUEUE_UPDATED, Outbox.counterType("open"), Outbox.counterType("closed")));
    assertThat(written).allSatisfy(type -> assertThat(WebhookEvent.fromWire(type)).as(type).isPresent());
    assertThat(written).containsAll(Arrays.stream(WebhookEvent.values()).map(WebhookEvent::wireName).toList());
  }
}
