package dev.virtualqueue.admission;

import static dev.virtualqueue.admission.AccessFixtures.admitted;
import static dev.virtualqueue.admission.AccessFixtures.claims;
import static dev.virtualqueue.admission.AccessFixtures.counter;
import static dev.virtualqueue.admission.AccessFixtures.passthrough;
import static dev.virtualqueue.admission.AccessFixtures.release;
import static dev.virtualqueue.admission.AccessFixtures.token;
import static dev.virtualqueue.admission.AccessFixtures.verify;
import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.auth.Principal;
import dev.virtualqueue.auth.Role;
import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What introspection and release do to a session: the first verification marks it used, a room
 * that renews on activity hands out a fresh token (new iat, exp and jti, capped at the session's
 * maximum), a release ends it at once and frees its slot for the next person, and hostile requests
 * get a clean problem without changing anything.
 */
class AccessTokenVerifyIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static Staff owner;
  static String apiKey;

  @BeforeAll
  static void setUp() {
    String scrape = server.send("GET", server.management() + "/metrics", null).body();
    for (String result : AccessTokenMetrics.RESULTS) {
      assertThat(scrape).as("registered at 0 before any verification")
          .contains("vq_access_token_verifications_total{result=\"" + result + "\"} 0.0");
    }
    assertThat(scrape).contains("vq_access_token_releases_total 0.0");
    owner = server.tenant("site");
    apiKey = AccessFixtures.apiKey(owner, "viewer");
  }

  static String session(JsonObject joined) {
    return "admission_sessions WHERE ticket_id = '" + joined.getString("id") + "'";
  }

  @Test
  void theFirstVerificationMarksTheSessionUsed() {
    owner.queue("plain", passthrough("urn:shop:plain", new JsonObject()));
    JsonObject person = admitted(owner, "plain");
    String token = token(owner, person);
    assertThat(server.scalar("SELECT verified_at FROM " + session(person))).isNull();
    assertThat(verify(server, apiKey, token).getBoolean("active")).isTrue();
    String first = server.scalar("SELECT verified_at FROM " + session(person));
    assertThat(first).isNotNull();
    assertThat(verify(server, apiKey, token).getBoolean("active")).isTrue();
    assertThat(server.scalar("SELECT verified_at FROM " + session(person))).as("kept from the first").isEqualTo(first);
    assertThat(claims(token(owner, person))).as("no renewal: the same claims").isEqualTo(claims(token));
  }

  @Test
  void renewalHandsOutAFreshTokenCappedAtTheSessionsMaximum() {
    owner.queue("renew", passthrough("urn:shop:renew", new JsonObject().put("renewOnActivity", true)
        .put("sessionSeconds", 600).put("maxSessionSeconds", 900)));
    JsonObject person = admitted(owner, "renew");
    // admitted 100 s ago (so a renewal's iat and exp differ by whole seconds)
    server.sql("UPDATE " + session(person).replace("admission_sessions WHERE", "admission_sessions SET"
        + " admitted_at = admitted_at - interval '100 s', issued_at = issued_at - interval '100 s',"
        + " expires_at = expires_at - interval '100 s', max_expires_at = max_expires_at - interval '100 s' WHERE"));
    String before = token(owner, person);
    JsonObject answer = verify(server, apiKey, before);
    assertThat(answer.getBoolean("active")).isTrue();
    assertThat(answer.getLong("exp")).as("the answer is about the token presented").isEqualTo(claims(before).getLong("exp"));
    String fresh = answer.getJsonObject("renewed").getString("accessToken");
    JsonObject was = claims(before);
    JsonObject now = claims(fresh);
    assertThat(fresh).isNotEqualTo(before);
    assertThat(now.getLong("iat")).isGreaterThanOrEqualTo(was.getLong("iat") + 99);
    assertThat(now.getLong("exp")).isGreaterThanOrEqualTo(was.getLong("exp") + 99);
    assertThat(now.getString("jti")).isNotEqualTo(was.getString("jti"));
    assertThat(Instant.parse(answer.getJsonObject("renewed").getString("expiresAt")).getEpochSecond())
        .isEqualTo(now.getLong("exp"));
    assertThat(claims(token(owner, person))).as("the ticket now carries the renewed token").isEqualTo(now);
    assertThat(server.scalar("SELECT verified_at FROM " + session(person))).isNotNull();
    assertThat(verify(server, apiKey, before).getBoolean("active")).as("an earlier token of the live session").isTrue();

    // near its maximum, a renewal stops at max_expires_at
    server.sql("UPDATE " + session(person).replace("admission_sessions WHERE", "admission_sessions SET"
        + " expires_at = now() + interval '100 s', max_expires_at = now() + interval '200 s' WHERE"));
    long max = server.count("SELECT floor(extract(epoch FROM max_expires_at)) FROM " + session(person));
    JsonObject capped = claims(verify(server, apiKey, fresh).getJsonObject("renewed").getString("accessToken"));
    assertThat(capped.getLong("exp")).isEqualTo(max);
    assertThat(server.count("SELECT floor(extract(epoch FROM expires_at)) FROM " + session(person))).isEqualTo(max);
  }

  @Test
  void aReleaseEndsTheSessionAndTheNextPersonGoesIn() {
    String q = owner.queue("gate", AdmissionIT.room(new JsonObject().put("maxActiveUsers", 1)
        .put("audience", "urn:shop:gate"))).getString("id");
    JsonObject first = admitted(owner, "gate");
    JsonObject second = owner.join("gate");
    String token = token(owner, first);
    assertThat(owner.ticket(second).getString("status")).isEqualTo("waiting");
    double releases = counter(server, "vq_access_token_releases_total", "");

    assertThat(release(server, apiKey, token).getBoolean("released")).isTrue();
    assertThat(server.scalar("SELECT end_reason FROM " + session(first))).isEqualTo("released");
    Poll.until(() -> owner.ticket(second).getString("status"), "admitted"::equals, 5_000, "the freed slot is used");
    assertThat(verify(server, apiKey, token)).isEqualTo(new JsonObject().put("active", false));
    assertThat(owner.ticket(first).containsKey("access")).as("no access after the release").isFalse();
    assertThat(release(server, apiKey, token).getBoolean("released")).as("twice: nothing left to end").isFalse();
    assertThat(counter(server, "vq_access_token_releases_total", "")).isEqualTo(releases + 1);
    assertThat(server.count("SELECT count(*) FROM admission_sessions WHERE queue_id = '" + q
        + "' AND ended_at IS NULL")).isEqualTo(1);
  }

  @Test
  void aReleaseTellsTheAdmitterWhichRoomHasAFreeSlot() throws Exception {
    String q = owner.queue("told", passthrough("urn:shop:told", new JsonObject())).getString("id");
    String token = token(owner, admitted(owner, "told"));
    AdmissionModule m = server.app().modules().admission();
    List<UUID> freed = new CopyOnWriteArrayList<>();
    AccessTokenService service = new AccessTokenService(m.accessTokens(), m.accessKeys(), m.store(), m.queues(),
        new AccessTokenMetrics(new SimpleMeterRegistry()), freed::add);
    Principal site = new Principal(UUID.fromString(claims(token).getString("tid")), Principal.Kind.API_KEY, null,
        Role.VIEWER);
    Principal stranger = new Principal(UUID.randomUUID(), Principal.Kind.API_KEY, null, Role.VIEWER);
    assertThat(service.release(stranger, token).toCompletionStage().toCompletableFuture().get().released()).isFalse();
    assertThat(freed).isEmpty();
    assertThat(service.release(site, token).toCompletionStage().toCompletableFuture().get().released()).isTrue();
    assertThat(freed).containsExactly(UUID.fromString(q));
    assertThat(service.release(site, token).toCompletionStage().toCompletableFuture().get().released()).isFalse();
    assertThat(freed).as("told once, for the release that ended it").hasSize(1);
  }

  @Test
  void anExpiredOrEndedSessionIsInactiveAndCountedAsSuch() {
    owner.queue("lapse", passthrough("urn:shop:lapse", new JsonObject()));
    JsonObject person = admitted(owner, "lapse");
    String token = token(owner, person);
    double expired = counter(server, "vq_access_token_verifications_total", "result=\"inactive_expired\"");
    server.sql("UPDATE " + session(person).replace("admission_sessions WHERE", "admission_sessions SET"
        + " ended_at = now(), end_reason = 'unused' WHERE"));
    assertThat(verify(server, apiKey, token)).isEqualTo(new JsonObject().put("active", false));
    assertThat(counter(server, "vq_access_token_verifications_total", "result=\"inactive_expired\""))
        .isEqualTo(expired + 1);
    JsonObject left = admitted(owner, "lapse");
    String leftToken = token(owner, left);
    Resp gone = server.http("DELETE", "/api/v1/tickets/" + left.getString("id"), null, "X-Ticket-Token",
        left.getString("token"));
    assertThat(gone.status()).as(gone.body()).isEqualTo(200);
    double ended = counter(server, "vq_access_token_verifications_total", "result=\"inactive_ended\"");
    assertThat(verify(server, apiKey, leftToken)).isEqualTo(new JsonObject().put("active", false));
    assertThat(counter(server, "vq_access_token_verifications_total", "result=\"inactive_ended\"")).isEqualTo(ended + 1);
  }

  @Test
  void hostileRequestsGetACleanProblemAndChangeNothing() {
    owner.queue("hostile", passthrough("urn:shop:hostile", new JsonObject()));
    JsonObject person = admitted(owner, "hostile");
    String token = token(owner, person);
    String verifyPath = "/api/v1/access-tokens/verify";
    refusesBadBodies(token);
    Resp anonymous = server.http("POST", verifyPath, new JsonObject().put("token", token).encode());
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.json().getString("code")).isEqualTo("auth.missing_token");
    Resp anonymousRelease = server.http("POST", "/api/v1/access-tokens/release",
        new JsonObject().put("token", token).encode());
    assertThat(anonymousRelease.status()).isEqualTo(401);
    char last = apiKey.charAt(apiKey.length() - 1);
    Resp wrongKey = verify(server, apiKey.substring(0, apiKey.length() - 1) + (last == 'a' ? 'b' : 'a'),
        new JsonObject().put("token", token));
    assertThat(wrongKey.status()).isEqualTo(401);
    // a staff sign-in of the tenant may ask too (decided: same tenant wall as its API keys)
    assertThat(verify(server, owner.token(), token).getBoolean("active")).isTrue();
    assertThat(server.scalar("SELECT ended_at FROM " + session(person))).as("nothing ended").isNull();
    assertThat(owner.ticket(person).getString("status")).isEqualTo("admitted");
  }

  /** Bodies a site should never send: each a 400 with its stable code, on both routes. */
  private static void refusesBadBodies(String token) {
    List<String[]> cases = List.of(
        new String[] {"{}", "request.missing_field"},
        new String[] {"{\"token\":\"\"}", "request.missing_field"},
        new String[] {"{\"token\":null}", "request.missing_field"},
        new String[] {"{\"token\":5}", "request.wrong_type"},
        new String[] {"{\"token\":[\"a\"]}", "request.wrong_type"},
        new String[] {new JsonObject().put("token", "a".repeat(9000)).encode(), "request.too_long"},
        new String[] {"{\"token\":\"x\",\"scope\":\"all\"}", "request.unknown_field"},
        new String[] {"{\"token\":\"x\",\"audience\":7}", "request.wrong_type"},
        new String[] {"[\"" + token + "\"]", "request.wrong_type"},
        new String[] {"{\"token\":", "request.malformed_json"});
    for (String[] bad : cases) {
      for (String path : List.of("/api/v1/access-tokens/verify", "/api/v1/access-tokens/release")) {
        if (path.endsWith("release") && bad[0].contains("audience")) {
          continue;
        }
        Resp r = server.http("POST", path, bad[0], "Authorization", "Bearer " + apiKey);
        assertThat(r.status()).as("%s %s: %s", path, bad[0], r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().getString("code")).as(bad[0]).isEqualTo(bad[1]);
      }
    }
  }
}
