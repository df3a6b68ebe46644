package dev.virtualqueue.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.queue.WaitingRoom;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link AccessTokens#read} trusts exactly what {@link AccessTokens#mint} writes. Each bad token
 * here carries a genuine signature of a published key, so only the header and claim checks can
 * refuse it: {@code crit} or {@code jku} headers, another {@code typ}, duplicate or ill-typed
 * claims, a future {@code iat}, a lifetime longer than any session, another issuer, a retired key.
 */
class AccessTokensTest {
  static final String ISSUER = "https://queue.example.test";
  static Vertx vertx;
  static AccessKey current;
  static AccessKey retired;
  static AccessKey upcoming;
  static AccessTokens tokens;

  @BeforeAll
  static void keys() {
    vertx = Vertx.vertx();
    Instant now = Instant.now();
    current = key("at-current", now.minusSeconds(60), null);
    retired = key("at-retired", now.minusSeconds(7200), now.minusSeconds(1));
    upcoming = key("at-upcoming", now.plusSeconds(120), null);
    AccessKeys set = new AccessKeys(vertx, null, new PgConnectOptions());
    set.apply(1, List.of(upcoming, current, retired));
    tokens = new AccessTokens(set, ISSUER);
  }

  @AfterAll
  static void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  static AccessKey key(String kid, Instant signsFrom, Instant retireAt) {
    KeyPair pair = Es256.generate();
    ECPublicKey pub = (ECPublicKey) pair.getPublic();
    return new AccessKey(kid, pub, (ECPrivateKey) pair.getPrivate(), Es256.jwk(kid, pub), signsFrom, signsFrom,
        retireAt);
  }

  static JsonObject header(String kid) {
    return new JsonObject().put("alg", "ES256").put("typ", "at+jwt").put("kid", kid);
  }

  static JsonObject claims() {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("iss", ISSUER).put("sub", UUID.randomUUID().toString()).put("aud", "urn:shop")
        .put("iat", now).put("exp", now + 600).put("jti", UUID.randomUUID().toString())
        .put("tid", UUID.randomUUID().toString()).put("qid", UUID.randomUUID().toString());
  }

  /** A token with exactly these (JSON text) parts, signed by {@code key}. */
  static String signed(AccessKey key, String header, String payload) {
    String input = Es256.b64(header.getBytes(StandardCharsets.UTF_8)) + "."
        + Es256.b64(payload.getBytes(StandardCharsets.UTF_8));
    return input + "." + Es256.b64(Es256.sign(key.privateKey(), input.getBytes(StandardCharsets.US_ASCII)));
  }

  static AccessTokens.Claims read(String token) {
    return tokens.read(token, Instant.now());
  }

  @Test
  void whatIsMintedReadsBackWithTheCurrentKey() {
    Instant now = Instant.now();
    AdmissionSession s = new AdmissionSession(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
        UUID.randomUUID(), now, now, now.plusSeconds(600), now.plusSeconds(900), null, null, null);
    WaitingRoom room = WaitingRoom.defaults(s.queueId());
    AccessTokens.Claims c = read(tokens.mint(s, room));
    assertThat(c).isEqualTo(new AccessTokens.Claims("at-current", ISSUER, room.audience(), s.ticketId(),
        now.getEpochSecond(), now.plusSeconds(600).getEpochSecond(), s.jti(), s.tenantId(), s.queueId()));
    assertThat(read(signed(upcoming, header("at-upcoming").encode(), claims().encode())))
        .as("a key published ahead of its signing time already verifies").isNotNull();
    assertThat(read(signed(current, header("at-current").encode(), claims().encode()))).isNotNull();
    assertThat(read(signed(current, new JsonObject().put("alg", "ES256").put("kid", "at-current").encode(),
        claims().encode()))).as("typ may be left out").isNotNull();
  }

  @Test
  void headersWeNeverWriteAreRefused() {
    String payload = claims().encode();
    for (JsonObject h : List.of(header("at-current").put("crit", List.of("exp")),
        header("at-current").put("jku", "https://evil.example/jwks.json"), header("at-current").put("typ", "JWT"),
        header("at-current").put("alg", "ES384"), header("at-current").put("alg", "es256"),
        header("at-current").put("kid", 7), header("at-retired"), header("at-nobody"),
        new JsonObject().put("alg", "ES256").put("typ", "at+jwt"))) {
      assertThat(read(signed(current, h.encode(), payload))).as(h.encode()).isNull();
    }
    String duplicate = "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"at-current\",\"kid\":\"at-retired\"}";
    assertThat(read(signed(current, duplicate, payload))).as("a duplicate header member").isNull();
    assertThat(read(signed(retired, header("at-retired").encode(), payload))).as("a retired key").isNull();
    assertThat(read(signed(upcoming, header("at-current").encode(), payload))).as("another key's signature").isNull();
  }

  @Test
  void claimsOfTheWrongShapeAreRefused() {
    long now = Instant.now().getEpochSecond();
    JsonObject noIssuer = claims();
    noIssuer.remove("iss");
    for (JsonObject c : List.of(claims().put("iss", "https://evil.example"), claims().put("iss", ISSUER + "/"),
        noIssuer, claims().put("exp", (double) now + 600.5),
        claims().put("exp", String.valueOf(now + 600)), claims().put("iat", now + 300),
        claims().put("exp", now - 1).put("iat", now), claims().put("iat", now - 90_000),
        claims().put("sub", "not-a-uuid"), claims().put("tid", 5), claims().put("aud", List.of("urn:shop")),
        claims().put("aud", ""), claims().put("qid", null))) {
      assertThat(read(signed(current, header("at-current").encode(), c.encode()))).as(c.encode()).isNull();
    }
    String duplicate = claims().encode().replaceFirst("\\{", "{\"sub\":\"" + UUID.randomUUID() + "\",");
    assertThat(read(signed(current, header("at-current").encode(), duplicate))).as("a duplicate claim").isNull();
    assertThat(read(signed(current, header("at-current").encode(), "[1,2]"))).as("not an object").isNull();
    assertThat(read(signed(current, header("at-current").encode(), claims().encode() + " {}")))
        .as("trailing JSON").isNull();
  }
}
