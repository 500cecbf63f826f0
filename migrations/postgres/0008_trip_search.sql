-- The word index of trip titles (see moapi_core::word_index): one row per distinct lower-cased
-- word of a trip's title, written by the trip store in the same transaction as the trip, so
-- that a title search is an index range instead of a scan. Each row copies the trip's
-- filterable non-text columns under the same names: a searched and filtered list is counted
-- from the primary key index alone (an index-only scan, hence INCLUDE). Words compare byte by
-- byte (COLLATE "C", as SQLite does), so a prefix is an exact range whatever the database's
-- collation. The trigger below keeps the copies equal to the trip's columns whoever updates
-- the trip; deleting a trip deletes its words.

CREATE TABLE mogu_trip_terms (
    account_id      BIGINT NOT NULL,
    term            TEXT COLLATE "C" NOT NULL,
    trip_id         BIGINT NOT NULL REFERENCES mogu_trips (id) ON DELETE CASCADE,
    -- The trip's previous word in byte order ('' for its first): a prefix search counts the
    -- first matching word of a trip only, so a trip counts once.
    prev_term       TEXT COLLATE "C" NOT NULL,
    duration        BIGINT,
    date_start      BIGINT,
    date_finish     BIGINT,
    date_expiration BIGINT,
    countries       TEXT NOT NULL,
    is_public       BIGINT NOT NULL,
    is_template     BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (account_id, term, trip_id) INCLUDE (prev_term, duration, date_start,
        date_finish, date_expiration, countries, is_public, is_template, created_at, updated_at)
);
-- A trip's words: the probe of a search walking trips in order, and rewriting a title.
CREATE INDEX mogu_trip_terms_of_trip ON mogu_trip_terms (trip_id, term);

CREATE FUNCTION mogu_trip_terms_follow_trip() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE mogu_trip_terms
    SET duration = NEW.duration, date_start = NEW.date_start, date_finish = NEW.date_finish,
        date_expiration = NEW.date_expiration, countries = NEW.countries,
        is_public = NEW.is_public, is_template = NEW.is_template,
        created_at = NEW.created_at, updated_at = NEW.updated_at
    WHERE trip_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER mogu_trip_terms_follow_trip
AFTER UPDATE OF duration, date_start, date_finish, date_expiration, countries, is_public,
    is_template, created_at, updated_at ON mogu_trips
FOR EACH ROW EXECUTE FUNCTION mogu_trip_terms_follow_trip();

-- Trips created before this index existed; the server indexes them when it starts.
CREATE TABLE mogu_trip_terms_backlog (
    trip_id BIGINT PRIMARY KEY REFERENCES mogu_trips (id) ON DELETE CASCADE
);
INSERT INTO mogu_trip_terms_backlog (trip_id) SELECT id FROM mogu_trips;
