package dev.virtualqueue.auth;

/** The kinds of caller of the authorization grid, in the column order of {@code authz/grid.tsv}. */
enum GridCaller {
  /** No credential at all. */
  ANONYMOUS(null),
  /** A ticket's holder: its {@code X-Ticket-Token}. */
  HOLDER(null),
  /** A kiosk or board: the queue's {@code X-Display-Key}. */
  KIOSK(null),
  VIEWER(Role.VIEWER),
  AGENT(Role.AGENT),
  ADMIN(Role.ADMIN),
  OWNER(Role.OWNER),
  /** The owner of another tenant, using this tenant's ids. */
  OTHER_OWNER(Role.OWNER),
  /** An admin API key after its revocation. */
  REVOKED_KEY(null),
  /** An owner's access token past its expiry. */
  EXPIRED(null),
  /** An admin's access token from before the account was disabled (PATCH): refused at once. */
  DISABLED(null),
  /** An admin's access token from before the account was made viewer (PATCH): refused at once. */
  DEMOTED(null);

  /** The role a live staff caller holds; null for a caller that is not signed-in staff. */
  final Role role;

  GridCaller(Role role) {
    this.role = role;
  }
}
