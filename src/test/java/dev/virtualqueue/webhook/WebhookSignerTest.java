package dev.virtualqueue.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.virtualqueue.webhook.WebhookSigner.SignedHeaders;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Signatures a Standard Webhooks receiver accepts: the spec's vectors and its reference verifier. */
class WebhookSignerTest {
  // Test vector of the Standard Webhooks reference libraries: standard-webhooks/standard-webhooks,
  // libraries/java/src/test/java/com/standardwebhooks/TestScenario.java (validSigned) and
  // libraries/go/webhook_test.go (TestWebhookSign), the same values in every language's tests.
  private static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long VECTOR_TIMESTAMP = 1614265330L;
  private static final String VECTOR_PAYLOAD = "{\"test\": 2432232314}";
  private static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  private static final String BODY = "{\"type\":\"ticket.called\",\"timestamp\":\"2026-01-02T03:04:05Z\",\"data\":{}}";

  private final WebhookSigner signer = new WebhookSigner(new SecureRandom());

  @Test
  void signsThePublishedTestVector() {
    assertThat(WebhookSigner.signature(VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_PAYLOAD))
        .isEqualTo(VECTOR_SIGNATURE);
    SignedHeaders h = signer.sign(VECTOR_ID, Instant.ofEpochSecond(VECTOR_TIMESTAMP), VECTOR_PAYLOAD,
        SigningKeys.of(VECTOR_SECRET));
    assertThat(h.asMap()).containsExactly(Map.entry("webhook-id", VECTOR_ID),
        Map.entry("webhook-timestamp", "1614265330"), Map.entry("webhook-signature", VECTOR_SIGNATURE));
  }

  @Test
  void theReferenceVerifierAcceptsWhatWeSign() {
    String secret = signer.newSecret();
    SignedHeaders h = signer.sign("msg_1", Instant.now(), BODY, SigningKeys.of(secret));
    assertThatCode(() -> new Webhook(secret).verify(BODY, multimap(h))).doesNotThrowAnyException();
  }

  @Test
  void theReferenceVerifierRefusesAChangedBodyIdOrSecret() {
    String secret = signer.newSecret();
    SignedHeaders h = signer.sign("msg_1", Instant.now(), BODY, SigningKeys.of(secret));
    assertThatThrownBy(() -> new Webhook(secret).verify(BODY.replace("called", "served"), multimap(h)))
        .isInstanceOf(WebhookVerificationException.class);
    SignedHeaders otherId = new SignedHeaders("msg_2", h.timestamp(), h.signature());
    assertThatThrownBy(() -> new Webhook(secret).verify(BODY, multimap(otherId)))
        .isInstanceOf(WebhookVerificationException.class);
    assertThatThrownBy(() -> new Webhook(signer.newSecret()).verify(BODY, multimap(h)))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void duringARotationBothSecretsSignAndEitherVerifies() {
    Instant now = Instant.now();
    String old = signer.newSecret();
    String fresh = signer.newSecret();
    SigningKeys keys = SigningKeys.of(old).rotate(fresh, now.minus(Duration.ofHours(23)));
    SignedHeaders h = signer.sign("msg_r", now, BODY, keys);
    String[] parts = h.signature().split(" ");
    assertThat(parts).hasSize(2).allMatch(p -> p.startsWith("v1,"));
    assertThat(parts[0]).isEqualTo(WebhookSigner.signature(fresh, "msg_r", now.getEpochSecond(), BODY));
    assertThatCode(() -> new Webhook(old).verify(BODY, multimap(h))).doesNotThrowAnyException();
    assertThatCode(() -> new Webhook(fresh).verify(BODY, multimap(h))).doesNotThrowAnyException();
  }

  @Test
  void anOldSecretStopsSigning24HoursAfterTheRotation() {
    Instant now = Instant.now();
    String old = signer.newSecret();
    String fresh = signer.newSecret();
    SigningKeys keys = SigningKeys.of(old).rotate(fresh, now.minus(SigningKeys.ROTATION_OVERLAP));
    SignedHeaders h = signer.sign("msg_r", now, BODY, keys);
    assertThat(h.signature()).doesNotContain(" ");
    assertThatCode(() -> new Webhook(fresh).verify(BODY, multimap(h))).doesNotThrowAnyException();
    assertThatThrownBy(() -> new Webhook(old).verify(BODY, multimap(h)))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void newSecretsArePrefixedRandomBytesOfTheAllowedLengths() {
    String s = signer.newSecret();
    assertThat(s).startsWith("whsec_");
    assertThat(Base64.getDecoder().decode(s.substring(6))).hasSize(32);
    assertThat(Base64.getDecoder().decode(signer.newSecret(24).substring(6))).hasSize(24);
    assertThat(Base64.getDecoder().decode(signer.newSecret(64).substring(6))).hasSize(64);
    assertThatThrownBy(() -> signer.newSecret(23)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> signer.newSecret(65)).isInstanceOf(IllegalArgumentException.class);
    Set<String> many = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      many.add(signer.newSecret());
    }
    assertThat(many).hasSize(200);
    assertThat(many).allMatch(WebhookSigner::isValidSecret);
  }

  @Test
  void malformedSecretsAreNotSecrets() {
    assertThat(WebhookSigner.isValidSecret(VECTOR_SECRET)).isTrue();
    assertThat(WebhookSigner.isValidSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).as("no prefix").isFalse();
    assertThat(WebhookSigner.isValidSecret("whsec_")).isFalse();
    assertThat(WebhookSigner.isValidSecret("whsec_c2hvcnQ=")).as("5 bytes").isFalse();
    assertThat(WebhookSigner.isValidSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS!")).isFalse();
    assertThat(WebhookSigner.isValidSecret(null)).isFalse();
    assertThatThrownBy(() -> WebhookSigner.signature("whsec_", "m", 1, "b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Map<String, List<String>> multimap(SignedHeaders h) {
    return h.asMap().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
  }
}
