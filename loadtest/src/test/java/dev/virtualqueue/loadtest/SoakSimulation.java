package dev.virtualqueue.loadtest;

/**
 * The steady office day held for 30 minutes after the ramp (memory, connection and pool leaks
 * show here, not in a short run). Run with {@code mvn gatling:test -Psoak} or
 * {@code scripts/loadtest.sh soak}; never part of the default run.
 */
public class SoakSimulation extends SteadyOfficeDaySimulation {

  public SoakSimulation() {
    super(LoadConfig.read(10_000, 300, 1800), "soak");
  }
}
