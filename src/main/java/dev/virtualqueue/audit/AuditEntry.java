package dev.virtualqueue.audit;

import io.vertx.core.json.JsonObject;

/** One entry to append: who, what, on which target, from where (client address and request id). */
public record AuditEntry(AuditActor actor, String action, String targetType, String targetId, String clientAddr,
                         String requestId, JsonObject details) {
}
