-- MoeGo appointments beyond the 0012 header row: what each pet gets (pet service details),
-- the staff time each live appointment or block holds (staff slots, the conflict lookup), a
-- per-staff booking lock that serialises conflict checks across nodes, appointment notes and
-- grooming reports. Instants are microseconds.

CREATE TABLE moego_pet_service_details (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    appointment_id    INTEGER NOT NULL REFERENCES moego_appointments (id),
    pet_id            INTEGER NOT NULL REFERENCES moego_pets (id),
    service_id        INTEGER NOT NULL REFERENCES moego_services (id),
    -- The first of the request's staffIds, when any.
    staff_id          INTEGER REFERENCES moego_staff (id),
    lodging_unit_id   INTEGER REFERENCES moego_lodging_units (id),
    -- The service as booked: later catalog edits do not rewrite a booked appointment.
    name              TEXT NOT NULL,
    category          TEXT NOT NULL DEFAULT '',
    service_item_type TEXT NOT NULL,
    service_type      TEXT NOT NULL,
    price             TEXT NOT NULL,
    currency_code     TEXT NOT NULL,
    duration_minutes  INTEGER NOT NULL,
    start_at          INTEGER NOT NULL,
    end_at            INTEGER NOT NULL
);
CREATE INDEX moego_pet_service_details_by_appointment
    ON moego_pet_service_details (appointment_id, id);
CREATE INDEX moego_pet_service_details_by_pet ON moego_pet_service_details (pet_id, end_at);
CREATE INDEX moego_pet_service_details_by_lodging
    ON moego_pet_service_details (lodging_unit_id, end_at);

-- Staff time held by a live (not canceled, not deleted) appointment or a live block; rows go
-- when the appointment is canceled or deleted or the block deleted, and move on reschedule.
CREATE TABLE moego_staff_slots (
    staff_id       INTEGER NOT NULL REFERENCES moego_staff (id),
    start_at       INTEGER NOT NULL,
    end_at         INTEGER NOT NULL,
    appointment_id INTEGER REFERENCES moego_appointments (id),
    block_id       INTEGER REFERENCES moego_blocks (id)
);
CREATE INDEX moego_staff_slots_by_staff ON moego_staff_slots (staff_id, end_at, start_at);
CREATE INDEX moego_staff_slots_by_appointment ON moego_staff_slots (appointment_id);
CREATE INDEX moego_staff_slots_by_block ON moego_staff_slots (block_id);

-- One row per staff member ever booked: a booking upserts its staff's rows first, which holds
-- their row locks (PostgreSQL) or the database write lock (SQLite) until it commits, so two
-- bookings of one staff member check conflicts one after the other.
CREATE TABLE moego_staff_booking_locks (
    staff_id INTEGER PRIMARY KEY REFERENCES moego_staff (id),
    bookings INTEGER NOT NULL
);

CREATE TABLE moego_appointment_notes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    appointment_id INTEGER NOT NULL REFERENCES moego_appointments (id),
    -- v1AppointmentNoteType name.
    note_type      TEXT NOT NULL,
    note           TEXT NOT NULL,
    created_by     TEXT NOT NULL DEFAULT '',
    updated_by     TEXT NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX moego_appointment_notes_by_appointment ON moego_appointment_notes (appointment_id, id);

CREATE TABLE moego_grooming_reports (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    appointment_id        INTEGER NOT NULL REFERENCES moego_appointments (id),
    pet_id                INTEGER NOT NULL REFERENCES moego_pets (id),
    template_json         TEXT NOT NULL DEFAULT '',
    content_json          TEXT NOT NULL DEFAULT '',
    -- v1GroomingReportStatus and GroomingReportSendType names.
    status                TEXT NOT NULL,
    report_url            TEXT NOT NULL DEFAULT '',
    send_type             TEXT NOT NULL DEFAULT '',
    template_published_at INTEGER,
    -- JSON lists of GroomingReportSendMethod names, and the send log as the wire has it.
    sending_methods       TEXT NOT NULL DEFAULT '[]',
    last_sending_methods  TEXT NOT NULL DEFAULT '[]',
    send_log              TEXT NOT NULL DEFAULT '[]',
    created_at            INTEGER NOT NULL
);
CREATE INDEX moego_grooming_reports_by_appointment ON moego_grooming_reports (appointment_id, id);

-- Blocks are deleted softly: deleting one twice is refused, as the vendor documents.
ALTER TABLE moego_blocks ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
