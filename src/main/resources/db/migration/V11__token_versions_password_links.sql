-- Issue 15: every access token of a staff user dies at once, on every server, when the user is
-- disabled, changes role or password, or signs out. Tokens carry the user's token_version (claim
-- "ver"); each server keeps the current versions in memory (auth/TokenVersions) and hears of every
-- change at commit on channel vq_staff_tokens, whoever made it (the API or an operator's SQL).
ALTER TABLE staff_users ADD COLUMN token_version integer NOT NULL DEFAULT 0;

-- An invited account has no password until its invitation is used.
ALTER TABLE staff_users ALTER COLUMN password_hash DROP NOT NULL;

CREATE FUNCTION staff_tokens_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('vq_staff_tokens', OLD.id::text);
  ELSIF NEW.token_version IS DISTINCT FROM OLD.token_version OR NEW.disabled IS DISTINCT FROM OLD.disabled
      OR NEW.role IS DISTINCT FROM OLD.role THEN
    PERFORM pg_notify('vq_staff_tokens', NEW.id::text);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER staff_tokens_changed
  AFTER DELETE OR UPDATE OF token_version, disabled, role ON staff_users
  FOR EACH ROW EXECUTE FUNCTION staff_tokens_notify();

-- One-time links (an owner's or admin's password reset, an invitation of a new account): only the
-- SHA-256 of the secret is stored; each is used once and expires. Issuing a new one for an account
-- spends the older unused ones.
CREATE TABLE staff_password_links (
    token_hash   bytea PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    staff_id     uuid NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    purpose      text NOT NULL CHECK (purpose IN ('invite', 'reset')),
    created_by   uuid,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);

CREATE INDEX staff_password_links_staff ON staff_password_links (staff_id) WHERE used_at IS NULL;
CREATE INDEX auth_sessions_expires ON auth_sessions (expires_at);
