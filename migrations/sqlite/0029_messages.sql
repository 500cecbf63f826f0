-- MoeGo messages (MessageService): one thread per customer, and its messages. No SMS, call or
-- push is ever sent: every message stays in this sandbox outbox, which operators read. An EMAIL
-- message is really sent when an SMTP server is configured: it is written PENDING in the
-- sender's transaction and the mailer (any node) claims it, sends it and marks it SENT, or
-- FAILED after its last attempt. Instants are microseconds.

CREATE TABLE moego_message_threads (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id  INTEGER NOT NULL REFERENCES moego_companies (id),
    customer_id INTEGER NOT NULL UNIQUE REFERENCES moego_customers (id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX moego_message_threads_by_company ON moego_message_threads (company_id, updated_at, id);

CREATE TABLE moego_messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id       INTEGER NOT NULL REFERENCES moego_message_threads (id),
    -- v1MessageDeliveryMethod and v1MessageType names.
    method          TEXT NOT NULL,
    message_type    TEXT NOT NULL,
    body            TEXT NOT NULL,
    -- The phone number (E.164) or email address it went to; empty for APP.
    recipient       TEXT NOT NULL DEFAULT '',
    -- SANDBOX (kept here, never sent), PENDING (an email waiting for the mailer), SENT, FAILED.
    delivery        TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    -- A mailer's claim on a PENDING message, so that one node sends it.
    claimed_until   INTEGER NOT NULL DEFAULT 0,
    sent_at         INTEGER,
    created_at      INTEGER NOT NULL
);
CREATE INDEX moego_messages_by_thread ON moego_messages (thread_id, id);
CREATE INDEX moego_messages_pending ON moego_messages (delivery, next_attempt_at);
