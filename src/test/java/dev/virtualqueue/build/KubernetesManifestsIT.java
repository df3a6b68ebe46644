package dev.virtualqueue.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.config.ConfigKeys;
import dev.virtualqueue.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/kubernetes, checked offline (no cluster): {@code kubectl kustomize} renders every overlay,
 * each object passes the Kubernetes API schemas (deploy/kubernetes/tools/validate.mjs with the npm
 * package kubernetes-models; `kubectl apply --dry-run=client` would need a server to discover the
 * kinds), and the objects fit together the way the drain needs: probes on the management port, a
 * preStop pause and a grace period longer than pause and drain, a non-root pod, selectors that
 * match the pods, and only settings the server knows. Needs kubectl, node and npm (npm registry
 * reachable); it fails, not skips, without them.
 */
class KubernetesManifestsIT {
  static final Path ROOT = Path.of("deploy/kubernetes");
  @TempDir
  static Path tools;

  record Run(int exit, String out) {
  }

  static Run run(Path dir, String input, String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("KUBECONFIG", "/dev/null"); // nothing here may reach for a cluster
    Process p = pb.start();
    if (input != null) {
      p.getOutputStream().write(input.getBytes());
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end within 5 minutes");
    }
    return new Run(p.exitValue(), out);
  }

  @BeforeAll
  static void installSchemaChecker() throws Exception {
    Files.copy(ROOT.resolve("tools/package.json"), tools.resolve("package.json"));
    Files.copy(ROOT.resolve("tools/validate.mjs"), tools.resolve("validate.mjs"));
    Run npm = run(tools, null, "npm", "install", "--no-audit", "--no-fund", "--loglevel=error");
    assertThat(npm.exit()).as("npm install (is npm installed and its registry reachable?)%n%s", npm.out()).isZero();
  }

  static List<Path> overlays() throws IOException {
    try (Stream<Path> s = Files.list(ROOT.resolve("overlays"))) {
      return s.filter(Files::isDirectory).sorted().toList();
    }
  }

