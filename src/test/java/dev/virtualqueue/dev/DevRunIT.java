package dev.virtualqueue.dev;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A development run prints a link to every page, with the demo queue's id, and every link opens a page. */
class DevRunIT {
  private static final Pattern URL = Pattern.compile("http://localhost:(\\d+)(/\\S*)");

  @Test
  void theDevStartPrintsEveryPageLinkAndTheDemoQueueId() {
    Logger log = (Logger) LoggerFactory.getLogger(DemoSeeder.class);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    log.addAppender(seen);
    try (TestServer server = TestServer.start()) {
      String banner = seen.list.stream().map(ILoggingEvent::getFormattedMessage)
          .filter(m -> m.contains("Development run")).findFirst().orElseThrow();
      String demoQueue = server.app().modules().pool()
          .query("SELECT q.id FROM queues q JOIN tenants t ON t.id = q.tenant_id WHERE t.slug = 'demo'"
              + " AND q.slug = 'main'").execute().await().iterator().next().getUUID(0).toString();
      assertThat(banner).contains("Demo queue:    'main', id " + demoQueue)
          .contains("owner@demo.test").contains("demo-password");

      List<String> pages = new ArrayList<>();
      Matcher m = URL.matcher(banner);
      while (m.find()) {
        if (m.group(1).equals(Integer.toString(server.app().httpPort())) && !m.group(2).startsWith("/api/")) {
          pages.add(m.group(2));
        }
      }
      assertThat(pages).containsExactlyInAnyOrder("/", "/staff", "/q/demo/main", "/kiosk/demo/main",
          "/board/" + demoQueue);
      for (String page : pages) {
        Resp r = server.http("GET", page, null);
        assertThat(r.status()).as(page).isEqualTo(200);
        assertThat(r.contentType()).as(page).startsWith("text/html");
      }
      assertThat(banner).contains("http://localhost:" + server.app().managementPort() + "/metrics");
    } finally {
      log.detachAppender(seen);
    }
  }
}
