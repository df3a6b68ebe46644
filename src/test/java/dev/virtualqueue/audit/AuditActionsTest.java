package dev.virtualqueue.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Action names derived from the staff route table, and the verify command's report. */
class AuditActionsTest {

  @Test
  void routesGetStableDottedNames() {
    assertThat(AuditActions.of(HttpMethod.POST, "/api/v1/queues")).isEqualTo("queue.create");
    assertThat(AuditActions.of(HttpMethod.PATCH, "/api/v1/queues/:queueId")).isEqualTo("queue.update");
    assertThat(AuditActions.of(HttpMethod.POST, "/api/v1/queues/:queueId/pause")).isEqualTo("queue.pause");
    assertThat(AuditActions.of(HttpMethod.POST, "/api/v1/queues/:queueId/display-key")).isEqualTo("queue.display_key");
    assertThat(AuditActions.of(HttpMethod.DELETE, "/api/v1/queues/:queueId/display-key"))
        .isEqualTo("queue.display_key_delete");
    assertThat(AuditActions.of(HttpMethod.POST, "/api/v1/queues/:queueId/counters")).isEqualTo("counter.create");
    assertThat(AuditActions.of(HttpMethod.POST, "/api/v1/counters/:counterId/open")).isEqualTo("counter.open");
    assertThat(AuditActions.of(HttpMethod.POST, "/api/v1/counters/:counterId/call-next")).isEqualTo("ticket.call");
    assertThat(AuditActions.of(HttpMethod.POST, "/api/v1/queues/:queueId/tickets")).isEqualTo("ticket.create");
    assertThat(AuditActions.of(HttpMethod.POST, "/api/v1/tickets/:ticketId/no-show")).isEqualTo("ticket.no_show");
    assertThat(AuditActions.of(HttpMethod.POST, "/api/v1/staff")).isEqualTo("staff.create");
    assertThat(AuditActions.of(HttpMethod.PATCH, "/api/v1/staff/:id")).isEqualTo("staff.update");
    assertThat(AuditActions.of(HttpMethod.POST, "/api/v1/api-keys")).isEqualTo("api_key.create");
    assertThat(AuditActions.of(HttpMethod.DELETE, "/api/v1/api-keys/:id")).isEqualTo("api_key.revoke");
    assertThat(AuditActions.of(HttpMethod.POST, "/api/v1/webhooks")).isEqualTo("webhook.create");
    assertThat(AuditActions.of(HttpMethod.DELETE, "/api/v1/webhooks/:webhookId")).isEqualTo("webhook.delete");
    assertThat(AuditActions.of(HttpMethod.POST, "/api/v1/webhooks/:webhookId/rotate-secret"))
        .isEqualTo("webhook.rotate_secret");
    assertThat(AuditActions.of(HttpMethod.POST, "/api/v1/access-tokens/release")).isEqualTo("access_token.release");
    assertThat(AuditActions.of(HttpMethod.POST, "/api/v1/auth/2fa/enroll")).isEqualTo("2fa.enroll");
    assertThat(AuditActions.of(HttpMethod.POST, "/api/v1/auth/2fa/confirm")).isEqualTo("2fa.confirm");
    assertThat(AuditActions.of(HttpMethod.POST, "/api/v1/auth/2fa/disable")).isEqualTo("2fa.disable");
    assertThat(AuditActions.of(HttpMethod.DELETE, "/api/v1/staff/:id/2fa")).isEqualTo("staff.2fa_delete");
    assertThat(AuditActions.of(HttpMethod.PATCH, "/api/v1/tenant/settings")).isEqualTo("tenant.settings_update");
    assertThat(AuditActions.targetType("api_key.revoke")).isEqualTo("api_key");
  }

  @Test
  void verifyReportsTheFirstBrokenSeqAndExitsWithThree() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    int ok = AuditCommand.report(List.of(new AuditVerifier.Result(UUID.randomUUID(), "a", 4, null, null)), ps, ps);
    int broken = AuditCommand.report(List.of(new AuditVerifier.Result(UUID.randomUUID(), "b", 2, 17L, "edited")),
        ps, ps);
    assertThat(ok).isZero();
    assertThat(broken).isEqualTo(3);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("a: ok, 4 entries").contains("b: BROKEN at seq 17");
    assertThat(AuditCommand.run(null, new String[] {"nonsense"}, ps, ps)).isEqualTo(2);
  }
}
