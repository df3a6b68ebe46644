package dev.virtualqueue.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The audit log against the real server and Postgres: capture, chain, tamper detection, purge, export, walls. */
class AuditIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("VQ_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true"));

  private static String slug() {
    return "au-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String tenantId(Staff s) {
    return server.scalar("SELECT id FROM tenants WHERE slug = '" + s.tenant() + "'");
  }

  private static List<AuditVerifier.Result> verify(String slug) throws Exception {
    return new AuditVerifier(server.app().modules().pool()).verify(slug).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  private static JsonObject latest(Staff s, String action) {
    JsonArray items = s.call("GET", "/api/v1/audit?action=" + action).items();
    assertThat(items).as(action).isNotEmpty();
    return items.getJsonObject(0);
  }

  @Test
  void everyStaffChangeAndSignInIsRecordedWithActorAddressAndRequestId() throws Exception {
    Staff owner = server.tenant(slug());
    String tenant = tenantId(owner);
    JsonObject queue = owner.queue("main");
    String counter = owner.openCounter(queue.getString("id"), "Desk 1");
    Resp staff = owner.call("POST", "/api/v1/staff", new JsonObject().put("email", "a@x.test")
        .put("displayName", "A").put("role", "agent").put("password", "long-enough-password-1").encode());
    assertThat(staff.status()).isEqualTo(201);
    keyAndWebhook(owner);
    Resp patched = server.http("PATCH", "/api/v1/queues/" + queue.getString("id"), new JsonObject()
        .put("name", "Renamed").encode(), "Authorization", "Bearer " + owner.token(), "X-Request-Id", "req-audit-1");
    assertThat(patched.status()).as("%s", patched).isEqualTo(200);
    server.http("POST", "/api/v1/auth/login", new JsonObject().put("tenant", owner.tenant())
        .put("email", "a@x.test").put("password", "wrong-password-here").encode());

    String ownerId = server.scalar("SELECT id FROM staff_users WHERE tenant_id = '" + tenant + "' AND role = 'owner'");
    JsonObject update = latest(owner, "queue.update");
    assertThat(update.getString("actor")).isEqualTo(ownerId);
    assertThat(update.getString("actorKind")).isEqualTo("staff");
    assertThat(update.getString("requestId")).isEqualTo("req-audit-1");
    assertThat(update.getString("clientAddr")).isEqualTo("127.0.0.1");
    assertThat(update.getString("targetId")).isEqualTo(queue.getString("id"));
    assertThat(latest(owner, "counter.open").getString("targetId")).isEqualTo(counter);
    for (String action : List.of("queue.create", "counter.create", "staff.create", "api_key.create",
        "api_key.revoke", "webhook.create", "auth.login")) {
      assertThat(latest(owner, action).getString("actorKind")).as(action).isNotNull();
    }
    JsonObject failed = latest(owner, "auth.login_failed");
    assertThat(failed.getString("actor")).isNull();
    assertThat(failed.getJsonObject("details").getString("email")).isEqualTo("a@x.test");
    assertThat(owner.call("GET", "/api/v1/audit").body()).doesNotContain("long-enough-password-1")
        .doesNotContain("wrong-password-here");
    assertThat(server.count("SELECT count(*) FROM audit_log WHERE tenant_id = '" + tenant + "'")).isGreaterThan(9);
    assertThat(verify(owner.tenant())).singleElement().satisfies(r -> assertThat(r.ok()).isTrue());
  }

  private static void keyAndWebhook(Staff owner) {
    Resp key = owner.call("POST", "/api/v1/api-keys", new JsonObject().put("name", "kiosk").put("role", "agent")
        .encode());
    assertThat(key.status()).as("%s", key).isEqualTo(201);
    assertThat(owner.call("DELETE", "/api/v1/api-keys/" + key.json().getString("id")).status()).isEqualTo(204);
    Resp hook = owner.call("POST", "/api/v1/webhooks", new JsonObject().put("url", "http://127.0.0.1:9/h")
        .put("events", new JsonArray().add("ticket.created")).encode());
    assertThat(hook.status()).as("%s", hook).isEqualTo(201);
  }

  @Test
  void concurrentWritersKeepOneUnbrokenChain() throws Exception {
    Staff owner = server.tenant(slug());
    List<CompletableFuture<Resp>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String q = "c" + i;
      calls.add(CompletableFuture.supplyAsync(() -> owner.call("POST", "/api/v1/queues",
          new JsonObject().put("slug", q).put("name", q).encode())));
    }
    calls.forEach(c -> assertThat(c.join().status()).isEqualTo(201));
    String tenant = tenantId(owner);
    assertThat(server.count("SELECT count(DISTINCT prev_hash) FROM audit_log WHERE tenant_id = '" + tenant + "'"))
        .isEqualTo(server.count("SELECT count(*) FROM audit_log WHERE tenant_id = '" + tenant + "'"));
    AuditVerifier.Result r = verify(owner.tenant()).get(0);
    assertThat(r.ok()).isTrue();
    assertThat(r.checked()).isGreaterThanOrEqualTo(41);
  }

  @Test
  void theTableRefusesEditsAndTheVerifierFindsTamperingAndDeletion() throws Exception {
    Staff owner = server.tenant(slug());
    String tenant = tenantId(owner);
    for (int i = 0; i < 5; i++) {
      owner.queue("t" + i);
    }
    List<Long> seqs = seqs(tenant);
    assertThat(refused("UPDATE audit_log SET action = 'x' WHERE seq = " + seqs.get(2))).isTrue();
    assertThat(refused("DELETE FROM audit_log WHERE seq = " + seqs.get(2))).isTrue();

    server.sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; "
        + "UPDATE audit_log SET details = '{\"route\":\"forged\"}' WHERE seq = " + seqs.get(3) + "; "
        + "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
    AuditVerifier.Result edited = verify(owner.tenant()).get(0);
    assertThat(edited.brokenSeq()).isEqualTo(seqs.get(3));
    assertThat(edited.reason()).contains("edited");

    Staff other = server.tenant(slug());
    String otherTenant = tenantId(other);
    other.queue("a");
    other.queue("b");
    List<Long> others = seqs(otherTenant);
    server.sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; "
        + "DELETE FROM audit_log WHERE seq = " + others.get(1) + "; "
        + "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
    AuditVerifier.Result deleted = verify(other.tenant()).get(0);
    assertThat(deleted.brokenSeq()).isEqualTo(others.get(2));
    assertThat(deleted.reason()).contains("removed");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    AppConfig config = server.app().modules().config();
    assertThat(AuditCommand.run(config, new String[] {"verify", "--tenant", other.tenant()}, ps, ps)).isEqualTo(3);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains(other.tenant() + ": BROKEN at seq " + others.get(2));
    assertThat(AuditCommand.run(config, new String[] {"verify", "--tenant", "no-such-tenant"}, ps, ps)).isEqualTo(2);
  }

  @Test
  void retentionPurgeKeepsTheChainVerifiable() throws Exception {
    Staff owner = server.tenant(slug());
    String tenant = tenantId(owner);
    for (int i = 0; i < 4; i++) {
      owner.queue("r" + i);
    }
    List<Long> seqs = seqs(tenant);
    // age the first three entries past a 30-day retention (as a superuser would; the hash covers 'at',
    // so re-hash them from the start of the chain to keep it valid before the purge)
    server.sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; "
        + "UPDATE audit_log SET at = at - interval '40 days' WHERE seq <= " + seqs.get(2) + " AND tenant_id = '"
        + tenant + "'; ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
    rehash(tenant);
    assertThat(verify(owner.tenant()).get(0).ok()).isTrue();

    long purged = server.app().modules().auth().audit().purge(30).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    assertThat(purged).isGreaterThanOrEqualTo(3);
    assertThat(server.scalar("SELECT seq FROM audit_anchor WHERE tenant_id = '" + tenant + "'"))
        .isEqualTo(seqs.get(2).toString());
    AuditVerifier.Result after = verify(owner.tenant()).get(0);
    assertThat(after.ok()).as("%s", after).isTrue();
    owner.queue("after-purge");
    assertThat(verify(owner.tenant()).get(0).ok()).isTrue();
  }

  @Test
  void exportIsAuditedAndEachTenantSeesOnlyItsOwnLog() {
    Staff owner = server.tenant(slug());
    Staff other = server.tenant(slug());
    owner.queue("x");
    Resp nd = owner.call("GET", "/api/v1/audit/export?format=ndjson");
    assertThat(nd.status()).isEqualTo(200);
    assertThat(nd.contentType()).startsWith("application/x-ndjson");
    String[] lines = nd.body().split("\n");
    assertThat(new JsonObject(lines[0]).getString("action")).isEqualTo("audit.export");
    assertThat(nd.body()).contains("queue.create");
    Resp csv = owner.call("GET", "/api/v1/audit/export?format=csv&action=queue.create");
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.body()).startsWith("seq,at,actor").contains("\"queue.create\"").doesNotContain("auth.login");
    assertThat(owner.call("GET", "/api/v1/audit?action=audit.export").items()).hasSize(2);
    assertThat(owner.call("GET", "/api/v1/audit/export?format=xml").status()).isEqualTo(400);

    String ownerActor = owner.call("GET", "/api/v1/audit?action=queue.create").items().getJsonObject(0)
        .getString("actor");
    assertThat(owner.call("GET", "/api/v1/audit?actor=" + ownerActor).items()).isNotEmpty();
    assertThat(other.call("GET", "/api/v1/audit?actor=" + ownerActor).items()).isEmpty();
    assertThat(other.call("GET", "/api/v1/audit/export").body()).doesNotContain(ownerActor);
    Resp page = owner.call("GET", "/api/v1/audit?limit=1");
    assertThat(page.items()).hasSize(1);
    assertThat(owner.call("GET", "/api/v1/audit?limit=1&cursor=" + page.json().getString("nextCursor")).items())
        .hasSize(1);
  }

  @Test
  void exportStreamsPastOnePage() throws Exception {
    Staff owner = server.tenant(slug());
    AuditActor system = new AuditActor(UUID.fromString(tenantId(owner)), "system", "system");
    AuditLog log = server.app().modules().auth().audit();
    for (int i = 0; i < 520; i++) {
      log.append(new AuditEntry(system, "test.entry", "test", Integer.toString(i), null, null, new JsonObject()))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    Resp nd = owner.call("GET", "/api/v1/audit/export?action=test.entry");
    assertThat(nd.body().split("\n")).hasSize(520);
    assertThat(new JsonObject(nd.body().split("\n")[519]).getString("targetId")).isEqualTo("0");
    assertThat(verify(owner.tenant()).get(0).checked()).isEqualTo(522);
  }

  @Test
  void anAuditWriteFailureFailsTheActionAndChangesNothing() {
    Staff owner = server.tenant(slug());
    String tenant = tenantId(owner);
    long before = server.app().modules().auth().audit().metrics().failures();
    server.sql("CREATE FUNCTION audit_refuse_" + tenant.replace("-", "") + "() RETURNS trigger LANGUAGE plpgsql AS $$ "
        + "BEGIN IF NEW.tenant_id = '" + tenant + "' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$; "
        + "CREATE TRIGGER audit_refuse_" + tenant.replace("-", "") + " BEFORE INSERT ON audit_log FOR EACH ROW "
        + "EXECUTE FUNCTION audit_refuse_" + tenant.replace("-", "") + "()");
    try {
      Resp r = owner.call("POST", "/api/v1/queues", new JsonObject().put("slug", "nope").put("name", "N").encode());
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.json().getString("code")).isEqualTo("audit.unavailable");
      assertThat(server.count("SELECT count(*) FROM queues WHERE tenant_id = '" + tenant + "'")).isZero();
      assertThat(server.app().modules().auth().audit().metrics().failures()).isGreaterThan(before);
      String metrics = server.send("GET", server.management() + "/metrics", null).body();
      assertThat(metrics).contains("vq_audit_write_failures_total").contains("vq_audit_writes_total");
    } finally {
      server.sql("DROP TRIGGER audit_refuse_" + tenant.replace("-", "") + " ON audit_log");
    }
  }

  private static boolean refused(String sql) {
    try {
      server.sql(sql);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }

  private static List<Long> seqs(String tenant) throws Exception {
    List<Long> out = new ArrayList<>();
    try (var c = server.database(); var rs = c.createStatement()
        .executeQuery("SELECT seq FROM audit_log WHERE tenant_id = '" + tenant + "' ORDER BY seq")) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }

  private static void rehash(String tenant) throws Exception {
    String prev = AuditLog.ZERO;
    for (long seq : seqs(tenant)) {
      String hash = server.scalar("SELECT audit_hash('" + prev + "', seq, tenant_id, at, actor, actor_kind, action, "
          + "target_type, target_id, client_addr, request_id, details) FROM audit_log WHERE seq = " + seq);
      server.sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; UPDATE audit_log SET prev_hash = '"
          + prev + "', hash = '" + hash + "' WHERE seq = " + seq
          + "; ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
      prev = hash;
    }
  }
}
