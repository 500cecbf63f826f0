-- The word index of trip titles (see moapi_core::word_index): one row per distinct lower-cased
-- word of a trip's title, written by the trip store in the same transaction as the trip, so
-- that a title search is an index range instead of a scan. Each row copies the trip's
-- filterable non-text columns under the same names: a searched and filtered list is counted
-- from this table alone. The trigger below keeps those copies equal to the trip's columns
-- whoever updates the trip; deleting a trip deletes its words.

CREATE TABLE mogu_trip_terms (
    account_id      INTEGER NOT NULL,
    term            TEXT NOT NULL,
    trip_id         INTEGER NOT NULL REFERENCES mogu_trips (id) ON DELETE CASCADE,
    -- The trip's previous word in byte order ('' for its first): a prefix search counts the
    -- first matching word of a trip only, so a trip counts once.
    prev_term       TEXT NOT NULL,
    duration        INTEGER,
    date_start      INTEGER,
    date_finish     INTEGER,
    date_expiration INTEGER,
    countries       TEXT NOT NULL,
    is_public       INTEGER NOT NULL,
    is_template     INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (account_id, term, trip_id)
) WITHOUT ROWID;
-- A trip's words: the probe of a search walking trips in order, and rewriting a title.
CREATE INDEX mogu_trip_terms_of_trip ON mogu_trip_terms (trip_id, term);

CREATE TRIGGER mogu_trip_terms_follow_trip
AFTER UPDATE OF duration, date_start, date_finish, date_expiration, countries, is_public,
    is_template, created_at, updated_at ON mogu_trips
BEGIN
    UPDATE mogu_trip_terms
    SET duration = NEW.duration, date_start = NEW.date_start, date_finish = NEW.date_finish,
        date_expiration = NEW.date_expiration, countries = NEW.countries,
        is_public = NEW.is_public, is_template = NEW.is_template,
        created_at = NEW.created_at, updated_at = NEW.updated_at
    WHERE trip_id = NEW.id;
END;

-- Trips created before this index existed; the server indexes them when it starts.
CREATE TABLE mogu_trip_terms_backlog (
    trip_id INTEGER PRIMARY KEY REFERENCES mogu_trips (id) ON DELETE CASCADE
);
INSERT INTO mogu_trip_terms_backlog (trip_id) SELECT id FROM mogu_trips;
