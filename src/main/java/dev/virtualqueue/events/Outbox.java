package dev.virtualqueue.events;

import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/**
 * The outbox rows of a change, as a CTE appended to the very statement that makes the change, so
 * the rows commit (or roll back) with it. A row is written per interested channel only:
 * <ul>
 *   <li>{@code webhook} when the tenant has an enabled endpoint subscribed to the type (or "*");</li>
 *   <li>{@code mail} (tickets only, when e-mail is on) when the holder gave an address, did not stop
 *       messages and the type is one they are told about; or when the change moved the line of a
 *       queue where somebody is still owed "almost your turn".</li>
 * </ul>
 * The drainers (the notification and webhook verticles) claim rows with {@code FOR UPDATE SKIP
 * LOCKED} and a lease, and delete a row once handled.
 */
public final class Outbox {
  /** Ticket types a holder gets a message for. */
  static final String MAIL_TYPES = "'{ticket.created,ticket.called,ticket.no_show,ticket.admitted}'";
  /** Ticket types that move others forward in the line they left. */
  private static final List<String> LINE_MOVES =
      List.of("ticket.called", "ticket.left", "ticket.expired", "ticket.transferred", "ticket.admitted");
  static final String LINE_TYPES = "'{" + String.join(",", LINE_MOVES) + "}'";

  private Outbox() {
  }

  /**
   * The outbox CTEs of a ticket change whose new row is CTE {@code from} (columns of
   * {@code tickets}), each preceded by a comma so it follows the statement's last CTE:
   * {@code <name>_webhook} with {@code withWebhook}, {@code <name>_mail} with {@code withMail}
   * (each an {@code INSERT INTO outbox} of at most one row), or nothing. Parameters from
   * {@code $first}: the type (when either CTE is there), then with {@code withMail} the queue whose
   * line moved (the old one for a transfer); bind them with {@link #ticketArgs}. The row's data is
   * {@link #TICKET_DATA}, read off the new row. Every CTE costs the statement, even one that inserts
   * nothing: leave the mail CTE out when it cannot write ({@link #mailPossible}) and the webhook CTE
   * when the tenant has no endpoint for the type ({@link WebhookInterest}).
   */
  public static String ticketCte(String name, String from, int first, boolean withWebhook, boolean withMail) {
    String type = "$" + first;
    String columns = " AS (INSERT INTO outbox (channel, tenant_id, queue_id, ticket_id, type, data) SELECT ";
    StringBuilder sql = new StringBuilder();
    if (withWebhook) {
      sql.append(", ").append(name).append("_webhook").append(columns).append("'webhook', x.tenant_id, x.queue_id, x.id, ")
          .append(type).append("::text, ").append(TICKET_DATA).append(" FROM ").append(from).append(" x WHERE ")
          .append(webhookWanted("x.tenant_id", type)).append(')');
    }
    if (withMail) {
      String lineQueue = "$" + (first + 1);
      sql.append(", ").append(name).append("_mail").append(columns).append("'mail', x.tenant_id, ").append(lineQueue)
          .append("::uuid, x.id, ").append(type).append("::text, ").append(TICKET_DATA).append(" FROM ").append(from)
          .append(" x WHERE (x.email IS NOT NULL AND NOT x.notify_stopped AND ").append(type).append("::text = ANY(")
          .append(MAIL_TYPES).append("::text[])) OR (").append(type).append("::text = ANY(").append(LINE_TYPES)
          .append("::text[]) AND EXISTS (SELECT 1 FROM tickets w WHERE w.queue_id = ").append(lineQueue)
          .append("::uuid AND w.status = 'waiting' AND w.almost_pending AND w.id <> x.id)))");
    }
    return sql.toString();
  }

  /**
   * Whether a ticket change of {@code type} can write a mail row: e-mail is on, and the holder gave
   * an address or the change moves a line (where somebody may be owed "almost your turn").
   */
  public static boolean mailPossible(boolean mailOn, String type, boolean hasEmail) {
    return mailOn && (hasEmail || LINE_MOVES.contains(type));
  }

