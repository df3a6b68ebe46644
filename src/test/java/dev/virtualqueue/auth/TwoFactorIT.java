package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.QrScan;
import dev.virtualqueue.testing.Redis;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import dev.virtualqueue.testing.TotpCodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two-factor sign-in over HTTP against the real server: enrolment with a QR code that decodes to its
 * otpauth URI, confirmation with recovery codes shown once, a sign-in that needs a code after the
 * password, a code good once (a replay is refused), recovery codes good once, code attempts counted by
 * the lockout, turning 2FA off, and the tenant setting that lets an admin without 2FA only enrol.
 */
class TwoFactorIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  /**
   * An authenticator as the app holds it, the recovery codes shown at confirmation, and (confirmed with
   * an enrolment token) the access token of that sign-in.
   */
  record Enrolled(String secret, String confirmedWith, List<String> recoveryCodes, String signedIn) {
  }

  private static String slug() {
    return "tf-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Resp login(String tenant, String email, String password) {
    return server.http("POST", "/api/v1/auth/login", new JsonObject().put("tenant", tenant).put("email", email)
        .put("password", password).encode());
  }

  private static Resp secondFactor(String challenge, String code) {
    return server.http("POST", "/api/v1/auth/login/2fa", new JsonObject().put("challenge", challenge)
        .put("code", code).encode());
  }

  private static Resp as(String token, String method, String path, String body) {
    return server.http(method, path, body, "Authorization", "Bearer " + token);
  }

  private static Enrolled enrol(String token) {
    Resp e = as(token, "POST", "/api/v1/auth/2fa/enroll", null);
    assertThat(e.status()).as("enroll: %s", e).isEqualTo(200);
    String secret = e.json().getString("secret");
    TotpCodes.awaitFreshStep(5);
    String code = TotpCodes.now(secret);
    Resp c = as(token, "POST", "/api/v1/auth/2fa/confirm", new JsonObject().put("code", code).encode());
    assertThat(c.status()).as("confirm: %s", c).isEqualTo(200);
    return new Enrolled(secret, code, c.json().getJsonArray("recoveryCodes").getList(), null);
  }

  private static double failures() {
    String scrape = server.send("GET", server.management() + "/metrics", null).body();
    return scrape.lines().filter(l -> l.startsWith("vq_auth_2fa_failures_total")).mapToDouble(l ->
        Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private static List<String> auditActions(String tenant) {
    String id = server.scalar("SELECT id FROM tenants WHERE slug = '" + tenant + "'");
    return List.of(server.scalar("SELECT string_agg(action || coalesce(':' || (details->>'factor'), ''), ' '"
        + " ORDER BY seq) FROM audit_log WHERE tenant_id = '" + id + "'").split(" "));
  }

  @Test
  void enrolmentShowsTheUriAsAQrCodeKeepsTheSecretSealedAndNeedsACurrentCode() {
    String tenant = slug();
    Staff owner = server.tenant(tenant);
    assertThat(owner.call("GET", "/api/v1/auth/2fa").json().getBoolean("enabled")).isFalse();
    Resp e = owner.call("POST", "/api/v1/auth/2fa/enroll");
    assertThat(e.status()).as("%s", e).isEqualTo(200);
    String secret = e.json().getString("secret");
    String uri = e.json().getString("otpauthUri");
    assertThat(uri).isEqualTo("otpauth://totp/VirtualQueue-" + tenant + ":owner%40" + tenant + ".test?secret="
        + secret + "&issuer=VirtualQueue-" + tenant + "&period=30");
    assertThat(QrScan.text(e.json().getString("qrCode"))).isEqualTo(uri);
    assertThat(server.scalar("SELECT secret_sealed FROM staff_totp x JOIN tenants t ON t.id = x.tenant_id"
        + " WHERE t.slug = '" + tenant + "'")).startsWith("v1.").doesNotContain(secret);
    assertThat(login(tenant, "owner@" + tenant + ".test", "correct-horse-" + tenant).json().getString("accessToken"))
        .as("an enrolment not confirmed asks for no code").isNotNull();

    String stale = TotpCodes.code(secret, TotpCodes.step() - 3, 6);
    Resp wrong = owner.call("POST", "/api/v1/auth/2fa/confirm", new JsonObject().put("code", stale).encode());
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(wrong.json().getString("code")).isEqualTo("auth.wrong_code");
    TotpCodes.awaitFreshStep(5);
    Resp on = owner.call("POST", "/api/v1/auth/2fa/confirm", new JsonObject().put("code", TotpCodes.now(secret))
        .encode());
    assertThat(on.status()).as("%s", on).isEqualTo(200);
    JsonArray recovery = on.json().getJsonArray("recoveryCodes");
    assertThat(recovery).hasSize(10);
    assertThat(on.json().containsKey("signIn")).isFalse();
    assertThat(server.count("SELECT count(*) FROM staff_recovery_codes WHERE code_hash = sha256(convert_to('"
        + recovery.getString(0).replace("-", "") + "', 'UTF8'))")).as("stored as SHA-256 only").isEqualTo(1);
    assertThat(owner.call("POST", "/api/v1/auth/2fa/enroll").json().getString("code")).isEqualTo("auth.2fa_enabled");
    assertThat(owner.call("GET", "/api/v1/auth/2fa").json().getInteger("recoveryCodesLeft")).isEqualTo(10);
  }

  @Test
  void aSignInNeedsACodeGoodOnceOrARecoveryCodeGoodOnce() {
    String tenant = slug();
    String email = "owner@" + tenant + ".test";
    Enrolled app = enrol(server.tenant(tenant).token());
    double failuresBefore = failures();
    Resp first = login(tenant, email, "correct-horse-" + tenant);
    assertThat(first.json().getBoolean("mfaRequired")).as("%s", first).isTrue();
    assertThat(first.json().containsKey("accessToken")).as("a password alone gets no token").isFalse();
    String challenge = first.json().getString("challenge");
    Resp replay = secondFactor(challenge, app.confirmedWith());
    assertThat(replay.status()).as("the code that confirmed is spent: %s", replay).isEqualTo(401);
    assertThat(replay.json().getString("code")).isEqualTo("auth.invalid_code");
    assertThat(failures() - failuresBefore).isEqualTo(1.0);

    Resp byRecovery = secondFactor(challenge, app.recoveryCodes().get(0).toUpperCase());
    assertThat(byRecovery.status()).as("%s", byRecovery).isEqualTo(200);
    String token = byRecovery.json().getString("accessToken");
    assertThat(as(token, "GET", "/api/v1/queues", null).status()).isEqualTo(200);
    assertThat(as(token, "GET", "/api/v1/auth/2fa", null).json().getInteger("recoveryCodesLeft")).isEqualTo(9);
    assertThat(secondFactor(challenge, app.recoveryCodes().get(1)).json().getString("code"))
        .as("a challenge is spent by its sign-in").isEqualTo("auth.invalid_challenge");

    String again = login(tenant, email, "correct-horse-" + tenant).json().getString("challenge");
    assertThat(secondFactor(again, app.recoveryCodes().get(0)).json().getString("code")).isEqualTo("auth.invalid_code");
    TotpCodes.awaitNextStep();
    Resp byCode = secondFactor(again, TotpCodes.now(app.secret()));
    assertThat(byCode.status()).as("%s", byCode).isEqualTo(200);
    assertThat(byCode.json().getString("refreshToken")).startsWith("vqr_");
    assertThat(auditActions(tenant)).containsSubsequence("2fa.enroll", "2fa.confirm", "auth.login_2fa_challenge",
        "auth.2fa_failed", "auth.login:recovery", "auth.login_2fa_challenge", "auth.2fa_failed", "auth.login:totp");
  }

  @Test
  void wrongCodesCountTowardTheLockoutAndAChallengeTakesFiveCodes() {
    String tenant = slug();
    String email = "owner@" + tenant + ".test";
    Enrolled app = enrol(server.tenant(tenant).token());
    String challenge = login(tenant, email, "correct-horse-" + tenant).json().getString("challenge");
    String stale = TotpCodes.code(app.secret(), TotpCodes.step() - 4, 6);
    for (int i = 0; i < 5; i++) {
      Resp r = secondFactor(challenge, stale);
      assertThat(r.status()).as("attempt %d: %s", i + 1, r).isEqualTo(401);
      assertThat(r.json().getString("code")).isEqualTo("auth.invalid_code");
    }
    Resp sixth = secondFactor(challenge, TotpCodes.now(app.secret()));
    assertThat(sixth.json().getString("code")).as("the challenge is used up").isEqualTo("auth.invalid_challenge");
    Resp password = login(tenant, email, "correct-horse-" + tenant);
    assertThat(password.status()).as("five wrong codes throttle the account: %s", password).isEqualTo(429);
    assertThat(password.json().getString("code")).isEqualTo("auth.throttled");
  }

  @Test
  void aWrongPasswordOfAnAccountWithTwoFactorLooksLikeAnUnknownAccount() {
    String tenant = slug();
    enrol(server.tenant(tenant).token());
    Resp wrong = login(tenant, "owner@" + tenant + ".test", "not-the-password-1");
    Resp unknown = login(tenant, "nobody@" + tenant + ".test", "not-the-password-1");
    assertThat(wrong.status()).isEqualTo(401).isEqualTo(unknown.status());
    assertThat(wrong.json().getString("code")).isEqualTo("auth.invalid_credentials");
    assertThat(wrong.json().getString("detail")).isEqualTo(unknown.json().getString("detail"));
    assertThat(wrong.json().fieldNames()).isEqualTo(unknown.json().fieldNames());
  }

  @Test
  void turningItOffNeedsACodeOrThePassword() {
    String tenant = slug();
    String email = "owner@" + tenant + ".test";
    Staff owner = server.tenant(tenant);
    Enrolled app = enrol(owner.token());
    String stale = TotpCodes.code(app.secret(), TotpCodes.step() - 4, 6);
    assertThat(owner.call("POST", "/api/v1/auth/2fa/disable", "{}").json().getString("code"))
        .isEqualTo("request.missing_field");
    assertThat(owner.call("POST", "/api/v1/auth/2fa/disable", new JsonObject().put("code", stale).encode())
        .json().getString("code")).isEqualTo("auth.wrong_code");
    assertThat(owner.call("POST", "/api/v1/auth/2fa/disable", new JsonObject().put("password", "guess-guess-1")
        .encode()).json().getString("code")).isEqualTo("auth.wrong_password");
    assertThat(login(tenant, email, "correct-horse-" + tenant).json().getBoolean("mfaRequired")).isTrue();

    Resp off = owner.call("POST", "/api/v1/auth/2fa/disable", new JsonObject().put("password",
        "correct-horse-" + tenant).encode());
    assertThat(off.status()).as("%s", off).isEqualTo(204);
    assertThat(login(tenant, email, "correct-horse-" + tenant).json().getString("accessToken")).isNotNull();
    assertThat(server.count("SELECT count(*) FROM staff_totp x JOIN tenants t ON t.id = x.tenant_id"
        + " WHERE t.slug = '" + tenant + "'")).isZero();
    assertThat(server.count("SELECT count(*) FROM staff_recovery_codes r JOIN staff_users s ON s.id = r.staff_id"
        + " JOIN tenants t ON t.id = s.tenant_id WHERE t.slug = '" + tenant + "'")).isZero();
  }

  @Test
  void aTenantThatRequiresItLetsAnAdminWithoutItOnlyEnrol() {
    String tenant = slug();
    Staff owner = server.tenant(tenant);
    String adminEmail = "admin@" + tenant + ".test";
    assertThat(owner.call("POST", "/api/v1/staff", new JsonObject().put("email", adminEmail).put("displayName", "Ad")
        .put("role", "admin").put("password", "password-of-admin").encode()).status()).isEqualTo(201);
    String adminToken = server.login(tenant, adminEmail, "password-of-admin");
    String settings = new JsonObject().put("requireTwoFactorFor", new JsonArray().add("admin").add("owner")).encode();
    assertThat(as(adminToken, "PATCH", "/api/v1/tenant/settings", settings).status()).isEqualTo(403);
    assertThat(owner.call("PATCH", "/api/v1/tenant/settings", "{\"requireTwoFactorFor\":[\"root\"]}").status())
        .isEqualTo(400);
    Resp set = owner.call("PATCH", "/api/v1/tenant/settings", settings);
    assertThat(set.status()).as("%s", set).isEqualTo(200);
    assertThat(set.json().getJsonArray("requireTwoFactorFor").getList()).containsExactly("owner", "admin");
    assertThat(as(adminToken, "GET", "/api/v1/tenant/settings", null).json().getJsonArray("requireTwoFactorFor"))
        .hasSize(2);

    Resp signIn = login(tenant, adminEmail, "password-of-admin");
    assertThat(signIn.json().getBoolean("enrolmentRequired")).as("%s", signIn).isTrue();
    assertThat(signIn.json().containsKey("accessToken")).isFalse();
    String enrolment = signIn.json().getString("enrolmentToken");
    assertThat(as(enrolment, "GET", "/api/v1/queues", null).status()).as("enrolment only").isEqualTo(401);
    assertThat(as(enrolment, "POST", "/api/v1/auth/2fa/disable", "{\"password\":\"password-of-admin\"}").status())
        .isEqualTo(401);
    assertThat(as(enrolment, "GET", "/api/v1/auth/2fa", null).json().getBoolean("required")).isTrue();

    Enrolled app = enrolWith(enrolment);
    assertThat(app.recoveryCodes()).hasSize(10);
    assertThat(as(enrolment, "GET", "/api/v1/auth/2fa", null).status()).as("spent by the sign-in").isEqualTo(401);
    Resp off = as(app.signedIn(), "POST", "/api/v1/auth/2fa/disable", "{\"password\":\"password-of-admin\"}");
    assertThat(off.json().getString("code")).isEqualTo("auth.2fa_required");
    assertThat(login(tenant, adminEmail, "password-of-admin").json().getBoolean("mfaRequired")).isTrue();
  }

  private static Enrolled enrolWith(String enrolmentToken) {
    Resp e = as(enrolmentToken, "POST", "/api/v1/auth/2fa/enroll", null);
    assertThat(e.status()).as("enroll: %s", e).isEqualTo(200);
    String secret = e.json().getString("secret");
    TotpCodes.awaitFreshStep(5);
    String code = TotpCodes.now(secret);
    Resp c = as(enrolmentToken, "POST", "/api/v1/auth/2fa/confirm", new JsonObject().put("code", code).encode());
    assertThat(c.status()).as("confirm: %s", c).isEqualTo(200);
    String signedIn = c.json().getJsonObject("signIn").getString("accessToken");
    assertThat(as(signedIn, "GET", "/api/v1/staff", null).status()).isEqualTo(200);
    return new Enrolled(secret, code, c.json().getJsonArray("recoveryCodes").getList(), signedIn);
  }

  @Test
  void aLockoutIsAudited() throws Exception {
    String tenant = slug();
    String email = "owner@" + tenant + ".test";
    server.tenant(tenant);
    // nine failures already counted for the account (as the guard stores them), so the next one locks it
    String key = server.prefix() + ":auth:fail:a:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest((tenant + "\n" + email).getBytes(StandardCharsets.UTF_8)));
    Redis.command(TestServer.REDIS_URL, "HSET", key, "first", String.valueOf(System.currentTimeMillis()), "n", "9",
        "until", "0");
    assertThat(login(tenant, email, "not-the-password-1").status()).isEqualTo(401);
    assertThat(login(tenant, email, "correct-horse-" + tenant).json().getString("code")).isEqualTo("auth.locked");
    assertThat(auditActions(tenant)).contains("auth.lockout");
  }

  @Test
  void anAdminResetsTheSecondFactorOfAStaffMemberWhoLostItButNotAnOwners() {
    String tenant = slug();
    Staff owner = server.tenant(tenant);
    String agentEmail = "agent@" + tenant + ".test";
    Resp agent = owner.call("POST", "/api/v1/staff", new JsonObject().put("email", agentEmail).put("displayName", "Ag")
        .put("role", "agent").put("password", "password-of-agent").encode());
    assertThat(owner.call("POST", "/api/v1/staff", new JsonObject().put("email", "admin@" + tenant + ".test")
        .put("displayName", "Ad").put("role", "admin").put("password", "password-of-admin").encode()).status())
        .isEqualTo(201);
    String adminToken = server.login(tenant, "admin@" + tenant + ".test", "password-of-admin");
    enrol(server.login(tenant, agentEmail, "password-of-agent"));
    enrol(owner.token());
    assertThat(login(tenant, agentEmail, "password-of-agent").json().getBoolean("mfaRequired")).isTrue();

    String agentId = agent.json().getString("id");
    String ownerId = server.scalar("SELECT s.id FROM staff_users s JOIN tenants t ON t.id = s.tenant_id"
        + " WHERE t.slug = '" + tenant + "' AND s.role = 'owner'");
    assertThat(as(adminToken, "DELETE", "/api/v1/staff/" + ownerId + "/2fa", null).status()).isEqualTo(403);
    assertThat(as(adminToken, "DELETE", "/api/v1/staff/" + UUID.randomUUID() + "/2fa", null).status()).isEqualTo(404);
    assertThat(as(adminToken, "DELETE", "/api/v1/staff/" + agentId + "/2fa", null).status()).isEqualTo(204);
    assertThat(login(tenant, agentEmail, "password-of-agent").json().getString("accessToken")).isNotNull();
    assertThat(login(tenant, "owner@" + tenant + ".test", "correct-horse-" + tenant).json().getBoolean("mfaRequired"))
        .as("the refused reset changed nothing").isTrue();
    assertThat(auditActions(tenant)).contains("staff.2fa_delete");
  }
}
