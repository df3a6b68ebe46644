package dev.virtualqueue.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The verifiable lottery, as an outsider checks it: the commitment is public while the pre-queue
 * fills, the seed is revealed at the opening, the order recomputes from the seed and the public
 * ids alone, the line follows it, and people who come after the opening queue behind.
 */
class PrequeueDrawIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void theDrawIsCommittedRevealedAndReproducible() throws Exception {
    Staff staff = server.tenant("lottery");
    Instant opens = Instant.now().plusSeconds(4);
    String q = staff.queue("drop", AdmissionIT.room(new JsonObject().put("newUsersPerMinute", 60)
        .put("prequeueOpensAt", Instant.now().minusSeconds(60).toString()).put("opensAt", opens.toString())
        .put("queueAll", true))).getString("id");
    String draw = "/api/v1/public/lottery/queues/drop/draw";
    Resp before = server.http("GET", draw, null);
    assertThat(before.status()).as(before.body()).isEqualTo(200);
    String commitment = before.json().getString("commitment");
    assertThat(commitment).matches("[0-9a-f]{64}");
    assertThat(before.json().getValue("seed")).as("no seed before the opening").isNull();

    List<JsonObject> early = AdmissionIT.join(staff, "drop", 12);
    assertThat(server.http("GET", draw, null).json().getString("commitment")).as("the commitment never changes")
        .isEqualTo(commitment);
    Poll.until(() -> server.http("GET", draw, null).json().getString("seed"), s -> s != null, 15_000, "the reveal");
    JsonObject revealed = server.http("GET", draw, null).json();

    byte[] seed = HexFormat.of().parseHex(revealed.getString("seed"));
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(seed))).isEqualTo(commitment);
    List<String> ids = new ArrayList<>(early.stream().map(j -> j.getString("id")).toList());
    ids.sort(Comparator.comparing(id -> rank(seed, id)));
    JsonArray order = revealed.getJsonArray("order");
    assertThat(order.getList()).as("recomputed from the seed and the ids").isEqualTo(ids);

    JsonObject late = staff.join("drop");
    Poll.until(() -> staff.ticket(late).getLong("position"), p -> p != null && p == 13, "late arrivals queue behind");
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      JsonObject mine = early.stream().filter(j -> j.getString("id").equals(id)).findFirst().orElseThrow();
      long place = i + 1;
      Poll.until(() -> staff.ticket(mine).getLong("position"), p -> p != null && p == place,
          "place " + place + " follows the draw");
    }
    assertThat(server.http("GET", draw, null).header("cache-control")).contains("max-age");
    assertThat(q).isNotNull();
  }

  @Test
  void noDrawWithoutAPrequeue() {
    Staff staff = server.tenant("no-lottery");
    staff.queue("plain", AdmissionIT.room(new JsonObject().put("newUsersPerMinute", 60)));
    Resp r = server.http("GET", "/api/v1/public/no-lottery/queues/plain/draw", null);
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().getString("code")).isEqualTo("waiting_room.no_draw");
  }

  private static String rank(byte[] seed, String id) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(seed);
      d.update(id.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d.digest());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
