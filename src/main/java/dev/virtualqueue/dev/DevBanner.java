package dev.virtualqueue.dev;

import java.util.UUID;

/** The text a development run prints once it listens: every page, the demo queue's id, the login. */
final class DevBanner {
  private DevBanner() {
  }

  static String text(String base, int managementPort, UUID demoQueue) {
    StringBuilder b = new StringBuilder("\n------------------------------------------------------------------\n")
        .append(" Development run (VQ_PROFILE=dev)\n")
        .append(" Start page:    ").append(base).append("/\n")
        .append(" Staff console: ").append(base).append("/staff\n");
    if (demoQueue == null) {
      b.append(" Demo queue:    (deleted; /q/<tenant>/<queue>, /kiosk/<tenant>/<queue>, /board/<queue id>)\n");
    } else {
      String slugs = DemoSeeder.TENANT + "/" + DemoSeeder.QUEUE;
      b.append(" Join page:     ").append(base).append("/q/").append(slugs).append('\n')
          .append(" Kiosk:         ").append(base).append("/kiosk/").append(slugs)
          .append("   (staff sign-in, or #key=<display key>)\n")
          .append(" Display board: ").append(base).append("/board/").append(demoQueue).append('\n')
          .append(" Demo queue:    '").append(DemoSeeder.QUEUE).append("', id ").append(demoQueue).append('\n');
    }
    return b.append(" Demo login:    tenant '").append(DemoSeeder.TENANT).append("', email '").append(DemoSeeder.EMAIL)
        .append("', password '").append(DemoSeeder.PASSWORD).append("'\n")
        .append(" API:           ").append(base).append("/api/v1   (OpenAPI: /api/v1/openapi.json)\n")
        .append(" Management:    http://localhost:").append(managementPort).append("/metrics  /health/ready\n")
        .append("------------------------------------------------------------------")
        .toString();
  }
}
