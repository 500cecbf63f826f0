-- Vans for mobile grooming (VanService, VanRecordService): each van belongs to a business, and
-- its staff are assigned by date. An assignment holds from its date until the van's next one;
-- assigning again for the same date replaces it. Dates are `YYYY-MM-DD` text (they sort as
-- dates); instants are microseconds.

CREATE TABLE moego_vans (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id    INTEGER NOT NULL REFERENCES moego_companies (id),
    business_id   INTEGER NOT NULL REFERENCES moego_businesses (id),
    display_name  TEXT NOT NULL,
    license_plate TEXT NOT NULL DEFAULT '',
    deleted       INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX moego_vans_by_company ON moego_vans (company_id, id);

-- The staff of a van from `effective_date` on; none is a van without staff from that date.
CREATE TABLE moego_van_assignments (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    van_id         INTEGER NOT NULL REFERENCES moego_vans (id),
    effective_date TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (van_id, effective_date)
);

CREATE TABLE moego_van_assignment_staff (
    assignment_id INTEGER NOT NULL REFERENCES moego_van_assignments (id),
    staff_id      INTEGER NOT NULL REFERENCES moego_staff (id),
    -- The order the staff were given in, which the lists keep.
    position      INTEGER NOT NULL,
    PRIMARY KEY (assignment_id, staff_id)
);
CREATE INDEX moego_van_assignment_staff_by_staff ON moego_van_assignment_staff (staff_id);
