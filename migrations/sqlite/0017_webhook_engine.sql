-- The webhook engine's own state. Fan-out walks outbox_events by row ID behind one cursor row
-- (a transaction locks it, so one node fans out at a time); IDs it passed that were not yet
-- visible (a PostgreSQL transaction still open, or rolled back) wait in the gaps table until
-- they appear or a grace period passes. Usage counts deliveries per webhook and window, so
-- every node enforces the same per-minute and per-day limits.

CREATE TABLE moego_webhook_fanout (
    id             INTEGER PRIMARY KEY,
    last_event_row INTEGER NOT NULL
);
-- Events committed before the engine existed are not delivered.
INSERT INTO moego_webhook_fanout (id, last_event_row)
    SELECT 1, COALESCE(MAX(id), 0) FROM outbox_events;

CREATE TABLE moego_webhook_fanout_gaps (
    event_row  INTEGER PRIMARY KEY,
    noticed_at INTEGER NOT NULL
);

CREATE TABLE moego_webhook_usage (
    webhook_id   INTEGER NOT NULL,
    -- MINUTE or DAY, and the window's start in microseconds.
    window_kind  TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    sent         INTEGER NOT NULL,
    PRIMARY KEY (webhook_id, window_kind, window_start)
);
CREATE INDEX moego_webhook_usage_by_start ON moego_webhook_usage (window_start);

-- Finished jobs are purged with the delivery log.
CREATE INDEX moego_webhook_jobs_finished ON moego_webhook_jobs (finished_at);
