package dev.virtualqueue.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The four Grafana dashboards and their provisioning, read as files (Grafana itself is not
 * installable here): every query panel has a unit, a description and a datasource variable;
 * queries select only scraped jobs; provisioning points where docker/compose.yml mounts them.
 * MonitoringLiveIT runs every panel query against a live Prometheus.
 */
class DashboardsTest {
  static final List<String> EXPECTED = List.of("virtualqueue-api-performance.json", "virtualqueue-business-metrics.json",
      "virtualqueue-database-cache.json", "virtualqueue-notifications.json");

  @Test
  void theFourDashboardsExist() {
    assertThat(Monitoring.dashboardFiles()).extracting(p -> p.getFileName().toString()).containsExactlyElementsOf(EXPECTED);
  }

  @Test
  void everyQueryPanelHasAUnitADescriptionAndItsQueries() {
    SoftAssertions soft = new SoftAssertions();
    for (Path f : Monitoring.dashboardFiles()) {
      JsonObject d = Monitoring.json(f);
      soft.assertThat(d.getString("uid")).as("uid of %s", f).isNotBlank();
      soft.assertThat(d.getJsonObject("templating").getJsonArray("list").stream()
          .anyMatch(v -> "datasource".equals(((JsonObject) v).getString("type")))).as("%s has a datasource variable", f).isTrue();
      Set<Integer> ids = new HashSet<>();
      for (JsonObject p : Monitoring.panels(d)) {
        String what = f.getFileName() + " / " + p.getString("title");
        soft.assertThat(ids.add(p.getInteger("id"))).as("unique id: %s", what).isTrue();
        JsonObject grid = p.getJsonObject("gridPos");
        soft.assertThat(grid.getInteger("x") + grid.getInteger("w")).as("fits 24 columns: %s", what).isLessThanOrEqualTo(24);
        if (List.of("row", "text").contains(p.getString("type"))) {
          continue;
        }
        soft.assertThat(p.getJsonObject("fieldConfig").getJsonObject("defaults").getString("unit")).as("unit: %s", what).isNotBlank();
        soft.assertThat(p.getString("description")).as("description: %s", what).isNotBlank();
        soft.assertThat(p.getJsonObject("datasource").getString("uid")).as("datasource: %s", what).isEqualTo("${datasource}");
        JsonArray targets = p.getJsonArray("targets");
        soft.assertThat(targets).as("queries: %s", what).isNotEmpty();
        targets.forEach(t -> soft.assertThat(((JsonObject) t).getString("expr")).as("query of %s", what).isNotBlank());
      }
    }
    soft.assertAll();
  }

  @Test
  void queriesSelectOnlyScrapedJobs() {
    Set<String> jobs = PrometheusConfig.jobNames();
    Pattern job = Pattern.compile("job=\"([^\"]+)\"");
    SoftAssertions soft = new SoftAssertions();
    for (Monitoring.PanelQuery q : Monitoring.panelQueries()) {
      for (String s : PromQl.selectors(PromQl.substituteGrafana(q.expr()))) {
        if (PromQl.metricName(s) != null && PromQl.metricName(s).contains(":")) {
          continue; // a recording rule's output: its rule selects the job
        }
        Matcher m = job.matcher(s);
        soft.assertThat(m.find()).as("%s / %s selects a job: %s", q.dashboard(), q.panel(), s).isTrue();
        if (m.find(0)) {
          soft.assertThat(m.group(1)).as("%s / %s", q.dashboard(), q.panel()).isIn(jobs);
        }
      }
    }
    soft.assertAll();
  }

  @Test
  @SuppressWarnings("unchecked")
  void provisioningLoadsTheDashboardsFromWhereComposeMountsThem() throws Exception {
    Map<String, Object> providers = Monitoring.yaml(Path.of("monitoring/grafana/provisioning/dashboards/virtualqueue.yml"));
    Map<String, Object> provider = ((List<Map<String, Object>>) providers.get("providers")).get(0);
    String path = (String) ((Map<String, Object>) provider.get("options")).get("path");
    String compose = Files.readString(Path.of("docker/compose.yml"));
    assertThat(compose).contains("../monitoring/grafana/dashboards:" + path + ":ro")
        .contains("../monitoring/grafana/provisioning:/etc/grafana/provisioning:ro");
    Map<String, Object> ds = Monitoring.yaml(Path.of("monitoring/grafana/provisioning/datasources/prometheus.yml"));
    Map<String, Object> prometheus = ((List<Map<String, Object>>) ds.get("datasources")).get(0);
    assertThat(prometheus).containsEntry("type", "prometheus").containsEntry("uid", "prometheus");
  }
}
