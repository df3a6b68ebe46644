package dev.virtualqueue.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Over HTTP: every action refused in every state that does not allow it, with nothing changed. */
class TransitionIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static Staff staff;
  static String queueId;
  static String counter;

  @BeforeAll
  static void start() {
    staff = server.tenant("states");
    queueId = staff.queue("sm").getString("id");
    counter = staff.openCounter(queueId, "C");
  }

  /** Brings a fresh ticket into a state and returns it. */
  private JsonObject ticketIn(String status) {
    JsonObject t = staff.join("sm");
    String id = t.getString("id");
    switch (status) {
      case "waiting" -> { }
      case "left" -> server.http("DELETE", "/api/v1/tickets/" + id, null, "X-Ticket-Token", t.getString("token"));
      default -> {
        assertThat(staff.callNext(counter).json().getString("id")).isEqualTo(id);
        switch (status) {
          case "called" -> { }
          case "serving" -> staff.call("POST", "/api/v1/tickets/" + id + "/start");
          case "served" -> {
            staff.call("POST", "/api/v1/tickets/" + id + "/start");
            staff.call("POST", "/api/v1/tickets/" + id + "/complete");
          }
          case "no_show" -> staff.call("POST", "/api/v1/tickets/" + id + "/no-show");
          default -> throw new IllegalArgumentException(status);
        }
      }
    }
    assertThat(staff.ticket(t).getString("status")).isEqualTo(status);
    return t;
  }

  private void release(JsonObject t, String status) {
    String id = t.getString("id");
    if (status.equals("called")) {
      staff.call("POST", "/api/v1/tickets/" + id + "/no-show");
    } else if (status.equals("serving")) {
      staff.call("POST", "/api/v1/tickets/" + id + "/complete");
    } else if (status.equals("waiting")) {
      server.http("DELETE", "/api/v1/tickets/" + id, null, "X-Ticket-Token", t.getString("token"));
    }
  }

  @Test
  void illegalActionsAre409AndChangeNothing() {
    Map<String, List<String>> illegal = Map.of(
        "waiting", List.of("start", "complete", "no-show", "recall"),
        "called", List.of("complete", "leave"),
        "serving", List.of("start", "no-show", "recall", "leave"),
        "served", List.of("start", "complete", "no-show", "recall", "leave", "transfer"),
        "no_show", List.of("start", "complete", "no-show", "recall", "leave", "transfer"),
        "left", List.of("start", "complete", "no-show", "recall", "leave", "transfer"));
    illegal.forEach((status, actions) -> {
      for (String action : actions) {
        JsonObject t = ticketIn(status);
        String id = t.getString("id");
        String before = row(id);
        Resp r = act(t, action);
        assertThat(r.status()).as("%s on %s: %s", action, status, r).isEqualTo(409);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().getString("code")).isEqualTo("ticket.invalid_transition");
        assertThat(row(id)).as("%s on %s changed the ticket", action, status).isEqualTo(before);
        release(t, status);
      }
    });
  }

  private Resp act(JsonObject t, String action) {
    String id = t.getString("id");
    return switch (action) {
      case "leave" -> server.http("DELETE", "/api/v1/tickets/" + id, null, "X-Ticket-Token", t.getString("token"));
      case "transfer" -> staff.call("POST", "/api/v1/tickets/" + id + "/transfer",
          new JsonObject().put("queueId", queueId).encode());
      default -> staff.call("POST", "/api/v1/tickets/" + id + "/" + action);
    };
  }

  private String row(String id) {
    return server.count("SELECT version FROM tickets WHERE id = '" + id + "'") + "/"
        + server.count("SELECT count(*) FROM ticket_events WHERE ticket_id = '" + id + "'");
  }
}
