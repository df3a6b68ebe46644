package dev.virtualqueue.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.EnumSet;

/** The one Prometheus registry: Vert.x meters labelled by route (never raw path), plus JVM meters. */
public final class Meters {
  /** Vert.x's HTTP request counter ({@code vertx_http_server_requests_total{code,method,route}}). */
  static final String HTTP_SERVER_REQUESTS = "vertx.http.server.requests";
  /** The HTTP server latency timer; the only Vert.x timer that gets histogram buckets (SLO rules use them). */
  static final String HTTP_SERVER_RESPONSE_TIME = "vertx.http.server.response.time";
  /** Buckets of the HTTP latency histogram; 0.5 s is the join latency SLO (monitoring/rules). */
  static final Duration[] HTTP_SLO_BUCKETS = seconds(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5);

  private Meters() {
  }

  @SuppressWarnings("resource")
  public static PrometheusMeterRegistry registry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config()
        .meterFilter(MeterFilter.replaceTagValues("route", Meters::lastRoute))
        .meterFilter(httpLatencyBuckets());
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    return registry;
  }

  public static MicrometerMetricsOptions vertxOptions() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(false)
        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE,
            Label.POOL_NAME, Label.EB_ADDRESS, Label.EB_FAILURE, Label.CLIENT_NAME, Label.NAMESPACE));
  }

  /**
   * Vert.x joins every matched route of a request with '>' ("/api/>/api/v1/queues" because the
   * body handler is mounted on "/api/*"); the last one is the route template that served it.
   */
  static String lastRoute(String route) {
    int i = route.lastIndexOf('>');
    return i < 0 ? route : route.substring(i + 1);
  }

  private static MeterFilter httpLatencyBuckets() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!HTTP_SERVER_RESPONSE_TIME.equals(id.getName())) {
          return config;
        }
        return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos(HTTP_SLO_BUCKETS)).build()
            .merge(config);
      }
    };
  }

  static Duration[] seconds(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    }
    return out;
  }

  private static double[] nanos(Duration[] durations) {
    double[] out = new double[durations.length];
    for (int i = 0; i < durations.length; i++) {
      out[i] = durations[i].toNanos();
    }
    return out;
  }
}
