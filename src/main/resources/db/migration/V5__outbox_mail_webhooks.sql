-- Issue 13: the outbox that both channels drain, e-mail state per ticket, and webhook endpoints,
-- deliveries and attempts.

-- One row per event and interested channel, written by the very statement that makes the change
-- (so a committed change always has its rows, and a rolled-back one never does). A channel claims
-- due rows with FOR UPDATE SKIP LOCKED and a lease; a row is deleted once its channel has handled
-- it. `id` is the event id (the webhook-id), random per row. Two indexes only: every change's
-- statement opens and locks each index of each table it writes, and each one more cost joins/s.
CREATE TABLE outbox (
    seq           bigserial PRIMARY KEY,
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    channel       text NOT NULL CHECK (channel IN ('mail', 'webhook')),
    tenant_id     uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    queue_id      uuid,
    ticket_id     uuid,
    type          text NOT NULL,
    data          jsonb NOT NULL,
    occurred_at   timestamptz NOT NULL DEFAULT now(),
    attempts      integer NOT NULL DEFAULT 0,
    available_at  timestamptz NOT NULL DEFAULT now(),
    leased_until  timestamptz,
    lease_owner   text,
    last_error    text
);
CREATE INDEX outbox_due ON outbox (channel, available_at, seq);

-- When a ticket holder wants "almost your turn" (null: the queue's default), whether they stopped
-- all messages, and whether that message is still owed (kept true only while it can still be due).
ALTER TABLE tickets ADD COLUMN notify_ahead integer CHECK (notify_ahead BETWEEN 0 AND 100);
ALTER TABLE tickets ADD COLUMN notify_minutes integer CHECK (notify_minutes BETWEEN 1 AND 240);
ALTER TABLE tickets ADD COLUMN notify_stopped boolean NOT NULL DEFAULT false;
ALTER TABLE tickets ADD COLUMN almost_pending boolean NOT NULL DEFAULT false;
CREATE INDEX tickets_almost_pending ON tickets (queue_id, class_rank, number)
    WHERE status = 'waiting' AND almost_pending;

-- A queue's defaults for "almost your turn" and its per-kind overrides of subject and intro text.
ALTER TABLE queues ADD COLUMN notify_ahead integer NOT NULL DEFAULT 3 CHECK (notify_ahead BETWEEN 0 AND 100);
ALTER TABLE queues ADD COLUMN notify_minutes integer CHECK (notify_minutes BETWEEN 1 AND 240);
ALTER TABLE queues ADD COLUMN mail_texts jsonb;

-- Each message once per ticket and kind: the row is taken before the send ('sending') and marked
-- 'sent' after the SMTP server accepted it; 'skipped' when it was not due any more (or covered by
-- another message), 'failed' when retries ran out.
CREATE TABLE ticket_mails (
    ticket_id   uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    kind        text NOT NULL,
    tenant_id   uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    state       text NOT NULL CHECK (state IN ('sending', 'sent', 'skipped', 'failed')),
    attempts    integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz,
    PRIMARY KEY (ticket_id, kind)
);
-- The per-tenant send budget counts recent sends.
CREATE INDEX ticket_mails_tenant_sent ON ticket_mails (tenant_id, sent_at) WHERE state = 'sent';

-- Webhook endpoints. Secrets are sealed (AES-GCM under the server's key), never stored in clear;
-- after a rotation the previous one signs too, until previous_expires_at.
CREATE TABLE webhook_endpoints (
    id                   uuid PRIMARY KEY,
    tenant_id            uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    url                  text NOT NULL,
    description          text,
    events               text[] NOT NULL,
    enabled              boolean NOT NULL DEFAULT true,
    disabled_reason      text,
    secret_sealed        bytea NOT NULL,
    previous_sealed      bytea,
    previous_expires_at  timestamptz,
    failing_since        timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    version              integer NOT NULL DEFAULT 0
);
-- The outbox writer asks "does this tenant have an enabled endpoint for this type?" on every change.
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id) WHERE enabled;

-- One delivery per endpoint and event (the unique pair makes the fan-out idempotent); the body is
-- built once and the same bytes are signed and sent on every attempt.
CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY,
    endpoint_id      uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    tenant_id        uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    event_id         uuid NOT NULL,
    event_type       text NOT NULL,
    ticket_id        uuid,
    body             text NOT NULL,
    status           text NOT NULL CHECK (status IN ('pending', 'succeeded', 'dead')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    leased_until     timestamptz,
    last_status      integer,
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);
CREATE INDEX webhook_deliveries_dead ON webhook_deliveries (tenant_id) WHERE status = 'dead';

CREATE TABLE webhook_attempts (
    id                bigserial PRIMARY KEY,
    delivery_id       uuid NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    attempted_at      timestamptz NOT NULL DEFAULT now(),
    status_code       integer,
    latency_ms        integer NOT NULL,
    response_excerpt  text,
    error             text
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
