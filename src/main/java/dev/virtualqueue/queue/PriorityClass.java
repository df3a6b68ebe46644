package dev.virtualqueue.queue;

/**
 * One priority class of a queue. Classes are ordered (index 0 is served first under the strict
 * policy); {@code weight} is how many of this class are called per turn under the weighted policy;
 * {@code selfService} classes may be chosen by the public when joining.
 */
public record PriorityClass(String name, Integer weight, Boolean selfService) {

  public int weightOrOne() {
    return weight == null ? 1 : weight;
  }

  public boolean selfServiceOrDefault(int index) {
    return selfService == null ? index == 0 : selfService;
  }
}
