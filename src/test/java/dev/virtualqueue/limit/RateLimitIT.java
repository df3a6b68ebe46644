package dev.virtualqueue.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualqueue.testing.LiveClient;
import dev.virtualqueue.testing.PrivateRedis;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The limiters against the real Redis: a join flood from one address meets 429 with its headers
 * while another address gets in, the bucket refills, two servers on one prefix share one bucket,
 * X-Forwarded-For counts only from a trusted proxy, a frozen Redis neither hangs requests nor lifts
 * the limit (the in-process fallback), and the open-socket cap refuses the extra upgrade.
 */
class RateLimitIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("VQ_RATE_LIMIT_ENABLED", "true",
      "VQ_RATE_LIMIT_JOIN_BURST", "5", "VQ_RATE_LIMIT_JOIN_PER_MINUTE", "60",
      "VQ_HTTP_TRUSTED_PROXIES", "127.0.0.1/32, ::1", "VQ_RATE_LIMIT_SOCKETS_PER_ADDRESS", "2"));

  private static Resp join(TestServer s, String tenant, String address) {
    return s.http("POST", "/api/v1/public/" + tenant + "/queues/q/tickets", "{}", "X-Forwarded-For", address);
  }

  @Test
  void aJoinFloodFromOneAddressIsRefusedAfterTheBurstWhileAnotherAddressGetsIn() throws Exception {
    Staff staff = server.tenant("rl-flood");
    staff.queue("q");
    for (int i = 0; i < 5; i++) {
      assertThat(join(server, "rl-flood", "198.51.100.1").status()).isEqualTo(201);
    }
    Resp refused = join(server, "rl-flood", "198.51.100.1");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.json().getString("code")).isEqualTo("rate_limited");
    assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 2);
    assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"join\";q=60;w=60");
    assertThat(refused.header("RateLimit")).matches("\"join\";r=0;t=[12]");
    assertThat(join(server, "rl-flood", "198.51.100.2").status()).isEqualTo(201);
    // 60 a minute: one more place a second
    Thread.sleep(1_100);
    assertThat(join(server, "rl-flood", "198.51.100.1").status()).isEqualTo(201);
    assertThat(join(server, "rl-flood", "198.51.100.1").status()).isEqualTo(429);
  }

  @Test
  void aQueueOfItsOwnLimitReplacesTheServersForItsJoinsAlone() {
    Staff staff = server.tenant("rl-venue");
    JsonObject venue = staff.queue("q", new JsonObject().put("joinLimit",
        new JsonObject().put("burst", 8).put("perMinute", 60)));
    assertThat(venue.getJsonObject("joinLimit")).isEqualTo(new JsonObject().put("burst", 8).put("perMinute", 60));
    staff.queue("other");
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      statuses.add(join(server, "rl-venue", "198.51.100.40").status());
    }
    assertThat(statuses).as("8 at once in this queue (the server allows 5)").containsExactly(201, 201, 201, 201, 201,
        201, 201, 201, 429);
    Resp refused = join(server, "rl-venue", "198.51.100.40");
    assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"join\";q=60;w=60");
    // the queue's buckets are its own: the same address still has the server's 5 in the other queue
    Resp other = server.http("POST", "/api/v1/public/rl-venue/queues/other/tickets", "{}",
        "X-Forwarded-For", "198.51.100.40");
    assertThat(other.status()).as(other.body()).isEqualTo(201);

    // {} goes back to the server's limit, on this server at once
    Resp cleared = staff.call("PATCH", "/api/v1/queues/" + venue.getString("id"),
        new JsonObject().put("joinLimit", new JsonObject()).encode());
    assertThat(cleared.status()).as(cleared.body()).isEqualTo(200);
    assertThat(cleared.json().containsKey("joinLimit")).isFalse();
    List<Integer> after = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      after.add(join(server, "rl-venue", "198.51.100.41").status());
    }
    assertThat(after).containsExactly(201, 201, 201, 201, 201, 429);
  }

  @Test
  void aLimitedQueueRenamedKeepsItsOwnLimitUnderItsNewSlugAtOnce() {
    Staff staff = server.tenant("rl-rename");
    JsonObject venue = staff.queue("q", new JsonObject().put("joinLimit",
        new JsonObject().put("burst", 2).put("perMinute", 60)));
    Resp renamed = staff.call("PATCH", "/api/v1/queues/" + venue.getString("id"),
        new JsonObject().put("slug", "renamed").encode());
    assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      statuses.add(server.http("POST", "/api/v1/public/rl-rename/queues/renamed/tickets", "{}",
          "X-Forwarded-For", "198.51.100.50").status());
    }
    assertThat(statuses).as("the queue's 2 at once, not the server's 5").containsExactly(201, 201, 429);
  }

  @Test
  void aBadJoinLimitIsRefusedAndChangesNothing() {
    Staff staff = server.tenant("rl-bad");
    String id = staff.queue("q").getString("id");
    for (JsonObject bad : List.of(new JsonObject().put("burst", 5), new JsonObject().put("burst", 0).put("perMinute", 5),
        new JsonObject().put("burst", 5).put("perMinute", 100_001), new JsonObject().put("burst", "5").put("perMinute", 5))) {
      Resp r = staff.call("PATCH", "/api/v1/queues/" + id, new JsonObject().put("joinLimit", bad).encode());
      assertThat(r.status()).as(bad + ": " + r.body()).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
    }
    assertThat(staff.call("GET", "/api/v1/queues/" + id).json().containsKey("joinLimit")).isFalse();
  }

  @Test
  void allOfATenantsJoinsMeetTheTenantLimitWhileAnotherTenantGetsIn() {
    try (TestServer s = TestServer.start(TestServer.REDIS_URL, Map.of("VQ_RATE_LIMIT_ENABLED", "true",
        "VQ_RATE_LIMIT_TENANT_JOIN_BURST", "4", "VQ_RATE_LIMIT_TENANT_JOIN_PER_MINUTE", "60",
        "VQ_HTTP_TRUSTED_PROXIES", "127.0.0.1/32, ::1"))) {
      s.tenant("rl-busy").queue("q");
      s.tenant("rl-calm").queue("q");
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        statuses.add(join(s, "rl-busy", "198.51.100." + (60 + i)).status());
      }
      assertThat(statuses).as("five addresses, one tenant").containsExactly(201, 201, 201, 201, 429);
      Resp refused = join(s, "rl-busy", "198.51.100.70");
      assertThat(refused.json().getString("code")).isEqualTo("rate_limited");
      assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"tenant_join\";q=60;w=60");
      assertThat(refused.json().getString("detail")).contains("for this organisation");
      assertThat(join(s, "rl-calm", "198.51.100.60").status()).as("another tenant").isEqualTo(201);
      assertThat(s.send("GET", s.management() + "/metrics", null).body())
          .contains("vq_rate_limit_rejections_total{limiter=\"tenant_join\"} 2.0");
    }
  }

  @Test
  void theCodeStepOfASignInDrawsOnTheSignInLimiter() {
    Resp code = server.http("POST", "/api/v1/auth/login/2fa", "{\"challenge\":\"vqm_none\",\"code\":\"123456\"}",
        "X-Forwarded-For", "198.51.100.77");
    assertThat(code.status()).isEqualTo(401);
    assertThat(code.json().getString("code")).isEqualTo("auth.invalid_challenge");
    assertThat(code.header("RateLimit-Policy")).isEqualTo("\"login\";q=30;w=60");
    assertThat(code.header("RateLimit")).startsWith("\"login\";r=");
  }

  @Test
  void twoServersOnOnePrefixShareOneBucket() {
    server.tenant("rl-pair").queue("q");
    try (TestServer sibling = server.sibling()) {
      int allowed = 0;
      for (int i = 0; i < 10; i++) {
        allowed += join(i % 2 == 0 ? server : sibling, "rl-pair", "198.51.100.9").status() == 201 ? 1 : 0;
      }
      assertThat(allowed).isEqualTo(5);
    }
  }

  @Test
  void forwardedForCountsOnlyFromATrustedProxy() {
    try (TestServer direct = TestServer.start(TestServer.REDIS_URL, Map.of("VQ_RATE_LIMIT_ENABLED", "true",
        "VQ_RATE_LIMIT_JOIN_BURST", "3"))) {
      direct.tenant("rl-direct").queue("q");
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        statuses.add(join(direct, "rl-direct", "198.51.100." + (20 + i)).status());
      }
      assertThat(statuses).containsExactly(201, 201, 201, 429);
    }
    // behind the trusted proxy, a forged hop on the left does not change the counted address
    server.tenant("rl-forge").queue("q");
    for (int i = 0; i < 5; i++) {
      assertThat(join(server, "rl-forge", "10.9.9." + i + ", 198.51.100.30").status()).isEqualTo(201);
    }
    assertThat(join(server, "rl-forge", "10.9.9.99, 198.51.100.30").status()).isEqualTo(429);
  }

  @Test
  void aFrozenRedisNeitherHangsLoginNorLiftsItsLimit() throws Exception {
    try (PrivateRedis redis = PrivateRedis.start();
         TestServer s = TestServer.start(redis.url(), Map.of("VQ_RATE_LIMIT_ENABLED", "true",
             "VQ_RATE_LIMIT_LOGIN_BURST", "3", "VQ_RATE_LIMIT_LOGIN_PER_MINUTE", "1",
        "VQ_RATE_LIMIT_TIMEOUT_MILLIS", "200"))) {
      redis.freeze();
      try {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          long start = System.nanoTime();
          statuses.add(s.http("POST", "/api/v1/auth/login",
              "{\"tenant\":\"nobody\",\"email\":\"a@b.test\",\"password\":\"wrong password 1\"}").status());
          assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000);
        }
        assertThat(statuses).doesNotContain(500, 503).endsWith(429);
        assertThat(statuses.subList(0, 3)).doesNotContain(429);
        Resp metrics = s.send("GET", s.management() + "/metrics", null);
        assertThat(metrics.body()).contains("vq_rate_limit_errors_total{limiter=\"login\"}")
            .contains("vq_rate_limit_rejections_total{limiter=\"login\"} 1.0");
      } finally {
        redis.thaw();
      }
    }
  }

  @Test
  void theOpenSocketCapRefusesTheExtraUpgrade() {
    String queueId = server.tenant("rl-sockets").queue("q").getString("id");
    WebSocketClient client = LiveClient.client(server.app().vertx());
    String uri = "/ws/queues/" + queueId + "/board";
    int port = server.app().httpPort();
    try (LiveClient a = LiveClient.connect(client, port, uri, "X-Forwarded-For", "198.51.100.40");
         LiveClient b = LiveClient.connect(client, port, uri, "X-Forwarded-For", "198.51.100.40")) {
      assertThatThrownBy(() -> LiveClient.connect(client, port, uri, "X-Forwarded-For", "198.51.100.40"))
          .hasMessageContaining("429");
      LiveClient.connect(client, port, uri, "X-Forwarded-For", "198.51.100.41").close();
    }
  }
}
