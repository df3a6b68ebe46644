-- Waiting-room access tokens (issue 14): their own ES256 key set, apart from the staff JWT keys,
-- so rotating it signs no staff member out and a staff token never verifies as an access token.
--
-- A key is published (in /.well-known/jwks.json) from its insertion until retire_at, and signs
-- from signs_from: the signer is the newest key with signs_from <= now() that is not retired.
-- Rotation ('access-keys rotate') inserts a key that signs from a moment ahead, and gives the
-- keys without a retire date one: the moment they stop signing plus an overlap longer than any
-- session, so every token they signed expires before they leave the JWKS.
--
-- The private key is stored sealed (AES-GCM under a key derived from the server key file, the kid
-- as associated data): a dump of the database alone cannot sign a token.
CREATE TABLE access_keys (
    kid             text PRIMARY KEY,
    private_sealed  text NOT NULL,
    public_jwk      jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    signs_from      timestamptz NOT NULL,
    retire_at       timestamptz
);

-- Every server keeps the key set in memory: any change, by whatever path (the command, an
-- operator's SQL), tells them to reload at commit. They also reload every 10 s.
CREATE FUNCTION access_keys_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('vq_access_keys', '');
  RETURN NULL;
END $$;

CREATE TRIGGER access_keys_changed
  AFTER INSERT OR UPDATE OR DELETE ON access_keys
  FOR EACH STATEMENT EXECUTE FUNCTION access_keys_notify();
