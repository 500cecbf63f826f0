-- A visit to a business's online booking page: what it collected so far (`data`, JSON), the
-- last step it completed, and how it ended. An OPEN visit idle longer than the configured time
-- reads as an abandoned booking; CONTACTED and RECOVERED are what operators and later bookings
-- made of one; SUBMITTED booked `appointment_id`. The page finds a visit by the SHA-256 of its
-- URL's token, never by the token itself.
CREATE TABLE moego_booking_visits (
    id              INTEGER PRIMARY KEY,
    company_id      INTEGER NOT NULL REFERENCES moego_companies (id),
    business_id     INTEGER NOT NULL REFERENCES moego_businesses (id),
    token_hash      TEXT    NOT NULL UNIQUE,
    step            TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    lead_type       TEXT    NOT NULL,
    care_type       TEXT    NOT NULL DEFAULT '',
    customer_id     INTEGER REFERENCES moego_customers (id),
    phone           TEXT    NOT NULL DEFAULT '',
    email           TEXT    NOT NULL DEFAULT '',
    data            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    last_active_at  INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    contacted_at    INTEGER,
    contact_note    TEXT    NOT NULL DEFAULT '',
    recovery_type   TEXT    NOT NULL DEFAULT '',
    recovered_at    INTEGER,
    appointment_id  INTEGER REFERENCES moego_appointments (id),
    appointment_at  INTEGER
);
CREATE INDEX moego_booking_visits_by_business ON moego_booking_visits (business_id, last_active_at);
CREATE INDEX moego_booking_visits_by_customer ON moego_booking_visits (customer_id);
