package dev.virtualqueue.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.virtualqueue.common.Json;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * The body of a webhook delivery, {@code {"type", "timestamp", "data"}} (Standard Webhooks), and its
 * message id. The body is built once, when the event is stored, and the very same bytes are signed
 * and sent on every attempt.
 */
public final class WebhookPayload {
  /** Members never sent in {@code data}, whatever view a caller passes (a ticket's own token). */
  private static final String[] WITHHELD = {"token"};

  private WebhookPayload() {
  }

  /**
   * The JSON body: {@code type} is the wire name, {@code timestamp} when the event happened (ISO
   * 8601, UTC), {@code data} the serialised view (e.g. a ticket view, which must already be the
   * tenant's own data; a {@code token} member is dropped).
   */
  public static String body(WebhookEvent type, Instant timestamp, Object data) {
    return body(type.wireName(), timestamp, data);
  }

  /** {@link #body(WebhookEvent, Instant, Object)} for a type outside the subscribable ones ({@code webhook.test}). */
  static String body(String type, Instant timestamp, Object data) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("type", type);
    root.put("timestamp", timestamp.toString());
    JsonNode tree = Json.MAPPER.valueToTree(data);
    if (tree instanceof ObjectNode obj) {
      for (String member : WITHHELD) {
        obj.remove(member);
      }
    }
    root.set("data", tree == null || tree.isNull() ? Json.MAPPER.createObjectNode() : tree);
    try {
      return Json.MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a webhook body", e);
    }
  }

  /**
   * The {@code webhook-id} of an event: stable across retries, so it is the receiver's
   * idempotency key. {@code msg_} and the event id's 32 hex digits.
   */
  public static String messageId(UUID eventId) {
    return "msg_" + eventId.toString().replace("-", "").toLowerCase(Locale.ROOT);
  }
}