  /**
   * A ticket's event data: its view without token, position or ETA (those are the holder's, and
   * change without an event), plus {@code sequence}, the ticket's version, which grows by one with
   * every change of that ticket: receivers order one ticket's events by it.
   */
  static final String TICKET_DATA = "jsonb_build_object('id', x.id, 'queueId', x.queue_id, 'code', x.code,"
      + " 'status', x.status, 'priority', x.class_name, 'counterId', x.counter_id,"
      + " 'counterName', (SELECT cn.name FROM counters cn WHERE cn.id = x.counter_id), 'recallCount', x.recall_count,"
      + " 'name', x.name, 'email', x.email, 'phone', x.phone, 'createdAt', " + iso("x.created_at")
      + ", 'queuedAt', " + iso("x.queued_at") + ", 'calledAt', " + iso("x.called_at")
      + ", 'startedAt', " + iso("x.started_at") + ", 'finishedAt', " + iso("x.finished_at")
      + ", 'sequence', x.version)";

  /** A queue's event data (its row {@code x}); {@code sequence} is the queue's version. */
  public static final String QUEUE_DATA = "jsonb_build_object('id', x.id, 'slug', x.slug, 'name', x.name,"
      + " 'mode', x.mode, 'status', x.status, 'updatedAt', " + iso("x.updated_at") + ", 'sequence', x.version)";

  /** A counter's event data (its row {@code x}). */
  public static final String COUNTER_DATA = "jsonb_build_object('id', x.id, 'queueId', x.queue_id, 'name', x.name,"
      + " 'status', x.status, 'openedAt', " + iso("x.opened_at") + ")";

  /** Binds the parameters of {@link #ticketCte}: {@code type} if either CTE is there, {@code lineQueue} only {@code withMail}. */
  public static Tuple ticketArgs(Tuple args, String type, boolean withWebhook, boolean withMail, UUID lineQueue) {
    if (withWebhook || withMail) {
      args.addValue(type);
    }
    return withMail ? args.addValue(lineQueue) : args;
  }

  /**
   * The CTE for a change of a queue or a counter (webhooks only), whose row is CTE {@code from}
   * with columns {@code tenant_id} and {@code queue_id} (or {@code id} for a queue: pass
   * {@code queueColumn}); {@code data} is {@link #QUEUE_DATA} or {@link #COUNTER_DATA}. One
   * parameter, {@code $first}: the type.
   */
  public static String queueCte(String name, String from, String queueColumn, String data, int first) {
    String type = "$" + first;
    return name + " AS (INSERT INTO outbox (channel, tenant_id, queue_id, type, data)"
        + " SELECT 'webhook', x.tenant_id, x." + queueColumn + ", " + type + "::text, " + data + " FROM " + from + " x"
        + " WHERE " + webhookWanted("x.tenant_id", type) + ")";
  }

  /** An instant as ISO 8601 in UTC with microseconds, or JSON null. */
  private static String iso(String column) {
    return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
  }

  private static String webhookWanted(String tenant, String type) {
    return "EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.tenant_id = " + tenant + " AND e.enabled"
        + " AND e.events && ARRAY[" + type + "::text, '*'])";
  }

  /** The wire type ({@code ticket.called}, ...) of a ticket event kind. */
  public static String ticketType(DomainEvent.Kind kind) {
    return switch (kind) {
      case JOIN -> "ticket.created";
      case CALL -> "ticket.called";
      case RECALL -> "ticket.recalled";
      case START -> "ticket.serving";
      case COMPLETE -> "ticket.served";
      case NO_SHOW -> "ticket.no_show";
      case LEAVE -> "ticket.left";
      case EXPIRE -> "ticket.expired";
      case ADMIT -> "ticket.admitted";
      case TRANSFER_IN, TRANSFER_OUT -> "ticket.transferred";
      default -> throw new IllegalArgumentException(kind + " is not a ticket event");
    };
  }

  /** The wire type of a change of a queue's settings. */
  public static final String QUEUE_UPDATED = "queue.updated";

  /** The wire type of a counter opening or closing ({@code status}: its new status). */
  public static String counterType(String status) {
    return "open".equals(status) ? "counter.opened" : "counter.closed";
  }

  /** The wire type of a queue status change: to open is "resumed". */
  public static String queueStatusType(String status) {
    return switch (status) {
      case "open" -> "queue.resumed";
      case "paused" -> "queue.paused";
      case "closed" -> "queue.closed";
      default -> throw new IllegalArgumentException("no queue status " + status);
    };
  }
}
