package dev.virtualqueue.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The containers' Prometheus (docker/monitoring/prometheus.yml) is monitoring/prometheus.yml with
 * other addresses: the same global settings, rule files and job names (the alert rules and
 * dashboards select on them), each job pointing at the compose service that runs it, and the
 * servers scraped with the metrics token the servers are given.
 */
class DockerPrometheusConfigTest {
  static final Path DOCKER_PROMETHEUS = Path.of("docker/monitoring/prometheus.yml");

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> jobs(Map<String, Object> config) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (Map<String, Object> job : (List<Map<String, Object>>) config.get("scrape_configs")) {
      out.put((String) job.get("job_name"), job);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<String> targets(Map<String, Object> job) {
    return ((List<Map<String, Object>>) job.get("static_configs")).stream()
        .flatMap(s -> ((List<String>) s.get("targets")).stream()).toList();
  }

  @Test
  void sameRulesJobsAndSettingsAsTheHostConfiguration() {
    Map<String, Object> host = Monitoring.yaml(Monitoring.PROMETHEUS_YML);
    Map<String, Object> docker = Monitoring.yaml(DOCKER_PROMETHEUS);
    assertThat(docker.get("global")).isEqualTo(host.get("global"));
    assertThat(docker.get("rule_files")).isEqualTo(host.get("rule_files"));
    assertThat(jobs(docker).keySet()).containsExactlyElementsOf(jobs(host).keySet());
    jobs(host).forEach((name, job) -> assertThat(jobs(docker).get(name).get("metrics_path"))
        .as("metrics_path of %s", name).isEqualTo(job.get("metrics_path")));
  }

  @Test
  void everyTargetIsAComposeServiceOnItsPort() throws Exception {
    String compose = Files.readString(Path.of("docker/compose.yml"));
    Map<String, Map<String, Object>> jobs = jobs(Monitoring.yaml(DOCKER_PROMETHEUS));
    assertThat(targets(jobs.get("virtual-queue"))).containsExactly("app1:8081", "app2:8081");
    assertThat(targets(jobs.get("postgres"))).containsExactly("postgres-exporter:9187");
    assertThat(targets(jobs.get("redis"))).containsExactly("redis-exporter:9121");
    assertThat(targets(jobs.get("node"))).containsExactly("node-exporter:9100");
    assertThat(targets(jobs.get("alertmanager"))).containsExactly("alertmanager:9093");
    for (String service : List.of("app1", "app2", "postgres-exporter", "redis-exporter", "node-exporter",
        "alertmanager", "prometheus")) {
      assertThat(compose).as("compose runs %s", service).contains("\n  " + service + ":\n");
    }
    assertThat(compose).contains("./monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro")
        .contains("../monitoring/rules:/etc/prometheus/rules:ro");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theServersAreScrapedWithTheirMetricsToken() throws Exception {
    Map<String, Object> job = jobs(Monitoring.yaml(DOCKER_PROMETHEUS)).get("virtual-queue");
    Map<String, Object> auth = (Map<String, Object>) job.get("authorization");
    assertThat(auth).containsEntry("credentials_file", "/run/secrets/metrics_token");
    assertThat(Files.readString(Path.of("docker/compose.yml")))
        .contains("VQ_MANAGEMENT_METRICS_TOKEN_FILE: /run/secrets/metrics_token");
  }
}
