package dev.virtualqueue.auth;

import java.util.UUID;

/**
 * Who is calling a staff route: a signed-in staff member or an API key, always within one tenant.
 * Every service call that touches tenant data takes the tenant from here, never from the request.
 */
public record Principal(UUID tenantId, Kind kind, UUID actorId, Role role) {

  public enum Kind { STAFF, API_KEY, SYSTEM }

  /** The server itself acting on a tenant's data (housekeeping rules such as absent no-shows). */
  public static Principal system(UUID tenantId) {
    return new Principal(tenantId, Kind.SYSTEM, null, Role.AGENT);
  }

  /** The actor kind as written to the ticket event log. */
  public String actorKind() {
    return switch (kind) {
      case STAFF -> "staff";
      case API_KEY -> "api_key";
      case SYSTEM -> "system";
    };
  }
}
