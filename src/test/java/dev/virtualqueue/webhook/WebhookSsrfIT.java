package dev.virtualqueue.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Without VQ_WEBHOOK_ALLOW_PRIVATE_NETWORKS the routes refuse every spelling of loopback, private
 * and metadata addresses (the guard's own table test, UrlGuardTest, covers many more), on register
 * and on change, and store nothing.
 */
class WebhookSsrfIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static final List<String> HOSTILE = List.of("http://127.1/", "http://0x7f.1/", "http://2130706433/",
      "http://[::ffff:127.0.0.1]/", "http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8080/hook",
      "https://10.0.0.1/", "http://[::1]/", "http://0177.0.0.1/", "http://localhost/");

  @Test
  void hostileUrlsAreRefusedOnRegisterAndOnChange() {
    Staff staff = server.tenant("guarded");
    for (String url : HOSTILE) {
      Resp r = staff.call("POST", "/api/v1/webhooks", body(url));
      assertThat(r.status()).as("%s: %s", url, r).isEqualTo(400);
      assertThat(r.json().getString("code")).as(url).isEqualTo("webhook.url_forbidden");
    }
    assertThat(staff.call("GET", "/api/v1/webhooks").items()).isEmpty();
    assertThat(server.count("SELECT count(*) FROM webhook_endpoints")).isZero();

    // a public address literal needs no DNS and is allowed; changing it to a hostile one is refused
    Resp ok = staff.call("POST", "/api/v1/webhooks", new JsonObject().put("url", "https://93.184.216.34/hook")
        .put("events", new JsonArray().add("counter.closed")).encode());
    assertThat(ok.status()).as("%s", ok).isEqualTo(201);
    String id = ok.json().getString("id");
    // disabled at once: nothing is ever sent to that public address from a test
    assertThat(staff.call("PATCH", "/api/v1/webhooks/" + id, "{\"enabled\":false}").status()).isEqualTo(200);
    for (String url : HOSTILE) {
      Resp r = staff.call("PATCH", "/api/v1/webhooks/" + id, new JsonObject().put("url", url).encode());
      assertThat(r.json().getString("code")).as(url).isEqualTo("webhook.url_forbidden");
    }
    assertThat(staff.call("GET", "/api/v1/webhooks/" + id).json().getString("url")).isEqualTo("https://93.184.216.34/hook");
  }

  private static String body(String url) {
    return new JsonObject().put("url", url).put("events", new JsonArray().add("*")).encode();
  }
}
