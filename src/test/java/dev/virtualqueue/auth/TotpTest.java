package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.QrScan;
import dev.virtualqueue.testing.TotpCodes;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** RFC 6238 codes through vertx-auth-otp: the RFC's test vectors, the one step of delay allowed, and nothing else. */
class TotpTest {
  /** The RFC 6238 appendix B secret: the ASCII bytes of "12345678901234567890", in base32. */
  private static final String RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  /** Appendix B, SHA-1: time in seconds → 8-digit code (the app shows the last six digits). */
  private static final long[][] VECTORS = {
      {59L, 94287082L}, {1111111109L, 7081804L}, {1111111111L, 14050471L}, {1234567890L, 89005924L},
      {2000000000L, 69279037L}, {20000000000L, 65353130L}};

  @Test
  void theTestHelperComputesTheRfcVectors() {
    for (long[] v : VECTORS) {
      assertThat(TotpCodes.code(RFC_SECRET, v[0] / 30, 8)).isEqualTo(String.format("%08d", v[1]));
    }
  }

  @Test
  void theRfcCodesPassAtTheirTimeAndNamedTheirStep() {
    AtomicLong now = new AtomicLong();
    Totp totp = new Totp(now::get);
    for (long[] v : VECTORS) {
      now.set(v[0] * 1000);
      String six = String.format("%08d", v[1]).substring(2);
      assertThat(totp.matchedStep(RFC_SECRET, six).result()).as("at %d s", v[0]).isEqualTo(v[0] / 30);
    }
  }

  @Test
  void onlyTheCurrentAndThePreviousStepPass() {
    AtomicLong now = new AtomicLong(1_700_000_015_000L);
    Totp totp = new Totp(now::get);
    long step = totp.step();
    String secret = totp.newSecret();
    assertThat(secret).matches("[A-Z2-7]{32}");
    assertThat(totp.matchedStep(secret, TotpCodes.code(secret, step, 6)).result()).isEqualTo(step);
    assertThat(totp.matchedStep(secret, TotpCodes.code(secret, step - 1, 6)).result()).isEqualTo(step - 1);
    assertThat(totp.matchedStep(secret, TotpCodes.code(secret, step - 2, 6)).result()).isEqualTo(-1L);
    assertThat(totp.matchedStep(secret, TotpCodes.code(secret, step + 1, 6)).result()).isEqualTo(-1L);
    assertThat(totp.matchedStep(secret, "12345").result()).isEqualTo(-1L);
    assertThat(totp.matchedStep(secret, "abcdef").result()).isEqualTo(-1L);
    assertThat(totp.matchedStep(secret, null).result()).isEqualTo(-1L);
  }

  @Test
  void theUriNamesTheSecretIssuerAndPeriod() {
    Totp totp = new Totp(System::currentTimeMillis);
    String uri = totp.uri("JBSWY3DPEHPK3PXP", "VirtualQueue-acme", "ann@acme.test");
    assertThat(uri).startsWith("otpauth://totp/VirtualQueue-acme:ann%40acme.test?secret=JBSWY3DPEHPK3PXP")
        .contains("issuer=VirtualQueue-acme").contains("period=30");
  }

  @Test
  void recoveryCodesAreTenDistinctAndNormaliseForTheirHash() {
    var codes = RecoveryCodes.generate();
    assertThat(codes).hasSize(10).doesNotHaveDuplicates().allMatch(c -> c.matches("[a-z2-9]{5}-[a-z2-9]{5}"));
    String c = codes.get(0);
    assertThat(RecoveryCodes.hash(" " + c.toUpperCase().replace("-", " ") + " ")).isEqualTo(RecoveryCodes.hash(c));
    assertThat(RecoveryCodes.hash("123456")).isNull();
  }

  /**
   * Without the read-back and the other masks, about one in twenty of these does not read (ZXing's
   * reader misses the finder patterns of some clean symbols): 200 make that near-certain to show.
   */
  @Test
  void theQrCodeOfEveryEnrolmentReadsBackAsItsUri() {
    Totp totp = new Totp(System::currentTimeMillis);
    for (int i = 0; i < 200; i++) {
      String uri = totp.uri(totp.newSecret(), "VirtualQueue-t-" + Integer.toHexString(i * 7919), "someone" + i + "@x.test");
      assertThat(QrScan.text(QrCodes.pngDataUri(uri))).as(uri).isEqualTo(uri);
    }
  }
}
