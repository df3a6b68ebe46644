package dev.virtualqueue.admission;

import static dev.virtualqueue.admission.AccessFixtures.admitted;
import static dev.virtualqueue.admission.AccessFixtures.header;
import static dev.virtualqueue.admission.AccessFixtures.kids;
import static dev.virtualqueue.admission.AccessFixtures.offline;
import static dev.virtualqueue.admission.AccessFixtures.passthrough;
import static dev.virtualqueue.admission.AccessFixtures.token;
import static dev.virtualqueue.admission.AccessFixtures.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rotating the access keys with the operator command, on two servers sharing one database: the new
 * key is published at once and signs only from its time, both keys stay published through the
 * overlap, a token of the old key verifies until the old key retires and not after, both servers
 * agree throughout, and a shorter overlap than the longest session is refused. Times are moved by
 * SQL instead of waited for.
 */
class AccessKeyRotationIT {
  static final String ISSUER = "http://localhost";
  static final String AUD = "urn:shop:rotation";
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static TestServer sibling;
  static Staff owner;
  static String apiKey;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void twoServers() {
    sibling = server.sibling();
    owner = server.tenant("rotation");
    apiKey = AccessFixtures.apiKey(owner, "viewer");
    owner.queue("drop", passthrough(AUD, new JsonObject()));
  }

  @AfterAll
  static void stopSibling() {
    sibling.close();
  }

  int command(String... args) {
    return command(server, args);
  }

