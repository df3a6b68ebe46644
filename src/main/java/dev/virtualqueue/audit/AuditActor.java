package dev.virtualqueue.audit;

import java.util.UUID;

/**
 * Who acted, as the audit log records it: the tenant, the actor's id (a staff user or an API key,
 * null for an anonymous failed sign-in) and its kind ({@code staff}, {@code api_key}, {@code system},
 * {@code anonymous}).
 */
public record AuditActor(UUID tenantId, String id, String kind) {
}
