package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.config.AppConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Verified tokens are remembered, but the cache never accepts what a fresh check would refuse. */
@ExtendWith(VertxExtension.class)
class TokenCacheTest {
  private static final AppConfig.Jwt JWT = new AppConfig.Jwt("", "vq-test", 600);

  @Test
  void aVerifiedTokenIsNotCheckedAgainUntilItExpires(Vertx vertx) {
    AtomicLong now = new AtomicLong(System.currentTimeMillis());
    TokenService tokens = new TokenService(vertx, JwtKeys.generate(), JWT, now::get);
    UUID tenant = UUID.randomUUID();
    UUID staff = UUID.randomUUID();
    String token = tokens.issue(tenant, staff, Role.ADMIN).token();
    Principal expected = new Principal(tenant, Principal.Kind.STAFF, staff, Role.ADMIN);

    for (int i = 0; i < 5; i++) {
      assertThat(tokens.verify(token).await()).isEqualTo(expected);
    }
    assertThat(tokens.signatureChecks()).isEqualTo(1);

    // within the leeway after expiry it is still accepted, as a fresh check would
    now.addAndGet(600_000 + 4_000);
    assertThat(tokens.verify(token).await()).isEqualTo(expected);
    // past expiry plus leeway: refused, though it is cached
    now.addAndGet(2_000);
    assertThatThrownBy(() -> tokens.verify(token).await()).isInstanceOf(ApiException.Unauthorized.class);
  }

  @Test
  void aTamperedCopyOfACachedTokenIsCheckedAndRefused(Vertx vertx) {
    TokenService tokens = new TokenService(vertx, JwtKeys.generate(), JWT);
    UUID tenant = UUID.randomUUID();
    String token = tokens.issue(tenant, UUID.randomUUID(), Role.VIEWER).token();
    assertThat(tokens.verify(token).await().role()).isEqualTo(Role.VIEWER);

    String[] parts = token.split("\\.");
    String forgedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("\"viewer\"", "\"owner\"").getBytes(StandardCharsets.UTF_8));
    String forged = parts[0] + "." + forgedPayload + "." + parts[2];
    assertThat(forged).isNotEqualTo(token);

    assertThatThrownBy(() -> tokens.verify(forged).await()).isInstanceOf(ApiException.Unauthorized.class);
    assertThat(tokens.signatureChecks()).isEqualTo(2);
    // and the refusal is not remembered as a success, nor does it evict the genuine token
    assertThatThrownBy(() -> tokens.verify(forged).await()).isInstanceOf(ApiException.Unauthorized.class);
    assertThat(tokens.verify(token).await().role()).isEqualTo(Role.VIEWER);
  }
}
