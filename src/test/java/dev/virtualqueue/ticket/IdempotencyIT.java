package dev.virtualqueue.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Redis;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IdempotencyIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static Staff staff;
  static final String JOIN = "/api/v1/public/idem/queues/line/tickets";
  static final String K_SAME = UUID.randomUUID().toString();
  static final String K_DIFF = UUID.randomUUID().toString();
  static final String K_RACE = "x7Qm2Zp9LkR4vT8sWb3NcYd6Hf"; // 26 base64url characters
  static final String K_SCOPE = UUID.randomUUID().toString().replace("-", ""); // 32 hex digits

  @BeforeAll
  static void start() {
    staff = server.tenant("idem");
    staff.queue("line");
  }

  @Test
  void sameKeyReturnsTheSameTicketAndToken() {
    Resp first = server.http("POST", JOIN, "{\"name\":\"Ann\"}", "Idempotency-Key", K_SAME);
    Resp retry = server.http("POST", JOIN, "{\"name\":\"Ann\"}", "Idempotency-Key", K_SAME);
    assertThat(first.status()).isEqualTo(201);
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.json().getString("id")).isEqualTo(first.json().getString("id"));
    assertThat(retry.json().getString("token")).isEqualTo(first.json().getString("token"));
    assertThat(retry.json().getString("code")).isEqualTo(first.json().getString("code"));
    assertThat(server.count("SELECT count(*) FROM tickets WHERE name = 'Ann'")).isEqualTo(1);
  }

  @Test
  void sameKeyWithAnotherBodyIs422AndChangesNothing() {
    server.http("POST", JOIN, "{\"name\":\"Bea\"}", "Idempotency-Key", K_DIFF);
    long before = server.count("SELECT count(*) FROM tickets");
    Resp other = server.http("POST", JOIN, "{\"name\":\"Someone else\"}", "Idempotency-Key", K_DIFF);
    assertThat(other.status()).isEqualTo(422);
    assertThat(other.contentType()).startsWith("application/problem+json");
    assertThat(other.json().getString("code")).isEqualTo("idempotency.key_reused");
    assertThat(server.count("SELECT count(*) FROM tickets")).isEqualTo(before);
  }

  @Test
  void concurrentDuplicatesNeverTakeASecondPlace() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<Resp>> all = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      all.add(pool.submit(() -> server.http("POST", JOIN, "{\"name\":\"Cat\"}", "Idempotency-Key", K_RACE)));
    }
    List<String> ids = new ArrayList<>();
    for (Future<Resp> f : all) {
      Resp r = f.get();
      assertThat(r.status()).as(r.toString()).isIn(201, 409);
      if (r.status() == 201) {
        ids.add(r.json().getString("id"));
      }
    }
    pool.shutdown();
    assertThat(ids).isNotEmpty();
    assertThat(ids).containsOnly(ids.get(0));
    assertThat(server.count("SELECT count(*) FROM tickets WHERE name = 'Cat'")).isEqualTo(1);
  }

  @Test
  void keysAreScopedToTheQueue() {
    staff.queue("other");
    Resp a = server.http("POST", JOIN, "{}", "Idempotency-Key", K_SCOPE);
    Resp b = server.http("POST", "/api/v1/public/idem/queues/other/tickets", "{}", "Idempotency-Key", K_SCOPE);
    assertThat(a.status()).isEqualTo(201);
    assertThat(b.status()).isEqualTo(201);
    assertThat(b.json().getString("id")).isNotEqualTo(a.json().getString("id"));
  }

  @Test
  void aGuessableKeyIsRefusedAndChangesNothing() {
    long before = server.count("SELECT count(*) FROM tickets");
    for (String weak : List.of("phone-42-try-1", "retry-1", "aaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "00000000-0000-0000-0000-000000000000", "abababababababababababababab", "0123456789")) {
      Resp r = server.http("POST", JOIN, "{\"name\":\"Weak\"}", "Idempotency-Key", weak);
      assertThat(r.status()).as(weak).isEqualTo(400);
      assertThat(r.json().getString("code")).as(weak).isEqualTo("idempotency.weak_key");
    }
    assertThat(server.count("SELECT count(*) FROM tickets")).isEqualTo(before);
  }

  @Test
  void theReplayedTokenIsDerivedNotStored() throws Exception {
    String key = UUID.randomUUID().toString();
    Resp first = server.http("POST", JOIN, "{\"name\":\"Dora\"}", "Idempotency-Key", key);
    assertThat(first.status()).isEqualTo(201);
    String token = first.json().getString("token");
    try (var c = server.database(); var st = c.createStatement();
         var rs = st.executeQuery("SELECT encode(key_hash, 'hex'), response::text FROM idempotency_keys")) {
      while (rs.next()) {
        assertThat(rs.getString(2)).doesNotContain(token).doesNotContain(key);
        assertThat(rs.getString(1)).doesNotContain(key.replace("-", ""));
      }
    }
    // the token works, and a replay hands out the same one
    assertThat(server.http("GET", "/api/v1/tickets/" + first.json().getString("id"), null,
        "X-Ticket-Token", token).status()).isEqualTo(200);
    Resp retry = server.http("POST", JOIN, "{\"name\":\"Dora\"}", "Idempotency-Key", key);
    assertThat(retry.json().getString("token")).isEqualTo(token);
  }

  @Test
  void aReplayPutsAnUnmirroredTicketBackInLineWithItsPosition() throws Exception {
    String key = UUID.randomUUID().toString();
    Resp first = server.http("POST", JOIN, "{\"name\":\"Eve\"}", "Idempotency-Key", key);
    String id = first.json().getString("id");
    long position = first.json().getLong("position");
    // as if the join committed but its answer and its mirror update were lost
    String queueId = first.json().getString("queueId");
    Redis.command(TestServer.REDIS_URL, "ZREM", server.prefix() + ":q:" + queueId + ":c:0", id);
    Resp retry = server.http("POST", JOIN, "{\"name\":\"Eve\"}", "Idempotency-Key", key);
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.json().getString("id")).isEqualTo(id);
    assertThat(retry.json().getLong("position")).isEqualTo(position);
  }
}
