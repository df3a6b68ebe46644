package dev.virtualqueue.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The writer side of the outbox, through the API: which changes write which rows, in the change's
 * own statement. A trigger in this class's own database copies every inserted outbox row into
 * {@code outbox_spy}, so the drainers (which delete handled rows) cannot hide one. E-mail is on
 * (to an SMTP port where nothing listens, so mail rows are not consumed).
 */
class OutboxWriterIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("VQ_MAIL_HOST", "127.0.0.1", "VQ_MAIL_PORT", "1",
      "VQ_MAIL_FROM", "queue@example.org", "VQ_HTTP_PUBLIC_URL", "http://localhost:8080"));

  @BeforeAll
  static void spy() {
    server.sql("CREATE TABLE outbox_spy AS SELECT * FROM outbox WITH NO DATA");
    server.sql("CREATE FUNCTION outbox_copy() RETURNS trigger LANGUAGE plpgsql AS"
        + " $$ BEGIN INSERT INTO outbox_spy SELECT NEW.*; RETURN NEW; END $$");
    server.sql("CREATE TRIGGER outbox_copy AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_copy()");
  }

  record Spied(String channel, String type, UUID ticket, UUID queue, JsonObject data) {
  }

  private static List<Spied> rows(String tenantId) {
    try (Connection c = server.database(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT channel, type, ticket_id, queue_id, data::text FROM outbox_spy"
             + " WHERE tenant_id = '" + UUID.fromString(tenantId) + "' ORDER BY seq")) {
      List<Spied> out = new ArrayList<>();
      while (rs.next()) {
        out.add(new Spied(rs.getString(1), rs.getString(2), (UUID) rs.getObject(3), (UUID) rs.getObject(4),
            new JsonObject(rs.getString(5))));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String tenantId(String queueId) {
    return server.scalar("SELECT tenant_id::text FROM queues WHERE id = '" + UUID.fromString(queueId) + "'");
  }

  private static void endpoint(String tenantId, boolean enabled, String... events) {
    server.sql("INSERT INTO webhook_endpoints (id, tenant_id, url, events, enabled, secret_sealed) VALUES ('"
        + UUID.randomUUID() + "', '" + tenantId + "', 'http://127.0.0.1:1/none', ARRAY['"
        + String.join("','", events) + "'], " + enabled + ", '\\x00')");
    if (enabled) { // made behind the server's back: its copy of who wants what hears of it by NOTIFY
      WebhookInterest interest = server.app().modules().webhooks().interest();
      Poll.until(() -> interest.wants(UUID.fromString(tenantId), events[0]), ok -> ok, "the server hears of the endpoint");
    }
  }

  /** A tenant with one endpoint ({@code enabled}, for {@code events}) that joins one ticket and calls it. */
  private static String joinAndCallWithEndpoint(String slug, boolean enabled, String... events) {
    Staff staff = server.tenant(slug);
    String q = staff.queue("q1").getString("id");
    String tenant = tenantId(q);
    endpoint(tenant, enabled, events);
    String counter = staff.openCounter(q, "C1");
    staff.join("q1");
    staff.callNext(counter);
    return tenant;
  }

  @Test
  void withoutInterestNothingIsWritten() {
    String tenant = joinAndCallWithEndpoint("quiet", false, "*");
    assertThat(rows(tenant)).as("no enabled endpoint and no e-mail given: no rows").isEmpty();
  }

  @Test
  void everyChangeOfASubscribedTenantWritesOneWebhookRow() {
    Staff staff = server.tenant("hooked");
    String q = staff.queue("q1").getString("id");
    String tenant = tenantId(q);
    endpoint(tenant, true, "*");
    String counter = staff.openCounter(q, "C1");
    JsonObject t = staff.join("q1");
    String id = t.getString("id");
    staff.callNext(counter);
    staff.call("POST", "/api/v1/tickets/" + id + "/start");
    staff.call("POST", "/api/v1/tickets/" + id + "/complete");
    staff.call("POST", "/api/v1/queues/" + q + "/pause");
    staff.call("POST", "/api/v1/queues/" + q + "/resume");
    staff.call("POST", "/api/v1/counters/" + counter + "/close");

    List<Spied> hooks = rows(tenant).stream().filter(r -> r.channel().equals("webhook")).toList();
    assertThat(hooks).extracting(Spied::type).containsExactly("counter.opened", "ticket.created", "ticket.called",
        "ticket.serving", "ticket.served", "queue.paused", "queue.resumed", "counter.closed");
    List<Spied> ofTicket = hooks.subList(1, 5);
    assertThat(ofTicket).allSatisfy(r -> {
      assertThat(r.ticket()).isEqualTo(UUID.fromString(id));
      assertThat(r.data().getString("id")).isEqualTo(id);
      assertThat(r.data().fieldNames()).doesNotContain("token", "tokenHash", "token_hash", "dedupeKey");
    });
    assertThat(ofTicket).extracting(r -> r.data().getInteger("sequence")).containsExactly(0, 1, 2, 3);
    assertThat(ofTicket).extracting(r -> r.data().getString("status"))
        .containsExactly("waiting", "called", "serving", "served");
    assertThat(ofTicket.get(1).data().getString("counterName")).isEqualTo("C1");
    assertThat(ofTicket.get(3).data().getString("finishedAt")).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");
    assertThat(hooks.get(5).data().getString("status")).isEqualTo("paused");
  }

  @Test
  void anEndpointGetsRowsOnlyForItsTypes() {
    String tenant = joinAndCallWithEndpoint("picky", true, "ticket.called");
    assertThat(rows(tenant)).extracting(Spied::channel, Spied::type).containsExactly(
        tuple("webhook", "ticket.called"));
  }

  @Test
  void mailRowsGoToHoldersWithAnAddressAndToLinesWhereSomebodyIsOwedAlmostYourTurn() {
    Staff staff = server.tenant("mailing");
    String q = staff.queue("q1").getString("id");
    String tenant = tenantId(q);
    String counter = staff.openCounter(q, "C1");
    JsonObject anon = staff.join("q1");
    staff.callNext(counter);
    assertThat(rows(tenant)).as("nobody gave an address: no mail rows").isEmpty();

    JsonObject first = staff.join("q1", new JsonObject().put("email", "first@example.org").put("notifyAhead", 1));
    JsonObject second = staff.join("q1", new JsonObject().put("email", "second@example.org"));
    staff.call("POST", "/api/v1/tickets/" + anon.getString("id") + "/no-show");
    assertThat(staff.callNext(counter).json().getString("id")).isEqualTo(first.getString("id"));
    List<Spied> mail = rows(tenant);
    assertThat(mail).extracting(Spied::type, Spied::ticket).containsExactly(
        tuple("ticket.created", UUID.fromString(first.getString("id"))),
        tuple("ticket.created", UUID.fromString(second.getString("id"))),
        tuple("ticket.called", UUID.fromString(first.getString("id"))));
    assertThat(mail).allSatisfy(r -> assertThat(r.queue()).isEqualTo(UUID.fromString(q)));
    assertThat(server.scalar("SELECT notify_ahead::text FROM tickets WHERE id = '" + first.getString("id") + "'"))
        .isEqualTo("1");
    assertThat(server.scalar("SELECT almost_pending::text FROM tickets WHERE id = '" + first.getString("id") + "'"))
        .as("owed no more once called").isEqualTo("false");
    assertThat(server.scalar("SELECT almost_pending::text FROM tickets WHERE id = '" + second.getString("id") + "'"))
        .isEqualTo("true");
  }

  @Test
  void aRefusedChangeWritesNothing() {
    Staff staff = server.tenant("refused");
    String q = staff.queue("q1", new JsonObject().put("allowDuplicates", false)).getString("id");
    String tenant = tenantId(q);
    endpoint(tenant, true, "*");
    staff.join("q1", new JsonObject().put("email", "same@example.org"));
    Resp again = server.http("POST", "/api/v1/public/refused/queues/q1/tickets",
        new JsonObject().put("email", "same@example.org").encode());
    assertThat(again.status()).isEqualTo(409);
    Resp bad = server.http("POST", "/api/v1/public/refused/queues/q1/tickets",
        new JsonObject().put("email", "x@example.org").put("notifyAhead", 1000).encode());
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getString("code")).isEqualTo("request.out_of_range");
    assertThat(rows(tenant)).extracting(Spied::channel, Spied::type).containsExactlyInAnyOrder(
        tuple("webhook", "ticket.created"),
        tuple("mail", "ticket.created"));
  }
}
