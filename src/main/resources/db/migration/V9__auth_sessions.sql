-- Refresh tokens (issue 15): a sign-in starts a session family; each refresh rotates its token.
-- Only the SHA-256 of a token is stored. A token presented after it was rotated is a reuse (it
-- was stolen, or the client is broken): the whole family is revoked.
CREATE TABLE auth_sessions (
    id           uuid PRIMARY KEY,
    family_id    uuid NOT NULL,
    tenant_id    uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    staff_id     uuid NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    rotated_at   timestamptz,
    revoked_at   timestamptz
);

CREATE INDEX auth_sessions_family ON auth_sessions (family_id);
CREATE INDEX auth_sessions_staff ON auth_sessions (staff_id) WHERE revoked_at IS NULL;

-- Every server keeps looked-up API keys in memory (auth/ApiKeyCache): a revoke or delete, by
-- whatever path, tells every server to forget that key at commit (auth/ApiKeyRevocations).
CREATE FUNCTION api_keys_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('vq_api_keys', OLD.prefix);
  ELSE
    PERFORM pg_notify('vq_api_keys', NEW.prefix);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER api_keys_changed
  AFTER DELETE OR UPDATE OF revoked_at, role ON api_keys
  FOR EACH ROW EXECUTE FUNCTION api_keys_notify();
