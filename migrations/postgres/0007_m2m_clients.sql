-- MOGU machine-to-machine clients (OAuth client_credentials) and the accounts each may act in.
-- Secrets are stored only as SHA-256 hashes; scopes are a JSON list. `external_id` maps an
-- externally issued token (its `azp`, or `sub` without `@clients`) to the client's grant.

CREATE TABLE mogu_m2m_clients (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    scopes      TEXT NOT NULL DEFAULT '[]',
    external_id TEXT UNIQUE,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);

CREATE TABLE mogu_m2m_grants (
    client_id  TEXT NOT NULL REFERENCES mogu_m2m_clients (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES mogu_accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (client_id, account_id)
);
