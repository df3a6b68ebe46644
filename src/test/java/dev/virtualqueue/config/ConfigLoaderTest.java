package dev.virtualqueue.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  @Test
  void environmentOverridesTheFile() {
    AppConfig c = ConfigLoader.load(Map.of("VQ_PROFILE", "dev", "VQ_HTTP_PORT", "9090",
        "VQ_PG_URL", "postgresql://u@db:5433/x", "VQ_REDIS_KEY_PREFIX", "t1"));
    assertThat(c.dev()).isTrue();
    assertThat(c.http().port()).isEqualTo(9090);
    assertThat(c.pg().url().getPort()).isEqualTo(5433);
    assertThat(c.redis().keyPrefix()).isEqualTo("t1");
  }

  @Test
  void envNamesFollowTheVqConvention() {
    assertThat(ConfigLoader.envName("jwt.keysDir")).isEqualTo("VQ_JWT_KEYS_DIR");
    assertThat(ConfigLoader.envName("management.port")).isEqualTo("VQ_MANAGEMENT_PORT");
  }

  @Test
  void everyBadValueIsReportedOnItsOwnLine() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("VQ_HTTP_PORT", "eighty", "VQ_PG_URL", "mysql://x",
        "VQ_REDIS_URL", "localhost", "VQ_PROFILE", "prod")))
        .isInstanceOfSatisfying(ConfigLoader.ConfigException.class, e -> assertThat(e.problems())
            .anySatisfy(p -> assertThat(p).contains("VQ_HTTP_PORT"))
            .anySatisfy(p -> assertThat(p).contains("VQ_PG_URL"))
            .anySatisfy(p -> assertThat(p).contains("VQ_REDIS_URL"))
            .anySatisfy(p -> assertThat(p).contains("VQ_JWT_KEYS_DIR")));
  }

  @Test
  void mailIsOffWithoutAHostAndNeedsASenderAndAPublicUrlWithOne() {
    AppConfig off = ConfigLoader.load(Map.of("VQ_PROFILE", "dev"));
    assertThat(off.mail().enabled()).isFalse();
    assertThat(off.webhooks().allowPrivateNetworks()).isFalse();
    assertThat(off.webhooks().timeoutSeconds()).isEqualTo(15);

    AppConfig on = ConfigLoader.load(Map.of("VQ_PROFILE", "dev", "VQ_MAIL_HOST", "smtp.example.org",
        "VQ_MAIL_PORT", "2525", "VQ_MAIL_FROM", "Queue <queue@example.org>", "VQ_MAIL_STARTTLS", "required",
        "VQ_HTTP_PUBLIC_URL", "https://queue.example.org", "VQ_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true"));
    assertThat(on.mail().enabled()).isTrue();
    assertThat(on.mail().port()).isEqualTo(2525);
    assertThat(on.mail().starttls()).isEqualTo(AppConfig.Mail.StartTls.REQUIRED);
    assertThat(on.webhooks().allowPrivateNetworks()).isTrue();

    assertThatThrownBy(() -> ConfigLoader.load(Map.of("VQ_PROFILE", "dev", "VQ_MAIL_HOST", "smtp.example.org",
        "VQ_MAIL_STARTTLS", "sometimes", "VQ_MAIL_USERNAME", "queue", "VQ_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "yes")))
        .isInstanceOfSatisfying(ConfigLoader.ConfigException.class, e -> assertThat(e.problems())
            .anySatisfy(p -> assertThat(p).contains("VQ_MAIL_FROM"))
            .anySatisfy(p -> assertThat(p).contains("VQ_HTTP_PUBLIC_URL"))
            .anySatisfy(p -> assertThat(p).contains("VQ_MAIL_STARTTLS"))
            .anySatisfy(p -> assertThat(p).contains("VQ_MAIL_PASSWORD_FILE"))
            .anySatisfy(p -> assertThat(p).contains("VQ_WEBHOOK_ALLOW_PRIVATE_NETWORKS")));
  }

  @Test
  void theManagementPortIsOnLoopbackByDefaultAndBasicAuthNeedsBothHalves() {
    AppConfig c = ConfigLoader.load(Map.of("VQ_PROFILE", "dev"));
    assertThat(c.management().host()).isEqualTo("127.0.0.1");
    assertThat(c.management().metricsProtected()).isFalse();
    assertThat(ConfigLoader.load(Map.of("VQ_PROFILE", "dev", "VQ_MANAGEMENT_METRICS_TOKEN_FILE", "/run/secrets/t"))
        .management().metricsProtected()).isTrue();
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("VQ_PROFILE", "dev", "VQ_MANAGEMENT_METRICS_USERNAME", "prom")))
        .isInstanceOfSatisfying(ConfigLoader.ConfigException.class, e -> assertThat(e.problems())
            .anySatisfy(p -> assertThat(p).contains("VQ_MANAGEMENT_METRICS_PASSWORD_FILE")));
  }
}
