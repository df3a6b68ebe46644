package dev.virtualqueue.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Browser;
import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.SiteServer;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * /assets/gate.js on a protected site of its own origin, in headless Chromium: it takes the token
 * from the fragment and removes it from the address bar, keeps it for the tab, sends people
 * without a valid one (none, expired, another audience or issuer, garbage) back to the join page,
 * also when the token runs out on the page, and releases only through the site's own backend.
 *
 * <p>The browser check reads the claims without checking a signature (that is the site server's
 * job, see docs/protected-site.md), so these tokens are made here, unsigned; the real tokens' way
 * from the join page to the site is in WaitingRoomPageIT.
 */
class GateScriptIT {
  private static final Duration SHORT = Duration.ofSeconds(10);
  private static final String AUDIENCE = "https://shop.example.test";
  private static final String ISSUER = "https://queue.example.test";
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static final SiteServer SITE = SiteServer.start();
  private static String joinUrl;

  @BeforeAll
  static void setUp() {
    server.tenant("gate").queue("drop");
    joinUrl = server.base() + "/q/gate/drop";
    String gate = server.base() + "/assets/gate.js";
    SITE.page("/shop", page(gate, "data-join-url=\"" + joinUrl + "\" data-audience=\"" + AUDIENCE
            + "\" data-release-url=\"/release\""))
        .page("/strict", page(gate, "data-join-url=\"" + joinUrl + "\" data-issuer=\"" + ISSUER + "\""))
        .page("/own-way", page(gate, "data-join-url=\"" + joinUrl + "\" data-redirect=\"off\""));
  }

  @AfterAll
  static void tearDown() {
    SITE.close();
  }

  private static String page(String gate, String attributes) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Shop</title><script src=\"" + gate
        + "\" " + attributes + "></script></head><body><h1 id=\"shop\">The shop</h1></body></html>";
  }

  /** An unsigned token with these claims (the browser never looks at the signature). */
  static String token(Map<String, Object> claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}"
        .getBytes(StandardCharsets.UTF_8));
    String payload = b64.encodeToString(new JsonObject(claims).encode().getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + "." + "A".repeat(86);
  }

  static String token(String aud, long expEpoch) {
    return token(Map.of("iss", ISSUER, "sub", "7d1e0c1e-0000-4000-8000-000000000001", "aud", aud, "exp", expEpoch,
        "iat", Instant.now().getEpochSecond()));
  }

  private static long inAnHour() {
    return Instant.now().plusSeconds(3600).getEpochSecond();
  }

  private static String url(Browser b) {
    return b.driver().getCurrentUrl();
  }

  @Test
  void aValidTokenIsTakenFromTheFragmentKeptForTheTabAndNeverSentToTheSite() {
    String token = token(AUDIENCE, inAnHour());
    try (Browser b = Browser.start(1024, 768)) {
      b.open(SITE.base() + "/shop#vq_access_token=" + token + "&tab=2");
      b.awaitText("#shop", "The shop", SHORT);
      assertThat(b.js("return location.hash")).as("the token left the address bar, the rest stayed")
          .isEqualTo("#tab=2");
      assertThat(b.js("return VirtualQueueGate.token()")).isEqualTo(token);
      assertThat(b.js("return VirtualQueueGate.claims().sub")).isEqualTo("7d1e0c1e-0000-4000-8000-000000000001");
      // another page of the site in the same tab: the kept token lets it in
      b.open(SITE.base() + "/shop");
      b.awaitText("#shop", "The shop", SHORT);
      assertThat(url(b)).isEqualTo(SITE.base() + "/shop");
      assertThat(b.js("return VirtualQueueGate.token()")).isEqualTo(token);
      b.screenshot("gate-1-in");
    }
    assertThat(SITE.requests()).isNotEmpty()
        .allSatisfy(r -> assertThat(r.uri() + r.body()).doesNotContain(token).doesNotContain("vq_access_token"));
  }

  @Test
  void withoutAValidTokenTheVisitorGoesBackToTheLine() {
    String[] refused = {
        "",                                                      // no token at all
        "#vq_access_token=" + token(AUDIENCE, Instant.now().minusSeconds(5).getEpochSecond()), // expired
        "#vq_access_token=" + token("https://other.example.test", inAnHour()),                  // another site's
        "#vq_access_token=" + token(Map.of("aud", AUDIENCE)),                                   // no exp
        "#vq_access_token=not.a-token",                                                         // garbage
    };
    for (String fragment : refused) {
      try (Browser b = Browser.start(1024, 768)) {
        b.open(SITE.base() + "/shop" + fragment);
        b.await(SHORT, "sent to the join page from /shop" + fragment, d -> url(b).equals(joinUrl));
        b.awaitContains("#queue-name", "Queue drop", SHORT);
      }
    }
    try (Browser b = Browser.start(1024, 768)) {
      b.open(SITE.base() + "/strict#vq_access_token=" + token(Map.of("iss", "https://evil.example.test", "aud", "x",
          "exp", inAnHour())));
      b.await(SHORT, "another issuer is sent back", d -> url(b).equals(joinUrl));
      b.open(SITE.base() + "/strict#vq_access_token=" + token(Map.of("iss", ISSUER, "aud", "x", "exp", inAnHour())));
      b.awaitText("#shop", "The shop", SHORT);
      assertThat(url(b)).as("the right issuer stays").startsWith(SITE.base() + "/strict");
    }
  }

  @Test
  void aTokenThatRunsOutOnThePageSendsTheVisitorBack() {
    try (Browser b = Browser.start(1024, 768)) {
      b.open(SITE.base() + "/shop#vq_access_token=" + token(AUDIENCE, Instant.now().getEpochSecond() + 3));
      b.awaitText("#shop", "The shop", SHORT);
      assertThat(b.js("return VirtualQueueGate.token() !== null")).isEqualTo(true);
      b.await(Duration.ofSeconds(15), "back in line when the token expires", d -> url(b).equals(joinUrl));
    }
  }

  @Test
  void withRedirectOffTheSiteDecides() {
    try (Browser b = Browser.start(1024, 768)) {
      b.open(SITE.base() + "/own-way");
      b.awaitText("#shop", "The shop", SHORT);
      assertThat(b.js("return VirtualQueueGate.token()")).isNull();
      assertThat(b.js("return VirtualQueueGate.claims()")).isNull();
      assertThat(url(b)).isEqualTo(SITE.base() + "/own-way");
    }
  }

  @Test
  void releaseGoesToTheSitesOwnBackendAndForgetsTheToken() {
    String token = token(AUDIENCE, inAnHour());
    try (Browser b = Browser.start(1024, 768)) {
      b.open(SITE.base() + "/shop#vq_access_token=" + token);
      b.awaitText("#shop", "The shop", SHORT);
      Object released = b.driver().executeAsyncScript(
          "const done = arguments[arguments.length - 1]; VirtualQueueGate.release().then(done, e => done(String(e)));");
      assertThat(released).isEqualTo(true);
      assertThat(b.js("return VirtualQueueGate.token()")).isNull();
      assertThat(b.js("return sessionStorage.length")).isEqualTo(0L);
      SiteServer.Request post = Poll.until(() -> SITE.requests().stream()
          .filter(r -> r.method().equals("POST")).findFirst().orElse(null), r -> r != null, "the release reached the site");
      assertThat(post.uri()).isEqualTo("/release");
      assertThat(new JsonObject(post.body()).getString("token")).isEqualTo(token);
      // the next page of the site finds no token: back to the line
      b.open(SITE.base() + "/shop");
      b.await(SHORT, "released: back to the line", d -> url(b).equals(joinUrl));
    }
  }
}
