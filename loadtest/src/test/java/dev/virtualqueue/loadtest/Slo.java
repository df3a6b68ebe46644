package dev.virtualqueue.loadtest;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;

import io.gatling.javaapi.core.Assertion;
import java.util.ArrayList;
import java.util.List;

/**
 * The Gatling assertions of every simulation, each built from the alert that pages ops for the
 * same symptom (monitoring/rules, by alert name). Request names are constants so that the
 * assertions, the scenarios and the tests agree.
 */
public final class Slo {

  /** p99 of API requests (rule: histogram_quantile(0.99, ... route=~"/api/.*") > 1). */
  public static final String API_LATENCY = "ApiLatencyHigh";
  /** p95 of public joins. */
  public static final String JOIN_LATENCY = "JoinLatencyHigh";
  /** p95 of call-next. */
  public static final String CALL_NEXT_LATENCY = "CallNextLatencyHigh";
  /** p95 of ticket reads. */
  public static final String TICKET_READ_LATENCY = "TicketReadLatencyHigh";
  /** Share of failed requests: the fast-burn page of the 99.9 % availability SLO (14.4 × 0.1 %). */
  public static final String ERROR_RATIO = "ApiErrorBudgetBurnFast";
  /** p99 of live pushes, change commit to socket: the product's "within a second". */
  public static final String PUSH_LATENCY = "LivePushLatencyHigh";

  public static final String JOIN = "join";
  public static final String TICKET_READ = "ticket read";
  public static final String CALL_NEXT = "call next";

  private final AlertRules rules;
  private final boolean latency;
  private final List<Assertion> assertions = new ArrayList<>();

  /** Latency assertions on unless {@code -Dvq.assertLatency=false} (the CI smoke: see docs/performance.md). */
  public Slo(AlertRules rules) {
    this(rules, Boolean.parseBoolean(System.getProperty("vq.assertLatency", "true")));
  }

  public Slo(AlertRules rules, boolean assertLatency) {
    this.rules = rules;
    this.latency = assertLatency;
  }

  /** Every API request named here: its p99 under the {@value #API_LATENCY} threshold. */
  public Slo apiRequests(String... requests) {
    AlertRules.Threshold t = rules.threshold(API_LATENCY);
    for (String request : requests) {
      latency(details(request).responseTime().percentile(t.percentile()).lt(t.millis()),
          t, "p" + fmt(t.percentile()) + " of '" + request + "' < " + t.millis() + " ms");
    }
    return this;
  }

  /** The request's percentile under the threshold of the route's own latency alert. */
  public Slo routeLatency(String alert, String request) {
    AlertRules.Threshold t = rules.threshold(alert);
    latency(details(request).responseTime().percentile(t.percentile()).lt(t.millis()),
        t, "p" + fmt(t.percentile()) + " of '" + request + "' < " + t.millis() + " ms");
    return this;
  }

  /** Failed requests and WebSocket checks, over the whole run, at most the {@value #ERROR_RATIO} ratio. */
  public Slo errorRatio() {
    AlertRules.Threshold t = rules.threshold(ERROR_RATIO);
    assertions.add(global().failedRequests().percent().lte(t.percent()));
    log(t, "failed requests and WebSocket checks <= " + fmt(t.percent()) + " %");
    return this;
  }

  /** Failed WebSocket checks of one name (e.g. a snapshot that never came) at most the same ratio. */
  public Slo wsChecks(String... checks) {
    AlertRules.Threshold t = rules.threshold(ERROR_RATIO);
    for (String check : checks) {
      assertions.add(details(check).failedRequests().percent().lte(t.percent()));
      log(t, "failed '" + check + "' checks <= " + fmt(t.percent()) + " %");
    }
    return this;
  }

  /**
   * Groups that each hold one verdict (a person's admission, a socket's freshness): none KO, and at
   * least one judged. {@code bound}: the alert whose threshold the verdicts were judged against,
   * or null for a bound of the issue's own.
   */
  public Slo verdicts(AlertRules.Threshold bound, String what, String... groups) {
    for (String group : groups) {
      assertions.add(details(group).failedRequests().count().is(0L));
      assertions.add(details(group).allRequests().count().gt(0L));
      String line = "no '" + group + "' KO (" + what + ")";
      if (bound != null) {
        log(bound, line);
      } else {
        System.out.printf("[slo] %-22s: %s%n", "issue 14", line);
      }
    }
    return this;
  }

  /** The bound a freshness verdict uses: the threshold of the alert on live push latency. */
  public AlertRules.Threshold threshold(String alert) {
    return rules.threshold(alert);
  }

  public List<Assertion> assertions() {
    return List.copyOf(assertions);
  }

  private void latency(Assertion assertion, AlertRules.Threshold t, String what) {
    if (latency) {
      assertions.add(assertion);
      log(t, what);
    } else {
      log(t, what + " (reported, not asserted: -Dvq.assertLatency=false)");
    }
  }

  private static void log(AlertRules.Threshold t, String what) {
    System.out.printf("[slo] %-22s (%s, %s): %s%n", t.alert(), t.severity(), t.file(), what);
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }
}
