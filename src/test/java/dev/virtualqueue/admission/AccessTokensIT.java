package dev.virtualqueue.admission;

import static dev.virtualqueue.admission.AccessFixtures.admitted;
import static dev.virtualqueue.admission.AccessFixtures.b64;
import static dev.virtualqueue.admission.AccessFixtures.claims;
import static dev.virtualqueue.admission.AccessFixtures.header;
import static dev.virtualqueue.admission.AccessFixtures.offline;
import static dev.virtualqueue.admission.AccessFixtures.passthrough;
import static dev.virtualqueue.admission.AccessFixtures.token;
import static dev.virtualqueue.admission.AccessFixtures.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.virtualqueue.common.SecretSealer;
import dev.virtualqueue.queue.WaitingRoom;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Access tokens as a protected site sees them: signed ES256 under a key the public JWKS holds, so
 * a stock JOSE library (nimbus-jose-jwt) verifies them offline with every claim in place; and every
 * kind of bad token (expired, forged, {@code alg: none}, HS256 keyed with the public key, another
 * audience, a staff token, another tenant's) refused both by that library and by the server's
 * introspection, which counts why without saying it.
 */
class AccessTokensIT {
  static final String ISSUER = "https://queue.example.test";
  static final String SHOP = "https://shop.example.test";
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("VQ_HTTP_PUBLIC_URL", ISSUER + "/"));
  static Staff owner;
  static String apiKey;
  static String queueId;
  static JsonObject person;
  static String token;

  @BeforeAll
  static void admitOne() {
    owner = server.tenant("shop");
    apiKey = AccessFixtures.apiKey(owner, "viewer");
    queueId = owner.queue("drop", passthrough(SHOP, new JsonObject())).getString("id");
    person = admitted(owner, "drop");
    token = token(owner, person);
  }

  @Test
  void aTokenVerifiesOfflineAgainstTheJwksWithEveryClaim() throws Exception {
    Resp jwks = server.http("GET", "/.well-known/jwks.json", null);
    assertThat(jwks.status()).isEqualTo(200);
    assertThat(jwks.header("Cache-Control")).isEqualTo("public, max-age=60");
    assertThat(jwks.contentType()).startsWith("application/json");
    ECKey published = (ECKey) JWKSet.parse(jwks.body()).getKeys().get(0);
    assertThat(published.isPrivate()).as("no private part in the JWKS").isFalse();
    assertThat(jwks.body()).doesNotContain("\"d\"");
    assertThat(jwks.json().getJsonArray("keys").getJsonObject(0).fieldNames())
        .containsExactlyInAnyOrder("kty", "crv", "x", "y", "kid", "use", "alg");

    JWTClaimsSet c = offline(server, token, ISSUER, SHOP);
    assertThat(header(token).getString("alg")).isEqualTo("ES256");
    assertThat(header(token).getString("typ")).isEqualTo("at+jwt");
    assertThat(header(token).getString("kid")).isEqualTo(published.getKeyID());
    assertThat(c.getIssuer()).isEqualTo(ISSUER);
    assertThat(c.getAudience()).containsExactly(SHOP);
    assertThat(c.getSubject()).isEqualTo(person.getString("id"));
    assertThat(c.getStringClaim("tid")).isEqualTo(server.scalar("SELECT id FROM tenants WHERE slug = 'shop'"));
    assertThat(c.getStringClaim("qid")).isEqualTo(queueId);
    String session = "FROM admission_sessions WHERE ticket_id = '" + person.getString("id") + "'";
    assertThat(c.getJWTID()).isEqualTo(server.scalar("SELECT jti " + session));
    assertThat(c.getIssueTime().toInstant().getEpochSecond())
        .isEqualTo(server.count("SELECT floor(extract(epoch FROM issued_at)) " + session));
    assertThat(c.getExpirationTime().toInstant().getEpochSecond())
        .isEqualTo(server.count("SELECT floor(extract(epoch FROM expires_at)) " + session));
    assertThat(c.getExpirationTime().toInstant()).isBetween(Instant.now().plusSeconds(590), Instant.now().plusSeconds(601));
  }

  @Test
  void theTicketCarriesTheAccessAndIntrospectionAgrees() {
    JsonObject access = owner.ticket(person).getJsonObject("access");
    assertThat(access.getString("targetUrl")).isEqualTo("https://shop.example.test/checkout");
    assertThat(Instant.parse(access.getString("expiresAt")).getEpochSecond())
        .isEqualTo(claims(access.getString("accessToken")).getLong("exp"));
    assertThat(access.getString("accessToken")).as("signed anew, the same claims").isNotNull();
    assertThat(claims(access.getString("accessToken"))).isEqualTo(claims(token));

    JsonObject answer = verify(server, apiKey, token);
    assertThat(answer.getBoolean("active")).isTrue();
    JsonObject c = claims(token);
    for (String claim : List.of("sub", "aud", "iss", "exp", "iat", "jti", "tid", "qid")) {
      assertThat(answer.getValue(claim)).as(claim).isEqualTo(c.getValue(claim));
    }
    assertThat(answer.getString("token_type")).isEqualTo("access_token");
    assertThat(answer.containsKey("renewed")).as("this room does not renew").isFalse();
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    AdmissionSession s = session(Instant.now().minusSeconds(700), Instant.now().minusSeconds(100));
    String expired = module().accessTokens().mint(s, room());
    assertThatThrownBy(() -> offline(server, expired, ISSUER, SHOP)).hasMessageContaining("Expired");
    assertInactive(expired, AccessTokenMetrics.EXPIRED);
  }

  @Test
  void aForgedPayloadUnderAGenuineSignatureIsRefused() {
    String[] parts = token.split("\\.");
    for (JsonObject changed : List.of(claims(token).put("exp", claims(token).getLong("exp") + 86_400),
        claims(token).put("sub", UUID.randomUUID().toString()), claims(token).put("tid", UUID.randomUUID().toString()))) {
      String forged = parts[0] + "." + b64(changed.encode()) + "." + parts[2];
      assertThatThrownBy(() -> offline(server, forged, ISSUER, SHOP)).hasMessageContaining("Invalid signature");
      assertInactive(forged, AccessTokenMetrics.INVALID);
    }
    String kidSwapped = b64(header(token).put("kid", "at-other").encode()) + "." + parts[1] + "." + parts[2];
    assertInactive(kidSwapped, AccessTokenMetrics.INVALID);
    assertInactive(token + "x", AccessTokenMetrics.INVALID);
  }

  @Test
  void algNoneIsRefused() throws Exception {
    JWTClaimsSet genuine = JWTClaimsSet.parse(claims(token).encode());
    String none = new PlainJWT(new PlainHeader.Builder().type(new JOSEObjectType("at+jwt")).build(), genuine)
        .serialize();
    assertThat(header(none).getString("alg")).isEqualTo("none");
    assertThatThrownBy(() -> offline(server, none, ISSUER, SHOP)).hasMessageContaining("Unsecured (plain) JWTs are rejected");
    assertInactive(none, AccessTokenMetrics.INVALID);
    // the same with our kid and typ, and with an empty or a copied signature
    String header = b64(header(token).put("alg", "none").encode());
    String payload = token.split("\\.")[1];
    assertInactive(header + "." + payload + ".", AccessTokenMetrics.INVALID);
    assertInactive(header + "." + payload + "." + token.split("\\.")[2], AccessTokenMetrics.INVALID);
  }

  @Test
  void hs256KeyedWithThePublicKeyIsRefused() throws Exception {
    ECKey published = (ECKey) JWKSet.parse(server.http("GET", "/.well-known/jwks.json", null).body()).getKeys().get(0);
    JWTClaimsSet genuine = JWTClaimsSet.parse(claims(token).encode());
    List<byte[]> secrets = List.of(published.toECPublicKey().getEncoded(),
        published.toJSONString().getBytes(StandardCharsets.UTF_8),
        published.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8));
    for (byte[] secret : secrets) {
      SignedJWT confused = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(published.getKeyID())
          .type(new JOSEObjectType("at+jwt")).build(), genuine);
      confused.sign(new MACSigner(secret));
      String hs = confused.serialize();
      assertThatThrownBy(() -> offline(server, hs, ISSUER, SHOP)).hasMessageContaining("Another algorithm expected");
      assertInactive(hs, AccessTokenMetrics.INVALID);
    }
  }

  @Test
  void anotherAudiencesTokenIsRefusedByASiteThatChecksItsOwn() throws Exception {
    owner.queue("other", passthrough("https://other.example.test", new JsonObject()));
    String theirs = token(owner, admitted(owner, "other"));
    assertThatThrownBy(() -> offline(server, theirs, ISSUER, SHOP)).hasMessageContaining("aud claim rejected");
    JsonObject mine = new JsonObject().put("token", theirs).put("audience", SHOP);
    double before = AccessFixtures.counter(server, "vq_access_token_verifications_total", "result=\"foreign\"");
    Resp r = verify(server, apiKey, mine);
    assertThat(r.json()).isEqualTo(new JsonObject().put("active", false));
    assertThat(AccessFixtures.counter(server, "vq_access_token_verifications_total", "result=\"foreign\""))
        .isEqualTo(before + 1);
    // without an audience the site is told the token's, and checks it itself
    assertThat(verify(server, apiKey, theirs).getString("aud")).isEqualTo("https://other.example.test");
    assertThat(verify(server, apiKey, new JsonObject().put("token", token).put("audience", SHOP)).json()
        .getBoolean("active")).isTrue();
  }

  @Test
  void aStaffTokenIsNoAccessToken() {
    assertThatThrownBy(() -> offline(server, owner.token(), ISSUER, SHOP)).isInstanceOf(Exception.class);
    assertInactive(owner.token(), AccessTokenMetrics.INVALID);
  }

  @Test
  void anotherTenantsTokenIsInactiveForIt() throws Exception {
    Staff rival = server.tenant("rival");
    String rivalKey = AccessFixtures.apiKey(rival, "admin");
    String rivalRoom = rival.queue("drop", passthrough(SHOP + "/rival", new JsonObject())).getString("id");
    assertThatThrownBy(() -> offline(server, token, ISSUER, SHOP + "/rival")).hasMessageContaining("aud claim rejected");
    double before = AccessFixtures.counter(server, "vq_access_token_verifications_total", "result=\"foreign\"");
    assertThat(verify(server, rivalKey, token)).isEqualTo(new JsonObject().put("active", false));
    assertThat(AccessFixtures.release(server, rivalKey, token).getBoolean("released")).isFalse();
    assertThat(AccessFixtures.counter(server, "vq_access_token_verifications_total", "result=\"foreign\""))
        .isEqualTo(before + 1);
    assertThat(verify(server, apiKey, token).getBoolean("active")).as("still active for its own tenant").isTrue();
    assertThat(rivalRoom).isNotEqualTo(queueId);
  }

  @Test
  void garbageIsInactiveNotAnError() {
    List<String> junk = new ArrayList<>(List.of("x", "a.b.c", "..", "eyJhbGciOiJFUzI1NiJ9.e30." + "A".repeat(86),
        "vq_notatoken", "\u0000\u0001", "é".repeat(100)));
    junk.add(token.replace('.', '!'));
    for (String t : junk) {
      assertInactive(t, AccessTokenMetrics.INVALID);
    }
  }

  @Test
  void neitherTheTokenNorThePrivateKeyIsInTheDatabase() {
    AccessKey signer = module().accessKeys().signer(Instant.now());
    byte[] pkcs8 = signer.privateKey().getEncoded();
    byte[] d = signer.privateKey().getS().toByteArray();
    String keys = server.scalar("SELECT string_agg(k::text, ' ') FROM access_keys k");
    String sessions = server.scalar("SELECT string_agg(s::text, ' ') FROM admission_sessions s");
    for (String secret : List.of(Base64.getEncoder().encodeToString(pkcs8), Base64.getUrlEncoder().withoutPadding()
        .encodeToString(d), HexFormat.of().formatHex(d), HexFormat.of().formatHex(pkcs8))) {
      assertThat(keys).doesNotContain(secret);
    }
    assertThat(keys).contains(signer.kid()).contains(signer.jwk().x());
    assertThat(sessions).doesNotContain(token).doesNotContain(token.split("\\.")[2]);
    String sealed = server.scalar("SELECT private_sealed FROM access_keys WHERE kid = '" + signer.kid() + "'");
    SecretSealer other = new SecretSealer(server.app().modules().serverKey().derive("webhook-seal"), new SecureRandom());
    assertThatThrownBy(() -> other.open(sealed, signer.kid())).as("another derived key does not open it")
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertInactive(String bad, String why) {
    double before = AccessFixtures.counter(server, "vq_access_token_verifications_total", "result=\"" + why + "\"");
    Resp r = verify(server, apiKey, new JsonObject().put("token", bad));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json()).as("nothing but active:false for %s", bad).isEqualTo(new JsonObject().put("active", false));
    assertThat(AccessFixtures.counter(server, "vq_access_token_verifications_total", "result=\"" + why + "\""))
        .as("counted as %s", why).isEqualTo(before + 1);
  }

  static AdmissionModule module() {
    return server.app().modules().admission();
  }

  /** The room's settings as the server holds them. */
  static WaitingRoom room() {
    return module().queues().cached(UUID.fromString(queueId)).toCompletionStage().toCompletableFuture().join()
        .waitingRoom();
  }

  /** The admitted person's session with other times (to sign a token the server would never hand out now). */
  static AdmissionSession session(Instant iat, Instant exp) {
    JsonObject c = claims(token);
    return new AdmissionSession(UUID.fromString(c.getString("sub")), UUID.fromString(c.getString("tid")),
        UUID.fromString(c.getString("qid")), UUID.fromString(c.getString("jti")), iat, iat, exp, exp, null, null,
        null);
  }
}
