-- Core schema: tenants, staff, API keys, queues, counters, tickets, events, idempotency.
-- Postgres is the system of record; Redis only mirrors the waiting line.

CREATE TABLE tenants (
    id          uuid PRIMARY KEY,
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff_users (
    id             uuid PRIMARY KEY,
    tenant_id      uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    email          text NOT NULL,
    display_name   text NOT NULL,
    role           text NOT NULL CHECK (role IN ('owner', 'admin', 'agent', 'viewer')),
    password_hash  text NOT NULL,
    disabled       boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, email)
);

CREATE TABLE api_keys (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name         text NOT NULL,
    prefix       text NOT NULL UNIQUE,
    key_hash     bytea NOT NULL,
    role         text NOT NULL CHECK (role IN ('admin', 'agent', 'viewer')),
    created_by   uuid REFERENCES staff_users(id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);

CREATE TABLE queues (
    id                    uuid PRIMARY KEY,
    tenant_id             uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    slug                  text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name                  text NOT NULL,
    mode                  text NOT NULL CHECK (mode IN ('service', 'waiting_room')),
    ticket_prefix         text NOT NULL CHECK (ticket_prefix ~ '^[A-Z]{1,3}$'),
    capacity              integer CHECK (capacity > 0),
    priority_classes      jsonb NOT NULL,
    priority_policy       text NOT NULL CHECK (priority_policy IN ('strict', 'weighted')),
    allow_duplicates      boolean NOT NULL DEFAULT true,
    status                text NOT NULL CHECK (status IN ('open', 'paused', 'closed')),
    opening_hours         jsonb,
    service_time_guess_s  integer NOT NULL CHECK (service_time_guess_s > 0),
    -- weighted interleave cursor, only touched under the row lock taken by call-next
    rr_class              integer NOT NULL DEFAULT 0,
    rr_count              integer NOT NULL DEFAULT 0,
    -- measured service time (EWMA of seconds per served ticket and of its square)
    svc_mean_s            double precision,
    svc_sq_s              double precision,
    svc_samples           integer NOT NULL DEFAULT 0,
    version               integer NOT NULL DEFAULT 0,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, slug)
);

CREATE TABLE counters (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    queue_id    uuid NOT NULL REFERENCES queues(id) ON DELETE CASCADE,
    name        text NOT NULL,
    status      text NOT NULL DEFAULT 'closed' CHECK (status IN ('open', 'closed')),
    opened_by   uuid REFERENCES staff_users(id) ON DELETE SET NULL,
    opened_at   timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (queue_id, name)
);
CREATE INDEX counters_tenant ON counters (tenant_id);

CREATE TABLE tickets (
    id            uuid PRIMARY KEY,
    tenant_id     uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    queue_id      uuid NOT NULL REFERENCES queues(id) ON DELETE CASCADE,
    number        bigint NOT NULL,
    code          text NOT NULL,
    class_rank    integer NOT NULL,
    class_name    text NOT NULL,
    status        text NOT NULL CHECK (status IN
                    ('waiting', 'called', 'serving', 'served', 'no_show', 'left', 'expired', 'admitted')),
    name          text,
    email         text,
    phone         text,
    dedupe_key    text,
    token_hash    bytea NOT NULL,
    counter_id    uuid REFERENCES counters(id) ON DELETE SET NULL,
    recall_count  integer NOT NULL DEFAULT 0,
    eta_p50_s     integer,
    created_at    timestamptz NOT NULL DEFAULT now(),
    queued_at     timestamptz NOT NULL DEFAULT now(),
    called_at     timestamptz,
    started_at    timestamptz,
    finished_at   timestamptz,
    version       integer NOT NULL DEFAULT 0,
    UNIQUE (queue_id, number)
);
CREATE INDEX tickets_waiting ON tickets (queue_id, class_rank, number) WHERE status = 'waiting';
CREATE INDEX tickets_active_counter ON tickets (counter_id) WHERE status IN ('called', 'serving');
CREATE INDEX tickets_queue_day ON tickets (queue_id, created_at);
CREATE UNIQUE INDEX tickets_dedupe ON tickets (queue_id, dedupe_key)
    WHERE dedupe_key IS NOT NULL AND status IN ('waiting', 'called', 'serving');

CREATE TABLE ticket_events (
    id          bigserial PRIMARY KEY,
    tenant_id   uuid NOT NULL,
    ticket_id   uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    queue_id    uuid NOT NULL,
    action      text NOT NULL,
    from_status text,
    to_status   text NOT NULL,
    actor_kind  text NOT NULL CHECK (actor_kind IN ('public', 'staff', 'api_key', 'system')),
    actor_id    uuid,
    counter_id  uuid,
    detail      jsonb,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);

-- A replayed join returns the stored response; rows expire after a day (housekeeping).
CREATE TABLE idempotency_keys (
    tenant_id     uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    scope         text NOT NULL,
    key           text NOT NULL,
    request_hash  bytea NOT NULL,
    response      jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, scope, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
