-- Waiting rooms (issue 14): settings on the queue, one admitter per room with a fenced lease and
-- the rate schedule, admitted sessions (the slots the cap counts), and the pre-queue lottery.

-- The settings (queue/WaitingRoom), only for mode 'waiting_room'.
ALTER TABLE queues ADD COLUMN waiting_room jsonb;

-- Per room: who admits (a lease with a fencing number, on Postgres's clock) and when the next
-- person may be admitted (the schedule survives a hand-over, so a new admitter keeps the rate).
CREATE TABLE waiting_room_state (
    queue_id       uuid PRIMARY KEY REFERENCES queues(id) ON DELETE CASCADE,
    tenant_id      uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    owner          text NOT NULL,
    fence          bigint NOT NULL,
    lease_until    timestamptz NOT NULL,
    next_admit_at  timestamptz NOT NULL DEFAULT now(),
    lease_changes  bigint NOT NULL DEFAULT 0
);

-- One row per admission: the slot the cap counts while it is active (ended_at null and
-- expires_at ahead). The access token is not stored: it is signed again from this row when asked
-- for (sub = ticket id, jti, iat = issued_at, exp = expires_at).
CREATE TABLE admission_sessions (
    ticket_id       uuid PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
    tenant_id       uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    queue_id        uuid NOT NULL REFERENCES queues(id) ON DELETE CASCADE,
    jti             uuid NOT NULL,
    fence           bigint NOT NULL,
    admitted_at     timestamptz NOT NULL DEFAULT now(),
    issued_at       timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    max_expires_at  timestamptz NOT NULL,
    verified_at     timestamptz,
    ended_at        timestamptz,
    end_reason      text CHECK (end_reason IN ('expired', 'unused', 'released', 'left')),
    CHECK ((ended_at IS NULL) = (end_reason IS NULL)),
    CHECK (expires_at <= max_expires_at)
);
CREATE INDEX admission_sessions_open ON admission_sessions (queue_id, expires_at) WHERE ended_at IS NULL;

-- The verifiable lottery of a pre-queue: the seed is drawn when the room first has a pre-queue,
-- kept sealed (server key) until opens_at, its SHA-256 public from the start; at opens_at the
-- draw orders the pre-queue tickets by SHA-256(seed || ticket id) and reveals the seed.
CREATE TABLE waiting_room_draws (
    queue_id      uuid PRIMARY KEY REFERENCES queues(id) ON DELETE CASCADE,
    tenant_id     uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    seed_sealed   bytea NOT NULL,
    commitment    text NOT NULL,
    opens_at      timestamptz NOT NULL,
    drawn_at      timestamptz,
    seed          text,
    ticket_ids    uuid[],
    CHECK ((drawn_at IS NULL) = (seed IS NULL))
);