  static String render(Path overlay) throws Exception {
    Run r = run(Path.of("."), null, "kubectl", "kustomize", overlay.toString());
    assertThat(r.exit()).as("kubectl kustomize %s%n%s", overlay, r.out()).isZero();
    return r.out();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> objects(String yaml) {
    List<Map<String, Object>> out = new ArrayList<>();
    new Yaml().loadAll(yaml).forEach(o -> out.add((Map<String, Object>) o));
    return out;
  }

  static Map<String, Object> one(List<Map<String, Object>> objects, String kind) {
    List<Map<String, Object>> of = objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    assertThat(of).as("one %s", kind).hasSize(1);
    return of.get(0);
  }

  @SuppressWarnings("unchecked")
  static <T> T at(Object o, String... path) {
    Object cur = o;
    for (String p : path) {
      cur = cur instanceof List<?> l ? l.get(Integer.parseInt(p)) : ((Map<String, Object>) cur).get(p);
      assertThat(cur).as("%s", String.join(".", path)).isNotNull();
    }
    return (T) cur;
  }

  @Test
  void everyOverlayRendersAndPassesTheApiSchemas() throws Exception {
    assertThat(overlays()).extracting(p -> p.getFileName().toString()).contains("staging", "production");
    for (Path overlay : overlays()) {
      Run check = run(tools, render(overlay), "node", "validate.mjs");
      assertThat(check.exit()).as("%s:%n%s", overlay, check.out()).isZero();
      assertThat(check.out()).contains(", 0 problems").contains("apps/v1 Deployment virtual-queue")
          .contains("policy/v1 PodDisruptionBudget").contains("autoscaling/v2 HorizontalPodAutoscaler")
          .contains("networking.k8s.io/v1 Ingress").contains("v1 ConfigMap");
    }
  }

  @Test
  void theSchemaCheckCatchesABrokenManifest() throws Exception {
    String broken = render(ROOT.resolve("overlays/production")).replace("containerPort: 8081", "containerPort: http");
    Run check = run(tools, broken, "node", "validate.mjs");
    assertThat(check.exit()).isEqualTo(1);
    assertThat(check.out()).contains("PROBLEM").contains("containerPort");
  }

  @Test
  void podsDrainOnTheManagementPortAndRunUnprivileged() throws Exception {
    for (Path overlay : overlays()) {
      Map<String, Object> pod = at(one(objects(render(overlay)), "Deployment"), "spec", "template", "spec");
      Map<String, Object> c = at(pod, "containers", "0");
      assertThat((String) at(c, "readinessProbe", "httpGet", "path")).isEqualTo("/health/ready");
      assertThat((String) at(c, "livenessProbe", "httpGet", "path")).isEqualTo("/health/live");
      assertThat((Object) at(c, "readinessProbe", "httpGet", "port")).isEqualTo("management");
      List<String> preStop = at(c, "lifecycle", "preStop", "exec", "command");
      int pause = Integer.parseInt(preStop.get(preStop.size() - 1));
      int drain = Integer.parseInt(env(objects(render(overlay))).get("VQ_HTTP_DRAIN_SECONDS"));
      assertThat((Integer) at(pod, "terminationGracePeriodSeconds")).as("grace > preStop + drain + requests")
          .isGreaterThanOrEqualTo(pause + drain + 30);
      assertThat((Boolean) at(pod, "securityContext", "runAsNonRoot")).isTrue();
      assertThat((Integer) at(pod, "securityContext", "runAsUser")).isNotZero();
      assertThat((Boolean) at(c, "securityContext", "allowPrivilegeEscalation")).isFalse();
      assertThat((String) at(c, "image")).contains(":").doesNotEndWith(":latest");
    }
  }

  /** The ConfigMap's and the container's VQ_ settings, by name. */
  @SuppressWarnings("unchecked")
  static Map<String, String> env(List<Map<String, Object>> objects) {
    Map<String, String> out = new HashMap<>();
    Map<String, Object> data = at(one(objects, "ConfigMap"), "data");
    data.forEach((k, v) -> out.put(k, String.valueOf(v)));
    List<Map<String, Object>> env = at(one(objects, "Deployment"), "spec", "template", "spec", "containers", "0",
        "env");
    env.forEach(e -> out.put((String) e.get("name"), String.valueOf(e.get("value"))));
    return out;
  }

  @Test
  void everySettingIsOneTheServerKnows() throws Exception {
    Set<String> known = new HashSet<>();
    ConfigKeys.ALL.forEach(k -> known.add(ConfigLoader.envName(k)));
    for (Path overlay : overlays()) {
      Map<String, String> env = env(objects(render(overlay)));
      env.keySet().stream().filter(k -> k.startsWith("VQ_"))
          .forEach(k -> assertThat(known).as("%s in %s is a setting (config/ConfigKeys)", k, overlay)
              .contains(k));
      assertThat(env).containsEntry("VQ_PROFILE", "prod").containsKey("VQ_HTTP_TRUSTED_PROXIES");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void selectorsAndReferencesFitTogether() throws Exception {
    for (Path overlay : overlays()) {
      List<Map<String, Object>> objects = objects(render(overlay));
      Map<String, Object> labels = at(one(objects, "Deployment"), "spec", "template", "metadata", "labels");
      Map<String, Object> svcSelector = at(one(objects, "Service"), "spec", "selector");
      Map<String, Object> pdbSelector = at(one(objects, "PodDisruptionBudget"), "spec", "selector", "matchLabels");
      assertThat(labels).containsAllEntriesOf(svcSelector).containsAllEntriesOf(pdbSelector);
      assertThat((String) at(one(objects, "HorizontalPodAutoscaler"), "spec", "scaleTargetRef", "name"))
          .isEqualTo(at(one(objects, "Deployment"), "metadata", "name"));
      Map<String, Object> ingress = one(objects, "Ingress");
      assertThat((String) at(ingress, "spec", "rules", "0", "http", "paths", "0", "backend", "service", "name"))
          .isEqualTo(at(one(objects, "Service"), "metadata", "name"));
      Map<String, String> annotations = at(ingress, "metadata", "annotations");
      int ping = Integer.parseInt(env(objects).get("VQ_LIVE_PING_SECONDS"));
      assertThat(Integer.parseInt(annotations.get("nginx.ingress.kubernetes.io/proxy-read-timeout")))
          .as("the ingress outlasts two socket pings").isGreaterThan(2 * ping);
      boolean hasSecret = objects.stream().anyMatch(o -> "Secret".equals(o.get("kind")));
      if (hasSecret) {
        Map<String, Object> data = at(one(objects, "Secret"), "stringData");
        assertThat(data.values()).as("example values only").anyMatch(v -> String.valueOf(v).contains("CHANGE-ME"));
      }
    }
  }
}
