package dev.virtualqueue.auth;

import java.util.UUID;

/**
 * Who is calling a staff route: a signed-in staff member or an API key, always within one tenant.
 * Every service call that touches tenant data takes the tenant from here, never from the request.
 */
public record Principal(UUID tenantId, Kind kind, UUID actorId, Role role) {

  public enum Kind { STAFF, API_KEY }

  /** The actor kind as written to the ticket event log. */
  public String actorKind() {
    return kind == Kind.STAFF ? "staff" : "api_key";
  }
}
