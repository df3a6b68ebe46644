package dev.virtualqueue.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One real headless Chromium (the system's {@code chromium} and {@code chromedriver}), with its own
 * fresh profile, for page tests: waits, screenshots into {@code target/screenshots}, axe-core runs,
 * and Chrome's own performance counters.
 */
public final class Browser implements AutoCloseable {
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final String CHROMIUM = env("VQ_TEST_CHROMIUM", "/usr/bin/chromium");
  private static final String CHROMEDRIVER = env("VQ_TEST_CHROMEDRIVER", "/usr/bin/chromedriver");
  private static final String AXE = "META-INF/resources/webjars/axe-core/4.6.3/axe.min.js";
  /** Selenium warns on every CDP call that it has no typed bindings for this Chromium; the raw calls used here work. */
  private static final Logger SELENIUM_LOG = quiet("org.openqa.selenium");

  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** A browser with a window of the given CSS size; {@code extraArgs} go to Chromium as they are. */
  public static Browser start(int width, int height, String... extraArgs) {
    try {
      Path profile = Files.createTempDirectory("vq-chromium-");
      ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM);
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
          "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
          "--autoplay-policy=no-user-gesture-required", "--user-data-dir=" + profile,
          "--window-size=" + width + "," + height);
      options.addArguments(extraArgs);
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile()).usingAnyFreePort().build();
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().window().setSize(new Dimension(width, height));
      return new Browser(driver, profile);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public ChromeDriver driver() {
    return driver;
  }

  public Browser open(String url) {
    driver.get(url);
    return this;
  }

  /** An element, once it is shown and enabled (pages render after their first fetch). */
  public WebElement find(String css) {
    return new WebDriverWait(driver, Duration.ofSeconds(10), Duration.ofMillis(25))
        .withMessage(css + " clickable")
        .until(ExpectedConditions.elementToBeClickable(By.cssSelector(css)));
  }

  /** The text of an element (textContent, so hidden elements read too), or "" when absent. */
  public String text(String css) {
    Object v = driver.executeScript("const e = document.querySelector(arguments[0]); return e ? e.textContent : '';", css);
    return v == null ? "" : v.toString().trim();
  }

  public boolean visible(String css) {
    List<WebElement> found = driver.findElements(By.cssSelector(css));
    return !found.isEmpty() && found.get(0).isDisplayed();
  }

  /** Waits until {@code condition} holds, polling every 25 ms. */
  public <T> T await(Duration timeout, String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, timeout, Duration.ofMillis(25)).withMessage(what).until(condition);
  }

  public void awaitText(String css, String expected, Duration timeout) {
    await(timeout, css + " reads '" + expected + "' (was '" + text(css) + "')", d -> text(css).equals(expected));
  }

  public void awaitContains(String css, String expected, Duration timeout) {
    await(timeout, css + " contains '" + expected + "'", d -> text(css).contains(expected));
  }

  public void awaitVisible(String css, Duration timeout) {
    await(timeout, css + " visible", d -> visible(css));
  }

  public Object js(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  /** Saves a screenshot of the whole window as target/screenshots/{name}.png and returns its path. */
  public Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs axe-core on the current page and returns its violations of serious or critical impact. */
  public List<JsonObject> seriousAccessibilityViolations() {
    driver.executeScript(axeSource());
    Object raw = driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)),"
        + " e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', description: String(e)}])));");
    List<JsonObject> serious = new ArrayList<>();
    for (Object o : new JsonArray(raw.toString())) {
      JsonObject v = (JsonObject) o;
      String impact = v.getString("impact", "");
      if (impact.equals("serious") || impact.equals("critical")) {
        v.remove("nodes");
        serious.add(v);
      }
    }
    return serious;
  }

  /** Chrome's own counters (Nodes, JSEventListeners, JSHeapUsedSize, ...) after a full garbage collection. */
  public Map<String, Double> metricsAfterGc() {
    driver.executeCdpCommand("HeapProfiler.collectGarbage", Map.of());
    driver.executeCdpCommand("Performance.enable", Map.of());
    Map<String, Object> r = driver.executeCdpCommand("Performance.getMetrics", Map.of());
    Map<String, Double> out = new TreeMap<>();
    for (Object m : (List<?>) r.get("metrics")) {
      Map<?, ?> metric = (Map<?, ?>) m;
      out.put(metric.get("name").toString(), ((Number) metric.get("value")).doubleValue());
    }
    return out;
  }

  private static String axeSource() {
    try (InputStream in = Browser.class.getClassLoader().getResourceAsStream(AXE)) {
      if (in == null) {
        throw new IllegalStateException(AXE + " not on the test classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temp folder left behind is harmless
      }
    }
  }

  private static Logger quiet(String name) {
    Logger log = Logger.getLogger(name);
    log.setLevel(Level.SEVERE);
    return log;
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
