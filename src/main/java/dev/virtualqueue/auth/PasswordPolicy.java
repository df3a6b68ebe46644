package dev.virtualqueue.auth;

import dev.virtualqueue.common.ApiException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Rules for a new password, after NIST SP 800-63B §5.1.1.2: {@value #MIN_LENGTH} to
 * {@value #MAX_LENGTH} characters, no composition rules, not one of the shipped common or breached
 * passwords (resource auth/common-passwords.txt, compared in lower case), not one character
 * repeated, and still {@value #MIN_BEYOND_CONTEXT} characters long once the context words (the tenant slug,
 * the email's local part, the service's name) are taken out. A failure is a 400
 * {@code auth.weak_password} saying which rule.
 */
final class PasswordPolicy {
  static final int MIN_LENGTH = 12;
  static final int MAX_LENGTH = 256;
  /** What must remain once the context words are taken out. */
  static final int MIN_BEYOND_CONTEXT = 8;
  static final String LIST = "/auth/common-passwords.txt";
  private static final String[] SERVICE_WORDS = {"virtualqueue", "virtual-queue", "virtual queue"};

  private PasswordPolicy() {
  }

  /** Loaded once, on first use (about 44,000 entries). */
  private static final class Common {
    static final Set<String> WORDS = load();

    private static Set<String> load() {
      Set<String> words = new HashSet<>();
      try (InputStream in = PasswordPolicy.class.getResourceAsStream(LIST)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + LIST);
        }
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (!line.isEmpty() && !line.startsWith("#")) {
            words.add(line);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return words;
    }
  }

  /** Checks {@code password}; {@code context} are words an attacker would try (nulls are skipped). */
  static void check(char[] password, String... context) {
    if (password == null || password.length < MIN_LENGTH || password.length > MAX_LENGTH) {
      throw weak("A password must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters long.");
    }
    String lower = new String(password).toLowerCase(Locale.ROOT);
    if (lower.chars().distinct().count() == 1) {
      throw weak("A password must not be one character repeated.");
    }
    if (Common.WORDS.contains(lower)) {
      throw weak("This password is on a list of common or breached passwords; choose another.");
    }
    String rest = lower;
    for (String word : SERVICE_WORDS) {
      rest = rest.replace(word, "");
    }
    for (String word : context) {
      if (word != null && word.length() >= 3) {
        rest = rest.replace(word.toLowerCase(Locale.ROOT), "");
      }
    }
    if (rest.length() < MIN_BEYOND_CONTEXT) {
      throw weak("A password must not be built on the tenant, the email or the service's name: without them it is"
          + " shorter than " + MIN_BEYOND_CONTEXT + " characters.");
    }
  }

  private static ApiException weak(String detail) {
    return new ApiException.BadRequest("auth.weak_password", detail);
  }
}