  /** Runs {@code access-keys} in-process with {@code s}'s settings (its database, its server key file). */
  int command(TestServer s, String... args) {
    out.reset();
    err.reset();
    return AccessKeysCommand.run(s.app().modules().config(), args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /** The holder's token as the given server signs it. */
  static String tokenOn(TestServer s, JsonObject joined) {
    return token(new Staff(s, owner.tenant(), owner.token()), joined);
  }

  @Test
  void rotationPublishesFirstSignsLaterAndRetiresAfterTheOverlap() throws Exception {
    JsonObject person = admitted(owner, "drop");
    String old = token(owner, person);
    String oldKid = header(old).getString("kid");
    assertThat(kids(server)).containsExactly(oldKid);

    String newKid = rotateWithDefaults(oldKid, person);

    // its signing time comes (moved forward instead of waited for): new tokens carry the new kid, on both servers
    server.sql("UPDATE access_keys SET signs_from = now() WHERE kid = '" + newKid + "'");
    for (TestServer s : List.of(server, sibling)) {
      Poll.until(() -> header(tokenOn(s, person)).getString("kid"), newKid::equals, 15_000, "the new key signs");
      assertThat(kids(s)).as("the old key stays published through the overlap").contains(oldKid);
      assertThat(verify(s, apiKey, old).getBoolean("active")).as("an old-key token still verifies").isTrue();
    }
    String fresh = tokenOn(sibling, person);
    assertThat(offline(server, old, ISSUER, AUD).getSubject()).isEqualTo(person.getString("id"));
    assertThat(offline(server, fresh, ISSUER, AUD).getSubject()).as("signed by one, published by the other")
        .isEqualTo(person.getString("id"));
    assertThat(verify(server, apiKey, fresh).getBoolean("active")).isTrue();

    // the overlap ends: the old key leaves the JWKS and its tokens verify nowhere
    server.sql("UPDATE access_keys SET retire_at = now() - interval '1 second' WHERE kid = '" + oldKid + "'");
    for (TestServer s : List.of(server, sibling)) {
      Poll.until(() -> kids(s), k -> !k.contains(oldKid), 15_000, "the old key retired");
      assertThat(verify(s, apiKey, old)).isEqualTo(new JsonObject().put("active", false));
      assertThat(verify(s, apiKey, fresh).getBoolean("active")).isTrue();
    }
    assertThatThrownBy(() -> offline(server, old, ISSUER, AUD)).hasMessageContaining("Another algorithm expected");
    assertThat(command("list")).as(err.toString()).isZero();
    assertThat(out.toString()).containsPattern(newKid + "\\s+signing").containsPattern(oldKid + "\\s+retired");
  }

  /** {@code rotate} with its defaults: the new kid, published on both servers, not signing yet. */
  private String rotateWithDefaults(String oldKid, JsonObject person) {
    assertThat(command("rotate")).as(err.toString()).isZero();
    Matcher made = Pattern.compile("new access key (\\S+): published now").matcher(out.toString());
    assertThat(made.find()).as(out.toString()).isTrue();
    String newKid = made.group(1);
    assertThat(out.toString()).contains(oldKid + ": stop signing then").contains("overlap 3600 s");
    for (TestServer s : List.of(server, sibling)) {
      Poll.until(() -> kids(s), k -> k.containsAll(List.of(oldKid, newKid)), 15_000, "both keys published");
      assertThat(header(tokenOn(s, person)).getString("kid")).as("the new key does not sign yet").isEqualTo(oldKid);
    }
    assertThat(server.count("SELECT round(extract(epoch FROM signs_from - now())) FROM access_keys WHERE kid = '"
        + newKid + "'")).isBetween(115L, 120L);
    assertThat(server.count("SELECT round(extract(epoch FROM a.retire_at - n.s)) FROM access_keys a,"
        + " (SELECT signs_from FROM access_keys WHERE kid = '" + newKid + "') n(s) WHERE a.kid = '" + oldKid
        + "'")).isEqualTo(3600);
    return newKid;
  }

  @Test
  void anOverlapShorterThanTheLongestSessionIsRefused() {
    try (TestServer own = TestServer.start()) {
      own.tenant("long").queue("long", passthrough("urn:shop:long", new JsonObject().put("renewOnActivity", true)
          .put("sessionSeconds", 1800).put("maxSessionSeconds", 7200)));
      assertThat(command(own, "rotate", "--overlap", "3600")).isEqualTo(2);
      assertThat(err.toString()).contains("--overlap 3600 is shorter than the longest session")
          .contains("7200").contains("--force");
      assertThat(own.count("SELECT count(*) FROM access_keys")).as("nothing changed").isEqualTo(1);
      assertThat(command(own, "rotate", "--overlap", "7200", "--activate-in", "30")).as(err.toString()).isZero();
      assertThat(out.toString()).contains("warning: --activate-in 30 is below 70 s");
      assertThat(own.count("SELECT count(*) FROM access_keys WHERE retire_at IS NULL")).as("only the new key").isEqualTo(1);
      assertThat(command(own, "rotate", "--overlap", "60", "--force")).as(err.toString()).isZero();
      assertThat(own.count("SELECT count(*) FROM access_keys")).isEqualTo(3);
    }
  }

  @Test
  void badUsageExitsWith2AndHelpWith0() {
    assertThat(command()).isEqualTo(2);
    assertThat(err.toString()).contains("usage: virtual-queue access-keys");
    assertThat(command("turn")).isEqualTo(2);
    assertThat(command("rotate", "--overlap")).isEqualTo(2);
    assertThat(command("rotate", "--overlap", "-5")).isEqualTo(2);
    assertThat(command("rotate", "--activate-in", "soon")).isEqualTo(2);
    assertThat(command("list", "--force")).isEqualTo(2);
    assertThat(command("rotate", "--help")).isZero();
    assertThat(out.toString()).startsWith("usage: virtual-queue access-keys").contains("--overlap");
  }

  @Test
  void twoServersStartingOnAnEmptyKeyTableMakeOneKey() throws Exception {
    TestServer fresh = TestServer.start();
    try {
      fresh.stop();
      fresh.sql("DELETE FROM access_keys");
      CompletableFuture<TestServer> a = CompletableFuture.supplyAsync(fresh::sibling);
      CompletableFuture<TestServer> b = CompletableFuture.supplyAsync(fresh::sibling);
      TestServer one = a.get();
      TestServer two = b.get();
      assertThat(fresh.count("SELECT count(*) FROM access_keys")).isEqualTo(1);
      assertThat(kids(one)).isEqualTo(kids(two)).hasSize(1);
      one.close();
      two.close();
    } finally {
      fresh.close();
    }
  }
}
