package dev.virtualqueue.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Shared set-up of the access-token tests: admitted people, their tokens, and an independent verifier. */
final class AccessFixtures {
  private AccessFixtures() {
  }

  /** Settings of a waiting room that admits everyone at once, for sites identified by {@code audience}. */
  static JsonObject passthrough(String audience, JsonObject extra) {
    return AdmissionIT.room(new JsonObject().put("queueingMethod", "passthrough").put("audience", audience)
        .put("targetUrl", "https://shop.example.test/checkout").mergeIn(extra));
  }

  /** Joins {@code slug} and waits until the admitter lets the ticket in; the join answer (id, token). */
  static JsonObject admitted(Staff staff, String slug) {
    JsonObject joined = staff.join(slug);
    Poll.until(() -> staff.ticket(joined).getString("status"), "admitted"::equals, "admitted to " + slug);
    return joined;
  }

  /** The access token the holder reads on their ticket ({@code GET /api/v1/tickets/{id}}). */
  static String token(Staff staff, JsonObject joined) {
    JsonObject access = staff.ticket(joined).getJsonObject("access");
    assertThat(access).as("the admitted holder's access").isNotNull();
    return access.getString("accessToken");
  }

  static String apiKey(Staff owner, String role) {
    Resp r = owner.call("POST", "/api/v1/api-keys", new JsonObject().put("name", "shop").put("role", role).encode());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("key");
  }

  static Resp verify(TestServer server, String apiKey, JsonObject body) {
    return server.http("POST", "/api/v1/access-tokens/verify", body.encode(), "Authorization", "Bearer " + apiKey);
  }

  static JsonObject verify(TestServer server, String apiKey, String token) {
    Resp r = verify(server, apiKey, new JsonObject().put("token", token));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static JsonObject release(TestServer server, String apiKey, String token) {
    Resp r = server.http("POST", "/api/v1/access-tokens/release", new JsonObject().put("token", token).encode(),
        "Authorization", "Bearer " + apiKey);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static JsonObject header(String token) {
    return part(token, 0);
  }

  static JsonObject claims(String token) {
    return part(token, 1);
  }

  private static JsonObject part(String token, int i) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[i]), StandardCharsets.UTF_8));
  }

  static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The kids {@code /.well-known/jwks.json} publishes now. */
  static List<String> kids(TestServer server) {
    JsonArray keys = server.http("GET", "/.well-known/jwks.json", null).json().getJsonArray("keys");
    return keys.stream().map(k -> ((JsonObject) k).getString("kid")).toList();
  }

  /**
   * Verifies {@code token} the way a protected site would, with nimbus-jose-jwt alone: the JWKS
   * fetched over HTTP (no cache, so a retired key is gone at once), ES256 only, {@code typ} at+jwt
   * (RFC 9068), the issuer and the site's {@code audience}, expiry, and every claim present.
   */
  static JWTClaimsSet offline(TestServer server, String token, String issuer, String audience) throws Exception {
    JWKSource<SecurityContext> jwks = JWKSourceBuilder.<SecurityContext>create(
        URI.create(server.base() + "/.well-known/jwks.json").toURL()).cache(false).refreshAheadCache(false).rateLimited(false)
        .retrying(false).build();
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, jwks));
    processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
        new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "iat", "exp", "jti", "tid", "qid")));
    return processor.process(token, null);
  }

  /** A counter's value in a scrape of the management port's {@code /metrics}. */
  static double counter(TestServer server, String name, String labels) {
    String scrape = server.send("GET", server.management() + "/metrics", null).body();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{?" + Pattern.quote(labels) + ",?}? ([0-9.eE+-]+)$")
        .matcher(scrape);
    assertThat(m.find()).as("%s{%s} in the scrape", name, labels).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
