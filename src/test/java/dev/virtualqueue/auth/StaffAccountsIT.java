package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Staff management: changing role and state under the role rules (no escalation, the last owner
 * kept), changing one's own password, and one-time reset and invitation links.
 */
class StaffAccountsIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  private static Staff tenant(String name) {
    return server.tenant(name + "-" + UUID.randomUUID().toString().substring(0, 6));
  }

  /** Creates an account; its id. */
  private static String create(Staff by, String email, String role, String password) {
    JsonObject body = new JsonObject().put("email", email).put("displayName", "N").put("role", role);
    if (password != null) {
      body.put("password", password);
    }
    Resp r = by.call("POST", "/api/v1/staff", body.encode());
    assertThat(r.status()).as("create %s: %s", email, r).isEqualTo(201);
    return r.json().getString("id");
  }

  private static Resp patch(Staff by, String id, JsonObject change) {
    return by.call("PATCH", "/api/v1/staff/" + id, change.encode());
  }

  private static String row(String id) {
    return server.scalar("SELECT concat_ws('|', role, disabled, display_name, token_version) FROM staff_users"
        + " WHERE id = '" + id + "'");
  }

  private static void refused(Resp r, int status, String code) {
    assertThat(r.status()).as("%s", r).isEqualTo(status);
    assertThat(r.json().getString("code")).isEqualTo(code);
  }

  @Test
  void theRoleRulesHoldAndEveryRefusalChangesNothing() {
    Staff owner = tenant("rules");
    String ownerId = server.scalar("SELECT id FROM staff_users WHERE email = 'owner@" + owner.tenant() + ".test'");
    String adminEmail = "admin@" + owner.tenant() + ".test";
    String adminId = create(owner, adminEmail, "admin", "an admin password here");
    Staff admin = new Staff(server, owner.tenant(), server.login(owner.tenant(), adminEmail, "an admin password here"));
    String agentId = create(owner, "agent@" + owner.tenant() + ".test", "agent", "an agent password here");

    String[] before = {row(ownerId), row(adminId), row(agentId)};
    refused(patch(admin, ownerId, new JsonObject().put("disabled", true)), 403, "auth.forbidden");
    refused(patch(admin, adminId, new JsonObject().put("name", "Me")), 403, "auth.forbidden");
    refused(patch(admin, agentId, new JsonObject().put("role", "admin")), 403, "auth.forbidden");
    refused(patch(owner, ownerId, new JsonObject().put("role", "admin")), 409, "staff.last_owner");
    refused(patch(owner, ownerId, new JsonObject().put("disabled", true)), 409, "staff.last_owner");
    refused(patch(owner, agentId, new JsonObject()), 400, "request.missing_field");
    refused(patch(owner, agentId, new JsonObject().put("role", "boss")), 400, "request.invalid_value");
    refused(patch(owner, UUID.randomUUID().toString(), new JsonObject().put("name", "X")), 404, "staff.not_found");
    refused(admin.call("POST", "/api/v1/staff/" + ownerId + "/reset-password"), 403, "auth.forbidden");
    Staff stranger = tenant("stranger");
    refused(patch(stranger, agentId, new JsonObject().put("disabled", true)), 404, "staff.not_found");
    assertThat(new String[] {row(ownerId), row(adminId), row(agentId)}).isEqualTo(before);

    Resp renamed = patch(admin, agentId, new JsonObject().put("name", "Renamed").put("role", "viewer"));
    assertThat(renamed.status()).as("%s", renamed).isEqualTo(200);
    assertThat(renamed.json().getString("role")).isEqualTo("viewer");
    assertThat(renamed.json().getString("displayName")).isEqualTo("Renamed");
    assertThat(row(agentId)).isEqualTo("viewer|f|Renamed|1");
    assertThat(server.count("SELECT count(*) FROM audit_log WHERE action = 'staff.update' AND target_id = '" + agentId
        + "' AND actor = '" + adminId + "'")).as("the change is in the audit log").isGreaterThanOrEqualTo(1);
    assertThat(server.scalar("SELECT details -> 'changes' ->> 'role' FROM audit_log WHERE action = 'staff.update'"
        + " AND target_id = '" + agentId + "' ORDER BY seq DESC LIMIT 1")).as("what the change was").isEqualTo("viewer");

    // with a second owner, an owner may step down; the remaining one is then the last
    assertThat(patch(owner, adminId, new JsonObject().put("role", "owner")).status()).isEqualTo(200);
    assertThat(patch(owner, ownerId, new JsonObject().put("role", "admin")).status()).isEqualTo(200);
    Staff newOwner = new Staff(server, owner.tenant(), server.login(owner.tenant(), adminEmail,
        "an admin password here"));
    refused(patch(newOwner, adminId, new JsonObject().put("disabled", true)), 409, "staff.last_owner");
    refused(owner.call("GET", "/api/v1/staff"), 401, "auth.token_revoked");
  }

  @Test
  void changingOnesPasswordEndsEverySessionAndTheOldPassword() {
    Staff owner = tenant("pw");
    String email = "agent@" + owner.tenant() + ".test";
    create(owner, email, "agent", "the first agent password");
    JsonObject signIn = server.http("POST", "/api/v1/auth/login", new JsonObject().put("tenant", owner.tenant())
        .put("email", email).put("password", "the first agent password").encode()).json();
    Staff agent = new Staff(server, owner.tenant(), signIn.getString("accessToken"));
    String version = server.scalar("SELECT token_version FROM staff_users WHERE email = '" + email + "'");

    refused(agent.call("POST", "/api/v1/auth/password", new JsonObject().put("currentPassword", "not it at all")
        .put("newPassword", "a brand new agent password").encode()), 403, "auth.wrong_password");
    refused(agent.call("POST", "/api/v1/auth/password", new JsonObject().put("currentPassword",
        "the first agent password").put("newPassword", "short").encode()), 400, "auth.weak_password");
    refused(agent.call("POST", "/api/v1/auth/password", new JsonObject().put("newPassword", "x").encode()), 400,
        "request.missing_field");
    assertThat(server.scalar("SELECT token_version FROM staff_users WHERE email = '" + email + "'"))
        .isEqualTo(version);
    String key = AuthFixtures.apiKey(owner, "agent");
    refused(server.http("POST", "/api/v1/auth/password", new JsonObject().put("currentPassword", "a")
        .put("newPassword", "b").encode(), "Authorization", "Bearer " + key), 403, "auth.forbidden");

    Resp changed = agent.call("POST", "/api/v1/auth/password", new JsonObject()
        .put("currentPassword", "the first agent password").put("newPassword", "a brand new agent password").encode());
    assertThat(changed.status()).as("%s", changed).isEqualTo(204);
    refused(agent.call("GET", "/api/v1/queues"), 401, "auth.token_revoked");
    assertThat(server.http("POST", "/api/v1/auth/refresh", new JsonObject().put("refreshToken",
        signIn.getString("refreshToken")).encode()).status()).isEqualTo(401);
    assertThat(server.http("POST", "/api/v1/auth/login", new JsonObject().put("tenant", owner.tenant())
        .put("email", email).put("password", "the first agent password").encode()).status()).isEqualTo(401);
    assertThat(server.login(owner.tenant(), email, "a brand new agent password")).isNotBlank();
    assertThat(server.count("SELECT count(*) FROM audit_log WHERE action = 'auth.password' AND actor = '"
        + server.scalar("SELECT id FROM staff_users WHERE email = '" + email + "'") + "'")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aResetLinkWorksOnceOnlyInItsTenantAndOnlyUntilItExpires() {
    Staff owner = tenant("reset");
    String email = "agent@" + owner.tenant() + ".test";
    String id = create(owner, email, "agent", "the forgotten password");
    Staff agent = new Staff(server, owner.tenant(), server.login(owner.tenant(), email, "the forgotten password"));

    Resp issued = owner.call("POST", "/api/v1/staff/" + id + "/reset-password");
    assertThat(issued.status()).as("%s", issued).isEqualTo(201);
    String token = issued.json().getString("token");
    assertThat(token).startsWith("vqp_");
    assertThat(issued.json().getString("purpose")).isEqualTo("reset");
    assertThat(server.count("SELECT count(*) FROM staff_password_links WHERE token_hash = sha256('" + token
        + "'::bytea)")).as("stored as its hash").isEqualTo(1);
    assertThat(agent.call("GET", "/api/v1/queues").status()).as("nothing changes until it is used").isEqualTo(200);

    refused(reset(owner.tenant() + "x", token, "a new password for me"), 400, "auth.invalid_link");
    refused(reset(owner.tenant(), token, "short"), 400, "auth.weak_password");
    refused(reset(owner.tenant(), "vqp_nonsense", "a new password for me"), 400, "auth.invalid_link");
    assertThat(reset(owner.tenant(), token, "a new password for me").status()).isEqualTo(204);
    refused(reset(owner.tenant(), token, "another new password here"), 400, "auth.invalid_link");
    refused(agent.call("GET", "/api/v1/queues"), 401, "auth.token_revoked");
    assertThat(server.login(owner.tenant(), email, "a new password for me")).isNotBlank();
    assertThat(server.count("SELECT count(*) FROM audit_log WHERE action = 'auth.password_reset' AND target_id = '"
        + id + "'")).isEqualTo(1);

    String late = owner.call("POST", "/api/v1/staff/" + id + "/reset-password").json().getString("token");
    String newer = owner.call("POST", "/api/v1/staff/" + id + "/reset-password").json().getString("token");
    refused(reset(owner.tenant(), late, "the late password now"), 400, "auth.invalid_link");
    server.sql("UPDATE staff_password_links SET expires_at = now() - interval '1 second' WHERE used_at IS NULL");
    refused(reset(owner.tenant(), newer, "the late password now"), 400, "auth.invalid_link");
  }

  @Test
  void anAccountMadeWithoutAPasswordIsInvited() {
    Staff owner = tenant("invite");
    String email = "new@" + owner.tenant() + ".test";
    Resp made = owner.call("POST", "/api/v1/staff", new JsonObject().put("email", email).put("displayName", "New")
        .put("role", "viewer").encode());
    assertThat(made.status()).as("%s", made).isEqualTo(201);
    assertThat(made.json().getBoolean("invited")).isTrue();
    JsonObject invite = made.json().getJsonObject("invite");
    assertThat(invite.getString("purpose")).isEqualTo("invite");
    assertThat(owner.call("GET", "/api/v1/staff").body()).doesNotContain(invite.getString("token"));
    assertThat(server.http("POST", "/api/v1/auth/login", new JsonObject().put("tenant", owner.tenant())
        .put("email", email).put("password", "anything at all really").encode()).status()).isEqualTo(401);

    assertThat(reset(owner.tenant(), invite.getString("token"), "my very own password").status()).isEqualTo(204);
    assertThat(server.login(owner.tenant(), email, "my very own password")).isNotBlank();
    assertThat(server.count("SELECT count(*) FROM audit_log WHERE action = 'auth.password_invite'")).isEqualTo(1);
  }

  @Test
  void twoOwnersDemotingEachOtherAtOnceLeaveOneOwner() throws Exception {
    for (int round = 0; round < 8; round++) {
      Staff first = tenant("duel");
      String firstId = server.scalar("SELECT id FROM staff_users WHERE email = 'owner@" + first.tenant() + ".test'");
      String email = "second@" + first.tenant() + ".test";
      String secondId = create(first, email, "owner", "the second owner password");
      Staff second = new Staff(server, first.tenant(), server.login(first.tenant(), email, "the second owner password"));
      JsonObject demote = new JsonObject().put("role", "admin");
      var a = CompletableFuture.supplyAsync(() -> patch(first, secondId, demote));
      var b = CompletableFuture.supplyAsync(() -> patch(second, firstId, demote));
      int[] statuses = {a.get().status(), b.get().status()};
      Arrays.sort(statuses);
      // the loser either met the last-owner rule, or its token had just been ended by the winner's demotion
      assertThat(statuses[0]).as("round %d: %s / %s", round, a.get(), b.get()).isEqualTo(200);
      assertThat(statuses[1]).as("round %d: %s / %s", round, a.get(), b.get()).isIn(401, 409);
      assertThat(server.count("SELECT count(*) FROM staff_users s JOIN tenants t ON t.id = s.tenant_id"
          + " WHERE t.slug = '" + first.tenant() + "' AND s.role = 'owner' AND NOT s.disabled")).isEqualTo(1);
    }
  }

  private static Resp reset(String tenant, String token, String password) {
    return server.http("POST", "/api/v1/auth/reset-password", new JsonObject().put("tenant", tenant)
        .put("token", token).put("newPassword", password).encode());
  }
}
