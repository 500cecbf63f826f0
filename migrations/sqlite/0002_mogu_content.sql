-- MOGU trip content: the TripConfig block tree, catalogs and their trips, and public page
-- views. Deleting a trip removes its config, its catalog memberships and its views; deleting a
-- catalog keeps its trips.

CREATE TABLE mogu_trip_configs (
    trip_id    INTEGER PRIMARY KEY REFERENCES mogu_trips (id) ON DELETE CASCADE,
    -- Optimistic-concurrency counter: a write names the revision it read.
    revision   INTEGER NOT NULL,
    -- The TripConfig JSON (blocks, contact, slider, settings, theme), without version/updatedAt.
    config     TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE mogu_catalogs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  INTEGER NOT NULL REFERENCES mogu_accounts (id),
    title       TEXT NOT NULL,
    description TEXT,
    logo_url    TEXT,
    -- JSON object of facet name -> boolean.
    filters     TEXT NOT NULL DEFAULT '{}',
    is_public   INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX mogu_catalogs_by_created ON mogu_catalogs (account_id, created_at, id);

CREATE TABLE mogu_catalog_trips (
    catalog_id INTEGER NOT NULL REFERENCES mogu_catalogs (id) ON DELETE CASCADE,
    trip_id    INTEGER NOT NULL REFERENCES mogu_trips (id) ON DELETE CASCADE,
    added_at   INTEGER NOT NULL,
    PRIMARY KEY (catalog_id, trip_id)
);
CREATE INDEX mogu_catalog_trips_by_trip ON mogu_catalog_trips (trip_id);

-- One row per trip, UTC day and visitor (a salted hash, never an address).
CREATE TABLE mogu_trip_views (
    trip_id        INTEGER NOT NULL REFERENCES mogu_trips (id) ON DELETE CASCADE,
    day            TEXT NOT NULL,
    visitor_hash   TEXT NOT NULL,
    views          INTEGER NOT NULL,
    last_viewed_at INTEGER NOT NULL,
    PRIMARY KEY (trip_id, day, visitor_hash)
);
