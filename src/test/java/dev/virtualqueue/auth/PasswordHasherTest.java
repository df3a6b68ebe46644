package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualqueue.common.ApiException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class PasswordHasherTest {

  @Test
  void hashesWithCost11AndVerifies(Vertx vertx) {
    PasswordHasher hasher = new PasswordHasher(vertx);
    String hash = hasher.hash("correct horse battery".toCharArray()).await();

    assertThat(hash).startsWith("$2a$11$").doesNotContain("correct");
    assertThat(hasher.verify("correct horse battery".toCharArray(), hash).await()).isTrue();
    assertThat(hasher.verify("correct horse batterY".toCharArray(), hash).await()).isFalse();
  }

  @Test
  void saltsEveryHash(Vertx vertx) {
    PasswordHasher hasher = new PasswordHasher(vertx);
    char[] pw = "same password twice".toCharArray();
    assertThat(hasher.hash(pw).await()).isNotEqualTo(hasher.hash(pw).await());
  }

  @Test
  void longPassphrasesAreNotTruncatedAt72Bytes() {
    String base = "x".repeat(80);
    String hash = PasswordHasher.hashNow((base + "a").toCharArray());
    assertThat(PasswordHasher.verifyNow((base + "a").toCharArray(), hash)).isTrue();
    assertThat(PasswordHasher.verifyNow((base + "b").toCharArray(), hash)).isFalse();
  }

  @Test
  void unknownUserSpendsAFullVerifyAndFails(Vertx vertx) {
    PasswordHasher hasher = new PasswordHasher(vertx);
    assertThat(PasswordHasher.DUMMY_HASH).startsWith("$2a$" + PasswordHasher.COST + "$");

    long start = System.nanoTime();
    boolean ok = hasher.verify("anything at all".toCharArray(), null).await();
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(ok).isFalse();
    // a cost-11 bcrypt takes tens of milliseconds at least; an early return would take ~0
    assertThat(millis).isGreaterThan(20);
  }

  @Test
  void neverHashesOnTheEventLoop(Vertx vertx) throws Exception {
    PasswordHasher hasher = new PasswordHasher(vertx);
    CompletableFuture<Boolean> pendingWhenReturned = new CompletableFuture<>();
    CompletableFuture<Boolean> callbackOnEventLoop = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      long start = System.nanoTime();
      var hash = hasher.hash("password1234".toCharArray());
      var check = hasher.verify("password1234".toCharArray(), PasswordHasher.DUMMY_HASH);
      // bcrypt inline would have blocked this event loop for ~150 ms per call
      pendingWhenReturned.complete(!hash.isComplete() && !check.isComplete()
          && System.nanoTime() - start < 50_000_000L);
      hash.onComplete(r -> callbackOnEventLoop.complete(Context.isOnEventLoopThread()));
    });
    assertThat(pendingWhenReturned.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(callbackOnEventLoop.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aBurstBeyondTheQueueIsRefusedAtOnceAndALaterCallSucceeds(Vertx vertx) {
    PasswordHasher hasher = new PasswordHasher(vertx, 2);
    List<Future<Boolean>> burst = new ArrayList<>();
    List<Long> refusedMillis = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < 30; i++) {
      Future<Boolean> f = hasher.verify("burst password".toCharArray(), PasswordHasher.DUMMY_HASH);
      f.onFailure(e -> {
        synchronized (refusedMillis) {
          refusedMillis.add((System.nanoTime() - start) / 1_000_000);
        }
      });
      burst.add(f);
    }
    Future.join(burst).otherwiseEmpty().await();

    List<Throwable> refusals = burst.stream().filter(Future::failed).map(Future::cause).toList();
    // 2 running + 2 x 2 waiting get through; the other 24 are refused without waiting
    assertThat(burst.stream().filter(Future::succeeded)).hasSize(6);
    assertThat(refusals).hasSize(24).allSatisfy(e -> {
      assertThat(e).isInstanceOf(ApiException.Unavailable.class);
      assertThat(((ApiException.Unavailable) e).code()).isEqualTo("auth.busy");
      assertThat(((ApiException.Unavailable) e).retryAfterSeconds()).isPositive();
    });
    assertThat(refusedMillis).allSatisfy(ms -> assertThat(ms).isLessThan(100));
    assertThat(hasher.inFlight()).isZero();

    long after = System.nanoTime();
    assertThat(hasher.verify("burst password".toCharArray(), null).await()).isFalse();
    assertThat((System.nanoTime() - after) / 1_000_000).isLessThan(2_000);
  }

  @Test
  void newPasswordRules() {
    assertThatThrownBy(() -> PasswordHasher.checkNew("short".toCharArray()))
        .isInstanceOf(ApiException.BadRequest.class)
        .extracting(e -> ((ApiException) e).code()).isEqualTo("auth.weak_password");
    assertThatThrownBy(() -> PasswordHasher.checkNew("y".repeat(257).toCharArray()))
        .isInstanceOf(ApiException.BadRequest.class);
    PasswordHasher.checkNew("twelve chars".toCharArray());
    assertThatThrownBy(() -> PasswordHasher.checkNew("eleven char".toCharArray()))
        .hasMessageContaining("12 to 256");
    PasswordHasher.checkNew(("z".repeat(255) + "y").toCharArray());
  }

  @Test
  void commonPasswordsAreRefusedWhateverTheirCase() {
    for (String common : new String[] {"1qaz2wsx3edc", "Q1W2E3R4T5Y6", "123qweasdzxc"}) {
      assertThatThrownBy(() -> PasswordHasher.checkNew(common.toCharArray()))
          .isInstanceOf(ApiException.BadRequest.class)
          .hasMessageContaining("common or breached");
    }
    assertThatThrownBy(() -> PasswordHasher.checkNew("aaaaaaaaaaaaaaaa".toCharArray()))
        .hasMessageContaining("one character repeated");
    // no composition rules: a long lower-case passphrase is fine
    PasswordHasher.checkNew("purple elephants dance".toCharArray());
  }

  @Test
  void contextWordsDoNotCount() {
    assertThatThrownBy(() -> PasswordHasher.checkNew("AcmeCorp2024!".toCharArray(), "acmecorp", "ann"))
        .isInstanceOf(ApiException.BadRequest.class).hasMessageContaining("tenant");
    assertThatThrownBy(() -> PasswordHasher.checkNew("annabelle-2024".toCharArray(), "acme", "annabelle"))
        .hasMessageContaining("email");
    assertThatThrownBy(() -> PasswordHasher.checkNew("VirtualQueue#1".toCharArray()))
        .hasMessageContaining("service");
    PasswordHasher.checkNew("correct-horse-acmecorp".toCharArray(), "acmecorp", "ann");
  }
}
