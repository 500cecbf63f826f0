-- AI trip imports: one row per job, claimed by a worker of any node through a short lease
-- (lease_owner, lease_until) so that a job whose worker died is taken up again.

CREATE TABLE mogu_ai_jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id   TEXT NOT NULL UNIQUE,
    account_id  INTEGER NOT NULL REFERENCES mogu_accounts (id) ON DELETE CASCADE,
    agent_id    INTEGER NOT NULL REFERENCES mogu_agents (id) ON DELETE CASCADE,
    -- processing | completed | error | canceled
    status      TEXT NOT NULL,
    -- initializing | extractingText | generatingBlocks | completed
    stage       TEXT NOT NULL,
    -- text | url | inline
    source_type TEXT NOT NULL,
    -- The URL, or the inline document's filename.
    source_name TEXT,
    -- The text, the URL, or the inline document in base64; emptied once the job has ended.
    source_data TEXT NOT NULL,
    is_template INTEGER NOT NULL DEFAULT 0,
    trip_id     INTEGER REFERENCES mogu_trips (id) ON DELETE SET NULL,
    error       TEXT,
    lease_owner TEXT,
    lease_until INTEGER,
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX mogu_ai_jobs_claimable ON mogu_ai_jobs (status, lease_until, created_at);
