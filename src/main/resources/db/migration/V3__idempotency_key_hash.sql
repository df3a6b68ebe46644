-- Nothing the server hands out may be recoverable from a dump (issue 11). Idempotency keys are
-- stored as their SHA-256 only, and a replayed join's ticket token is derived from the key the
-- client presents again (TicketTokens.derive), so the stored response keeps only the ticket id.
ALTER TABLE idempotency_keys ADD COLUMN key_hash bytea;
UPDATE idempotency_keys SET key_hash = sha256(convert_to(key, 'UTF8'));
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys DROP COLUMN key;
ALTER TABLE idempotency_keys ALTER COLUMN key_hash SET NOT NULL;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (tenant_id, scope, key_hash);
-- Rows written before this migration held the token itself: drop it. Replaying such a join still
-- returns the same ticket (never a second place), without its token.
UPDATE idempotency_keys SET response = response - 'token' WHERE response ? 'token';
