-- The audit log (issue 15): an append-only, per-tenant hash-chained record of every staff and
-- admin action and of every sign-in. See docs/audit.md.
--
-- hash = SHA-256(prev_hash || canonical encoding of the entry), computed by the server
-- (dev.virtualqueue.audit.AuditEntry#canonical). The first entry of a tenant chains from the
-- tenant's anchor (audit_anchor.hash, 64 zeros at the start, the hash of the last purged entry
-- after a retention purge). Writers take pg_advisory_xact_lock on the tenant, so the chain head
-- is read and extended by one transaction at a time and cannot fork.
CREATE TABLE audit_log (
    seq          bigserial PRIMARY KEY,
    tenant_id    uuid NOT NULL,
    at           timestamptz NOT NULL,
    actor        text,
    actor_kind   text NOT NULL,
    action       text NOT NULL,
    target_type  text,
    target_id    text,
    client_addr  text,
    request_id   text,
    details      jsonb NOT NULL DEFAULT '{}'::jsonb,
    prev_hash    text NOT NULL,
    hash         text NOT NULL
);

CREATE INDEX audit_log_tenant_seq ON audit_log (tenant_id, seq);

-- Where each tenant's chain starts: after a purge, the hash and seq of the last deleted entry.
CREATE TABLE audit_anchor (
    tenant_id  uuid PRIMARY KEY,
    seq        bigint NOT NULL,
    hash       text NOT NULL,
    purged_at  timestamptz NOT NULL DEFAULT now()
);

-- Append-only: UPDATE and DELETE are refused unless the session set vq.audit_purge = 'on' (only
-- the retention purge does, inside its own transaction). A superuser can still disable the
-- trigger; the hash chain and 'audit verify' are what detect that.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('vq.audit_purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- The canonical encoding of an entry and its chained hash; the writer and 'audit verify' both use
-- it, so they cannot disagree on the encoding. Time is taken in microseconds since the epoch,
-- independent of the session's time zone.
CREATE FUNCTION audit_hash(prev text, seq bigint, tenant uuid, at timestamptz, actor text, actor_kind text,
                           action text, target_type text, target_id text, client_addr text, request_id text,
                           details jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(prev || jsonb_build_array(seq, tenant::text,
      (extract(epoch FROM at) * 1000000)::bigint, actor, actor_kind, action, target_type, target_id,
      client_addr, request_id, details)::text, 'UTF8')), 'hex')
$$;
