package dev.virtualqueue.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Browser;
import dev.virtualqueue.testing.QrScan;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import dev.virtualqueue.testing.TotpCodes;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The staff console's account page in headless Chromium: setting up two-factor sign-in from the QR
 * code it shows, the recovery codes shown once, the code step of the next sign-in, turning it off;
 * a sign-in the organisation holds until 2FA is set up; and the password form.
 */
class AccountPageIT {
  private static final Duration SHORT = Duration.ofSeconds(5);
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  private static void signIn(Browser b, String tenant, String email, String password) {
    b.open(server.base() + "/staff");
    b.find("#tenant").clear();
    b.find("#tenant").sendKeys(tenant);
    b.find("#email").sendKeys(email);
    b.find("#password").sendKeys(password);
    b.find("#login-button").click();
  }

  /** The secret of the QR code on the page, read as a phone would: decoding the image. */
  private static String scanQr(Browser b) {
    String uri = QrScan.text((String) b.js("return document.querySelector('#tf-qr').src"));
    assertThat(uri).startsWith("otpauth://totp/");
    String secret = uri.replaceFirst(".*[?&]secret=([A-Z2-7]+).*", "$1");
    assertThat(b.text("#tf-secret")).isEqualTo(secret);
    return secret;
  }

  @SuppressWarnings("unchecked")
  private static List<String> recoveryCodes(Browser b) {
    return (List<String>) b.js("return [...document.querySelectorAll('#tf-recovery li')].map(li => li.textContent)");
  }

  /** Scans, confirms with the app's code and returns the recovery codes the page shows. */
  private static List<String> setUp(Browser b) {
    b.awaitVisible("#tf-start", SHORT);
    b.find("#tf-start").click();
    b.awaitVisible("#tf-enrol", SHORT);
    b.screenshot("account-0-scan");
    String secret = scanQr(b);
    TotpCodes.awaitFreshStep(5);
    b.find("#tf-code").sendKeys(TotpCodes.now(secret));
    b.find("#tf-confirm").click();
    b.awaitVisible("#tf-codes", SHORT);
    assertThat(b.text("#tf-status")).contains("Recovery codes left: 10.");
    List<String> codes = recoveryCodes(b);
    assertThat(codes).hasSize(10).allMatch(c -> c.matches("[a-z2-9]{5}-[a-z2-9]{5}"));
    return codes;
  }

  @Test
  void anOwnerSetsUpTwoFactorSignInAndNextSignsInWithARecoveryCodeThenTurnsItOff() {
    Staff staff = server.tenant("acct");
    try (Browser b = Browser.start(1280, 900)) {
      signIn(b, "acct", "owner@acct.test", "correct-horse-acct");
      b.awaitVisible("#account-button", SHORT);
      b.find("#account-button").click();
      b.awaitText("#tf-status", "Off. Signing in needs only your password.", SHORT);
      List<String> codes = setUp(b);
      b.screenshot("account-1-recovery-codes");
      assertThat(b.seriousAccessibilityViolations()).as("account page: serious axe violations").isEmpty();
      b.find("#tf-codes-done").click();
      b.awaitText("#tf-status", "On. Recovery codes left: 10.", SHORT);
      assertThat(recoveryCodes(b)).as("shown once").isEmpty();
      assertThat(b.visible("#tf-codes")).isFalse();

      b.find("#sign-out").click();
      signIn(b, "acct", "owner@acct.test", "correct-horse-acct");
      b.awaitVisible("#mfa-form", SHORT);
      assertThat(b.visible("#console-view")).as("a password alone does not open the console").isFalse();
      b.find("#mfa-code").sendKeys("wrong-code");
      b.find("#mfa-button").click();
      b.awaitContains("#message", "(auth.invalid_code)", SHORT);
      b.find("#mfa-code").sendKeys(codes.get(3));
      b.find("#mfa-button").click();
      b.awaitVisible("#console-view", SHORT);

      b.find("#account-button").click();
      b.awaitText("#tf-status", "On. Recovery codes left: 9.", SHORT);
      b.find("#tf-disable-password").sendKeys("correct-horse-acct");
      b.find("#tf-disable-button").click();
      b.awaitText("#notice", "Two-factor sign-in is off.", SHORT);
      b.awaitText("#tf-status", "Off. Signing in needs only your password.", SHORT);
    }
    assertThat(staff.call("GET", "/api/v1/auth/2fa").json().getBoolean("enabled")).isFalse();
  }

  @Test
  void aSignInHeldUntilTwoFactorIsSetUpOpensTheSetUpAndThenTheConsole() {
    Staff owner = server.tenant("strict");
    assertThat(owner.call("PATCH", "/api/v1/tenant/settings", "{\"requireTwoFactorFor\":[\"owner\",\"admin\"]}")
        .status()).isEqualTo(200);
    try (Browser b = Browser.start(1280, 900)) {
      signIn(b, "strict", "owner@strict.test", "correct-horse-strict");
      b.awaitVisible("#account-view", SHORT);
      assertThat(b.visible("#enrol-required")).isTrue();
      assertThat(b.visible("#password-panel")).as("only the set-up is offered").isFalse();
      assertThat(b.visible("#account-back")).isFalse();
      setUp(b);
      b.find("#tf-codes-done").click();
      b.awaitVisible("#console-view", SHORT);
      b.awaitVisible("#setup", SHORT);
      b.find("#account-button").click();
      b.awaitText("#tf-status", "On (required by your organisation). Recovery codes left: 10.", SHORT);
      assertThat(b.visible("#tf-disable")).as("required: no way to turn it off").isFalse();
    }
  }

  /**
   * The password form calls {@code POST /api/v1/auth/password}; the change ends every session of the
   * account, so the console signs out and asks for the new password.
   */
  @Test
  void thePasswordFormChangesThePassword() {
    server.tenant("pass");
    try (Browser b = Browser.start(1280, 900)) {
      signIn(b, "pass", "owner@pass.test", "correct-horse-pass");
      b.awaitVisible("#account-button", SHORT);
      b.find("#account-button").click();
      b.awaitVisible("#password-form", SHORT);
      b.find("#current-password").sendKeys("correct-horse-pass");
      b.find("#new-password").sendKeys("a brand new passphrase");
      b.find("#change-password").click();
      b.awaitText("#message", "Password changed. Sign in with the new password.", SHORT);
      assertThat(b.visible("#login-form")).as("signed out: every session of the account ended").isTrue();
    }
    assertThat(server.http("POST", "/api/v1/auth/login", new JsonObject().put("tenant", "pass")
        .put("email", "owner@pass.test").put("password", "a brand new passphrase").encode()).status()).isEqualTo(200);
  }
}
