package dev.virtualqueue.auth;

/** Where a sign-in step comes from, for the lockout and the audit log: the client address and the request id. */
record SignInClient(String address, String requestId) {
}
