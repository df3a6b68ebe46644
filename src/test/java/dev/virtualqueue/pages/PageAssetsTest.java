package dev.virtualqueue.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The page sources: every text key exists in the locale file, no inline script, the vendored library unchanged. */
class PageAssetsTest {
  private static final Path WEB = Path.of("src/main/resources/web");
  private static final Pattern SECTION = Pattern.compile("^  (\\w+): \\{\\s*$");
  private static final Pattern ENTRY = Pattern.compile("^    (\\w+): ['`]");
  private static final Pattern HTML_KEY = Pattern.compile("data-i18n(?:-label|-placeholder)?=\"([\\w.]+)\"");
  private static final Pattern JS_KEY = Pattern.compile("\\bt\\('([\\w.]+)'");

  private static Set<String> localeKeys() throws IOException {
    Set<String> keys = new TreeSet<>();
    String section = null;
    for (String line : Files.readAllLines(WEB.resolve("assets/i18n/en.js"))) {
      Matcher s = SECTION.matcher(line);
      Matcher e = ENTRY.matcher(line);
      if (s.matches()) {
        section = s.group(1);
      } else if (e.find() && section != null) {
        keys.add(section + "." + e.group(1));
      }
    }
    return keys;
  }

  private static List<Path> files(String ext) throws IOException {
    try (Stream<Path> s = Files.walk(WEB)) {
      return s.filter(p -> p.toString().endsWith(ext) && !p.toString().contains("vendor")).sorted().toList();
    }
  }

  @Test
  void everyTextKeyUsedByThePagesIsInTheLocaleFile() throws IOException {
    Set<String> known = localeKeys();
    assertThat(known).contains("join.goTo", "board.nowServing", "staff.callNext", "kiosk.scan");
    Set<String> used = new TreeSet<>();
    for (Path p : files(".html")) {
      HTML_KEY.matcher(Files.readString(p)).results().forEach(m -> used.add(m.group(1)));
    }
    for (Path p : files(".js")) {
      JS_KEY.matcher(Files.readString(p)).results().forEach(m -> used.add(m.group(1)));
    }
    assertThat(used).hasSizeGreaterThan(50);
    Set<String> missing = new TreeSet<>(used);
    missing.removeAll(known);
    assertThat(missing).as("keys used but not in en.js").isEmpty();
  }

  @Test
  void pagesHaveNoInlineScriptsOrHandlersSoTheStrictPolicyHolds() throws IOException {
    for (Path p : files(".html")) {
      String html = Files.readString(p);
      assertThat(html).as(p.toString()).doesNotContainPattern("<script(?![^>]*\\bsrc=)")
          .doesNotContainPattern("\\son[a-z]+=\"").doesNotContain("style=\"");
    }
  }

  @Test
  void theStaffSignInAndItsMessageLineAreWrittenOnceInSessionJs() throws IOException {
    Path session = WEB.resolve("assets/session.js");
    assertThat(Files.readString(session)).contains("export function message(", "export async function signIn(",
        "'/api/v1/auth/login'");
    for (Path p : files(".js")) {
      if (!p.equals(session)) {
        assertThat(Files.readString(p)).as(p.toString()).doesNotContain("/api/v1/auth/login");
      }
    }
    for (String page : List.of("staff.js", "kiosk.js")) {
      assertThat(Files.readString(WEB.resolve("assets").resolve(page))).as(page)
          .contains("from './session.js'").doesNotContain("function message(");
    }
  }

  @Test
  void theGateScriptIsOneClassicScriptThatSaysItIsNoSecurity() throws IOException {
    // a protected site includes it with a plain <script src>: no module syntax, nothing else to load
    String gate = Files.readString(WEB.resolve("assets/gate.js"));
    assertThat(gate).doesNotContainPattern("(?m)^\\s*(import|export)\\b").doesNotContain("import(")
        .contains("document.currentScript", "history.replaceState", "sessionStorage", "THIS IS NOT SECURITY",
            "docs/protected-site.md");
  }

  @Test
  void vendoredQrLibraryIsTheNpmFileUnchanged() throws Exception {
    byte[] file = Files.readAllBytes(WEB.resolve("vendor/qrcode-generator-2.0.4/qrcode.mjs"));
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
    assertThat(sha).isEqualTo("ea91d7118a5395289170da848b7c6758b996163bfbccf312591ab65a4911b7c0");
  }
}
