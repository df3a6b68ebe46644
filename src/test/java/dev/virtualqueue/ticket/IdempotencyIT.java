package dev.virtualqueue.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IdempotencyIT {
  static TestServer server;
  static Staff staff;
  static final String JOIN = "/api/v1/public/idem/queues/line/tickets";

  @BeforeAll
  static void start() {
    server = TestServer.start();
    staff = server.tenant("idem");
    staff.queue("line");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void sameKeyReturnsTheSameTicketAndToken() {
    Resp first = server.http("POST", JOIN, "{\"name\":\"Ann\"}", "Idempotency-Key", "k-same");
    Resp retry = server.http("POST", JOIN, "{\"name\":\"Ann\"}", "Idempotency-Key", "k-same");
    assertThat(first.status()).isEqualTo(201);
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.json().getString("id")).isEqualTo(first.json().getString("id"));
    assertThat(retry.json().getString("token")).isEqualTo(first.json().getString("token"));
    assertThat(retry.json().getString("code")).isEqualTo(first.json().getString("code"));
    assertThat(server.count("SELECT count(*) FROM tickets WHERE name = 'Ann'")).isEqualTo(1);
  }

  @Test
  void sameKeyWithAnotherBodyIs422AndChangesNothing() {
    server.http("POST", JOIN, "{\"name\":\"Bea\"}", "Idempotency-Key", "k-diff");
    long before = server.count("SELECT count(*) FROM tickets");
    Resp other = server.http("POST", JOIN, "{\"name\":\"Someone else\"}", "Idempotency-Key", "k-diff");
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
      all.add(pool.submit(() -> server.http("POST", JOIN, "{\"name\":\"Cat\"}", "Idempotency-Key", "k-race")));
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
    Resp a = server.http("POST", JOIN, "{}", "Idempotency-Key", "k-scope");
    Resp b = server.http("POST", "/api/v1/public/idem/queues/other/tickets", "{}", "Idempotency-Key", "k-scope");
    assertThat(a.status()).isEqualTo(201);
    assertThat(b.status()).isEqualTo(201);
    assertThat(b.json().getString("id")).isNotEqualTo(a.json().getString("id"));
  }
}
