package dev.virtualqueue.limit;

import io.vertx.core.Future;

/** Where a queue's own join limit comes from: the queue, found by the join path's two slugs. */
@FunctionalInterface
public interface QueueJoinLimits {
  /** None: every queue uses the server's {@code rateLimit.join}. */
  QueueJoinLimits NONE = (tenant, queue) -> Future.succeededFuture(null);

  /**
   * The queue's own limit with a scope that names it (its id), or null when the server's limit
   * applies (no limit of its own, or no such queue: the join route answers that one).
   */
  Future<Scoped> of(String tenantSlug, String queueSlug);

  /** A policy and the scope that keeps its buckets apart from the server-wide ones. */
  record Scoped(String scope, Limit limit) {
  }
}
