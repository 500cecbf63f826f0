-- Platform core, MoeGo organizations and MOGU trips. Instants are microseconds since the
-- Unix epoch; flags are 0/1 integers; lists are JSON text.

CREATE TABLE deployment_settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE moego_clients (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    client_uid TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE moego_companies (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id   INTEGER NOT NULL REFERENCES moego_clients (id),
    name        TEXT NOT NULL,
    country     TEXT NOT NULL DEFAULT '',
    timezone_id TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX moego_companies_by_client ON moego_companies (client_id, name, id);

CREATE TABLE moego_businesses (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id     INTEGER NOT NULL REFERENCES moego_companies (id),
    name           TEXT NOT NULL,
    avatar         TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    business_phone TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    address        TEXT,
    website        TEXT NOT NULL DEFAULT '',
    facebook       TEXT NOT NULL DEFAULT '',
    instagram      TEXT NOT NULL DEFAULT '',
    yelp           TEXT NOT NULL DEFAULT '',
    google         TEXT NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX moego_businesses_by_company ON moego_businesses (company_id, id);

CREATE TABLE moego_roles (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES moego_companies (id),
    name       TEXT NOT NULL,
    UNIQUE (company_id, name)
);

CREATE TABLE moego_staff (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id    INTEGER NOT NULL REFERENCES moego_companies (id),
    role_id       INTEGER REFERENCES moego_roles (id),
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL DEFAULT '',
    avatar        TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    hired_at      INTEGER,
    deleted       INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX moego_staff_by_company ON moego_staff (company_id, id);

CREATE TABLE moego_staff_businesses (
    staff_id    INTEGER NOT NULL REFERENCES moego_staff (id),
    business_id INTEGER NOT NULL REFERENCES moego_businesses (id),
    PRIMARY KEY (staff_id, business_id)
);

CREATE TABLE mogu_accounts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    trip_seq   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE mogu_agents (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  INTEGER NOT NULL REFERENCES mogu_accounts (id),
    email       TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL DEFAULT '',
    picture_url TEXT,
    created_at  INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id                 TEXT PRIMARY KEY,
    product            TEXT NOT NULL,
    name               TEXT NOT NULL,
    secret_hash        TEXT NOT NULL UNIQUE,
    moego_client_id    INTEGER REFERENCES moego_clients (id),
    moego_company_id   INTEGER REFERENCES moego_companies (id),
    moego_business_ids TEXT NOT NULL DEFAULT '[]',
    allowed_ips        TEXT NOT NULL DEFAULT '[]',
    scopes             TEXT NOT NULL DEFAULT '[]',
    mogu_agent_id      INTEGER REFERENCES mogu_agents (id),
    created_at         INTEGER NOT NULL,
    revoked_at         INTEGER
);

CREATE TABLE outbox_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id   TEXT NOT NULL UNIQUE,
    product    TEXT NOT NULL,
    tenant_id  INTEGER NOT NULL,
    event_type TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE mogu_trips (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id      INTEGER NOT NULL REFERENCES mogu_accounts (id),
    agent_id        INTEGER NOT NULL REFERENCES mogu_agents (id),
    title           TEXT NOT NULL,
    slug            TEXT NOT NULL UNIQUE,
    join_code       TEXT NOT NULL UNIQUE,
    code            TEXT NOT NULL,
    seo_description TEXT,
    duration        INTEGER,
    date_start      INTEGER,
    date_finish     INTEGER,
    date_expiration INTEGER,
    logo            TEXT,
    cover_image     TEXT,
    countries       TEXT NOT NULL DEFAULT '[]',
    is_public       INTEGER NOT NULL DEFAULT 0,
    is_template     INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (account_id, code)
);
CREATE INDEX mogu_trips_by_created ON mogu_trips (account_id, created_at, id);
-- Covers the common trip search (a start-date window, a minimum length, a title term, in
-- start order), so its count reads the index alone and its page stops at the page size
-- (search compares LOWER(title)).
CREATE INDEX mogu_trips_by_start ON mogu_trips (account_id, date_start, id, duration, LOWER(title));
CREATE INDEX mogu_trips_by_updated ON mogu_trips (account_id, updated_at, id);
