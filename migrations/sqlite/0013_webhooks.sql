-- MoeGo webhooks: subscriptions, the deliveries owed (one per event and webhook, the unit
-- X-Moe-Delivery-ID names and retries repeat), and the log of every attempt (the API's
-- WebhookDelivery). Secrets are sealed by moapi_core::secret_box, never stored in clear.

CREATE TABLE moego_webhooks (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id      INTEGER NOT NULL REFERENCES moego_clients (id),
    endpoint_url   TEXT NOT NULL,
    -- JSON list of {"id": raw ID, "type": v1OrganizationType name}; empty: every organization.
    organizations  TEXT NOT NULL DEFAULT '[]',
    -- JSON list of v1EventType names; empty: none.
    event_types    TEXT NOT NULL DEFAULT '[]',
    -- secret_box sealed secretToken, NULL when none.
    secret_sealed  TEXT,
    content_type   TEXT NOT NULL DEFAULT 'CONTENT_TYPE_JSON',
    is_active      INTEGER NOT NULL DEFAULT 1,
    verify_ssl     INTEGER NOT NULL DEFAULT 1,
    -- JSON {"Name":{"values":["..."]}}.
    headers        TEXT NOT NULL DEFAULT '{}',
    -- Also send Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature).
    standard_webhooks INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (client_id, endpoint_url)
);

CREATE TABLE moego_webhook_jobs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id      INTEGER NOT NULL,
    client_id       INTEGER NOT NULL,
    -- X-Moe-Delivery-ID: stable across retries of this job.
    delivery_uid    TEXT NOT NULL UNIQUE,
    -- EVENT (fanned out from the outbox), TEST or REDELIVERY.
    kind            TEXT NOT NULL DEFAULT 'EVENT',
    event_id        TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    -- The exact body to send.
    payload         TEXT NOT NULL,
    -- PENDING until it succeeds (DONE) or its retries run out (FAILED).
    state           TEXT NOT NULL DEFAULT 'PENDING',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    -- The worker holding the job and until when; an expired lease is free to claim.
    lease_owner     TEXT,
    lease_until     INTEGER,
    created_at      INTEGER NOT NULL,
    finished_at     INTEGER
);
CREATE INDEX moego_webhook_jobs_due ON moego_webhook_jobs (state, next_attempt_at, id);
CREATE INDEX moego_webhook_jobs_by_webhook ON moego_webhook_jobs (webhook_id, id);

CREATE TABLE moego_webhook_deliveries (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id           INTEGER NOT NULL,
    webhook_id       INTEGER NOT NULL,
    client_id        INTEGER NOT NULL,
    event_type       TEXT NOT NULL,
    event_id         TEXT NOT NULL,
    request_url      TEXT NOT NULL,
    -- The address actually connected to (ip:port), '' when none was reached.
    delivered_to     TEXT NOT NULL DEFAULT '',
    -- Headers as JSON {"Name":{"values":[...]}} (the wire map); bodies base64 (the wire's
    -- bytes), capped in size.
    request_headers  TEXT NOT NULL DEFAULT '{}',
    request_body     TEXT NOT NULL DEFAULT '',
    response_status  INTEGER NOT NULL DEFAULT 0,
    response_headers TEXT NOT NULL DEFAULT '{}',
    response_body    TEXT NOT NULL DEFAULT '',
    delivered_at     INTEGER NOT NULL,
    duration_ms      INTEGER NOT NULL DEFAULT 0,
    success          INTEGER NOT NULL DEFAULT 0,
    error            TEXT NOT NULL DEFAULT '',
    -- 0 for the first attempt of a job, then 1, 2, 3.
    retry_count      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX moego_webhook_deliveries_by_webhook ON moego_webhook_deliveries (webhook_id, delivered_at, id);
CREATE INDEX moego_webhook_deliveries_by_time ON moego_webhook_deliveries (delivered_at);
