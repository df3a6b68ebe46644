package dev.virtualqueue.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategy;
import dev.virtualqueue.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * bcrypt password hashing (cost {@value #COST}). Hashing and verifying take ~150 ms of CPU, so both
 * always run on a small dedicated worker pool, never on an event loop, and a login flood cannot
 * starve the shared worker pool. Passwords longer than bcrypt's 72 bytes are pre-hashed with
 * SHA-512 instead of being silently truncated.
 *
 * <p>The pool's queue is bounded: at most {@value #WAITING_PER_THREAD} jobs per thread may wait
 * behind the running ones. Beyond that a call fails at once with 503 {@code auth.busy} and
 * Retry-After, instead of every sign-in in a flood waiting seconds for its turn.
 */
public final class PasswordHasher {
  public static final int COST = 11;
  public static final int MIN_LENGTH = PasswordPolicy.MIN_LENGTH;
  public static final int MAX_LENGTH = PasswordPolicy.MAX_LENGTH;
  /** A hash of a random string nobody knows: unknown users are verified against it so timing is uniform. */
  static final String DUMMY_HASH = "$2a$11$11HWnvVBOhnfrcLQYyQzNu.KXCS2SnWw7ynFsowIq3PRyLyBXI74K";

  private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2A;
  private static final LongPasswordStrategy LONG = LongPasswordStrategies.hashSha512(VERSION);

  /** How many jobs per worker thread may wait for a thread before new ones are refused. */
  static final int WAITING_PER_THREAD = 2;
  static final int BUSY_RETRY_SECONDS = 1;

  private final WorkerExecutor workers;
  private final int capacity;
  private final AtomicInteger inFlight = new AtomicInteger();

  public PasswordHasher(Vertx vertx) {
    this(vertx, Math.max(2, Runtime.getRuntime().availableProcessors()));
  }

  PasswordHasher(Vertx vertx, int threads) {
    this.workers = vertx.createSharedWorkerExecutor("vq-password", threads);
    this.capacity = threads * (1 + WAITING_PER_THREAD);
  }

  /** Jobs running or waiting right now (for tests and metrics). */
  int inFlight() {
    return inFlight.get();
  }

  /**
   * Checks the rules for a new password ({@link PasswordPolicy}); {@code context} are the tenant
   * slug, the email and the like. A failure is a 400 {@code auth.weak_password}.
   */
  public static void checkNew(char[] password, String... context) {
    PasswordPolicy.check(password, context);
  }

  /** Hashes a new password on a worker thread; the caller's array is left untouched. */
  public Future<String> hash(char[] password) {
    char[] copy = password.clone();
    return submit(copy, () -> hashNow(copy));
  }

  /**
   * Verifies a password on a worker thread. With a null {@code storedHash} (no such user) it
   * still spends a full bcrypt verification against a dummy hash and answers false, so response
   * time does not reveal which accounts exist.
   */
  public Future<Boolean> verify(char[] password, String storedHash) {
    char[] copy = password.clone();
    return submit(copy, () -> verifyNow(copy, storedHash == null ? DUMMY_HASH : storedHash) && storedHash != null);
  }

  /** Runs {@code job} on the pool unless its queue is full; {@code secret} is wiped either way. */
  private <T> Future<T> submit(char[] secret, Callable<T> job) {
    if (inFlight.incrementAndGet() > capacity) {
      inFlight.decrementAndGet();
      Arrays.fill(secret, '\0');
      return Future.failedFuture(new ApiException.Unavailable("auth.busy",
          "Too many sign-ins are being checked right now; try again shortly.", BUSY_RETRY_SECONDS));
    }
    return workers.executeBlocking(() -> {
      try {
        return job.call();
      } finally {
        Arrays.fill(secret, '\0');
        inFlight.decrementAndGet();
      }
    }, false);
  }

  static String hashNow(char[] password) {
    return BCrypt.with(VERSION, LONG).hashToString(COST, password);
  }

  static boolean verifyNow(char[] password, String hash) {
    return BCrypt.verifyer(VERSION, LONG).verify(password, hash.toCharArray()).verified;
  }
}
