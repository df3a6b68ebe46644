package dev.virtualqueue.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Per-verticle meters, which Vert.x itself does not export: deployed instances, units of work
 * handled and their duration, and event-loop delay measured by a timer drift probe on the
 * event loop of every instance. The {@code verticle} label is one of a few fixed names.
 */
public final class VerticleMetrics {
  /** How often each instance's probe fires; the delay is how late it fires. */
  static final long PROBE_MILLIS = 200;
  static final Duration[] DELAY_BUCKETS = Meters.seconds(0.01, 0.05, 0.1, 0.5, 1, 5);
  /** The 5xx the server answers: 500 server.error, 503 store.unavailable and request.timeout. */
  static final List<String> SERVER_ERROR_CODES = List.of("500", "503");

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> instances = new ConcurrentHashMap<>();

  public VerticleMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Wraps a verticle factory so that each instance is counted while deployed and probes the
   * event loop it runs on.
   */
  public Supplier<Deployable> track(String verticle, Supplier<? extends Deployable> factory) {
    AtomicInteger count = instances.computeIfAbsent(verticle, v -> {
      AtomicInteger n = new AtomicInteger();
      Gauge.builder("vq.verticle.instances", n, AtomicInteger::get).tag("verticle", v)
          .description("Deployed instances of a verticle").register(registry);
      return n;
    });
    Timer delay = Timer.builder("vq.verticle.event.loop.delay").tag("verticle", verticle)
        .description("How late a periodic timer fires on the verticle's event loop (blocked or busy loop)")
        .serviceLevelObjectives(DELAY_BUCKETS).register(registry);
    return () -> new Tracked(factory.get(), count, delay);
  }

  /** Records one unit of work of {@code verticle} that took {@code nanos}. */
  public void handled(String verticle, long nanos, boolean failed) {
    handlerTimer(verticle, failed).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Times a unit of asynchronous work (a periodic task, a scrape) until its future completes. */
  public <T> Future<T> time(String verticle, Future<T> work, long startNanos) {
    return work.onComplete(ar -> handled(verticle, System.nanoTime() - startNanos, ar.failed()));
  }

  /**
   * Creates Vert.x's request counter at 0 for every API route and method of {@code router} with
   * each 5xx code: a counter whose series first appears at 1 looks unchanged to increase() and
   * rate(), so a route's first server errors would be missing from error rates and SLO budgets.
   * Idempotent (every HTTP verticle instance calls it with its router).
   */
  public void serverErrorsAtZero(Router router) {
    for (Route route : router.getRoutes()) {
      String name = route.getName();
      if (name == null || !name.startsWith("/api/") || route.methods() == null) {
        continue;
      }
      for (HttpMethod method : route.methods()) {
        SERVER_ERROR_CODES.forEach(code -> Counter.builder(Meters.HTTP_SERVER_REQUESTS)
            .description("Number of processed requests")
            .tags("route", name, "method", method.toString(), "code", code).register(registry));
      }
    }
  }

  /** A router handler timing every HTTP request from routing to the end of its response. */
  public Handler<RoutingContext> httpHandler(String verticle) {
    return ctx -> {
      long start = System.nanoTime();
      ctx.addEndHandler(ar -> handled(verticle, System.nanoTime() - start,
          ar.failed() || ctx.response().getStatusCode() >= 500));
      ctx.next();
    };
  }

  private Timer handlerTimer(String verticle, boolean failed) {
    return Timer.builder("vq.verticle.handler").tag("verticle", verticle)
        .tag("outcome", failed ? "failure" : "success")
        .description("Units of work handled by a verticle (requests, scrapes, periodic tasks) and their duration")
        .register(registry);
  }

  /** A deployed instance: counts itself and runs the drift probe on its own event loop. */
  private static final class Tracked implements Deployable {
    private final Deployable inner;
    private final AtomicInteger count;
    private final Timer delay;
    private long timerId = -1;

    Tracked(Deployable inner, AtomicInteger count, Timer delay) {
      this.inner = inner;
      this.count = count;
      this.delay = delay;
    }

    @Override
    public Future<?> deploy(Context context) throws Exception {
      return inner.deploy(context).onSuccess(v -> {
        count.incrementAndGet();
        startProbe(context);
      });
    }

    @Override
    public Future<?> undeploy(Context context) throws Exception {
      if (timerId >= 0) {
        context.owner().cancelTimer(timerId);
      }
      count.decrementAndGet();
      return inner.undeploy(context);
    }

    private void startProbe(Context context) {
      long[] expected = {System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROBE_MILLIS)};
      context.runOnContext(v -> timerId = context.owner().setPeriodic(PROBE_MILLIS, id -> {
        long now = System.nanoTime();
        delay.record(Math.max(0, now - expected[0]), TimeUnit.NANOSECONDS);
        expected[0] = now + TimeUnit.MILLISECONDS.toNanos(PROBE_MILLIS);
      }));
    }
  }
}
