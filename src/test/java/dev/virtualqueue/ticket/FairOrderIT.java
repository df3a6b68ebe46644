package dev.virtualqueue.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Call order: FIFO within a class, classes by policy, and positions that predict it exactly. */
class FairOrderIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static Staff staff;

  @BeforeAll
  static void start() {
    staff = server.tenant("fair");
  }

  @Test
  void strictClassesAreServedInConfiguredOrderAndFifoWithin() {
    JsonObject q = staff.queue("strict", "strict", "urgent", "normal", "low");
    String counter = staff.openCounter(q.getString("id"), "C");
    List<JsonObject> joined = new ArrayList<>();
    String[] classes = {"low", "normal", "urgent", "normal", "low", "urgent", "normal"};
    for (String c : classes) {
      joined.add(staff.join("strict", new JsonObject().put("priority", c)));
    }
    List<String> expected = new ArrayList<>();
    for (String c : List.of("urgent", "normal", "low")) {
      joined.stream().filter(t -> t.getString("priority").equals(c)).forEach(t -> expected.add(t.getString("id")));
    }
    assertPositionsPredictCalls(joined, expected.size(), counter, expected);
  }

  @Test
  void weightedPolicyInterleavesByWeight() {
    JsonArray classes = new JsonArray()
        .add(new JsonObject().put("name", "vip").put("weight", 2).put("selfService", true))
        .add(new JsonObject().put("name", "std").put("weight", 1).put("selfService", true));
    JsonObject q = staff.queue("weighted", new JsonObject().put("priorityClasses", classes)
        .put("priorityPolicy", "weighted"));
    String counter = staff.openCounter(q.getString("id"), "C");
    List<JsonObject> joined = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      joined.add(staff.join("weighted", new JsonObject().put("priority", "std")));
    }
    for (int i = 0; i < 4; i++) {
      joined.add(staff.join("weighted", new JsonObject().put("priority", "vip")));
    }
    // vip,vip,std,vip,vip,std,std,std
    List<String> expected = List.of(joined.get(4), joined.get(5), joined.get(0), joined.get(6), joined.get(7),
        joined.get(1), joined.get(2), joined.get(3)).stream().map(t -> t.getString("id")).toList();
    assertPositionsPredictCalls(joined, 8, counter, expected);
  }

  /** Before every call, each waiting ticket's position must equal its rank in the remaining call order. */
  private void assertPositionsPredictCalls(List<JsonObject> joined, int calls, String counter, List<String> expected) {
    Map<String, JsonObject> byId = new HashMap<>();
    joined.forEach(t -> byId.put(t.getString("id"), t));
    for (int i = 0; i < calls; i++) {
      for (int k = i; k < expected.size(); k++) {
        JsonObject view = staff.ticket(byId.get(expected.get(k)));
        assertThat(view.getLong("position")).as("before call %d, ticket expected %dth", i, k).isEqualTo(k - i + 1);
      }
      Resp called = staff.callNext(counter);
      assertThat(called.json().getString("id")).as("call %d", i).isEqualTo(expected.get(i));
      staff.call("POST", "/api/v1/tickets/" + expected.get(i) + "/start");
      staff.call("POST", "/api/v1/tickets/" + expected.get(i) + "/complete");
    }
    assertThat(staff.callNext(counter).status()).isEqualTo(204);
  }

  @Test
  void staffOnlyClassCannotBeChosenByThePublic() {
    JsonArray classes = new JsonArray().add(new JsonObject().put("name", "priority").put("selfService", false))
        .add(new JsonObject().put("name", "walk-in").put("selfService", true));
    JsonObject q = staff.queue("staffonly", new JsonObject().put("priorityClasses", classes));
    Resp refused = server.http("POST", "/api/v1/public/fair/queues/staffonly/tickets",
        new JsonObject().put("priority", "priority").encode());
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getString("code")).isEqualTo("ticket.priority_not_self_service");
    Resp issued = staff.call("POST", "/api/v1/queues/" + q.getString("id") + "/tickets",
        new JsonObject().put("priority", "priority").encode());
    assertThat(issued.status()).isEqualTo(201);
    assertThat(issued.json().getString("priority")).isEqualTo("priority");
  }
}
