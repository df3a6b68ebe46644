-- Two-factor sign-in (issue 15): one TOTP authenticator per staff account, its one-time recovery
-- codes, and the tenant setting that requires it for some roles. See docs/auth.md "Two-factor sign-in".
--
-- The TOTP secret is stored only sealed (AES-256-GCM under a key derived from the server key,
-- VQ_SECRETS_KEY_FILE, with the staff id as associated data; common/SecretSealer). A row with no
-- enabled_at is an enrolment awaiting its first code. last_step is the RFC 6238 time step of the
-- last accepted code: a code of that step or an earlier one is refused, so a code is good once.
CREATE TABLE staff_totp (
    staff_id       uuid PRIMARY KEY REFERENCES staff_users(id) ON DELETE CASCADE,
    tenant_id      uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    secret_sealed  text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    enabled_at     timestamptz,
    last_step      bigint NOT NULL DEFAULT 0
);

-- Recovery codes: only their SHA-256 (each is 50 random bits, shown once); used_at marks a spent one.
CREATE TABLE staff_recovery_codes (
    staff_id   uuid NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    code_hash  bytea NOT NULL,
    used_at    timestamptz,
    PRIMARY KEY (staff_id, code_hash)
);

-- Roles whose accounts must sign in with a second factor ('owner', 'admin', ...); empty: none.
ALTER TABLE tenants ADD COLUMN require_two_factor text[] NOT NULL DEFAULT '{}';
