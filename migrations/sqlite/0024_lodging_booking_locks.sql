-- One row per lodging unit ever booked with conflicts checked: a booking upserts its units'
-- rows first (SQLite: under the database write lock), so two bookings of one unit count its
-- pets one after the other (as moego_staff_booking_locks does for staff time).
CREATE TABLE moego_lodging_booking_locks (
    lodging_unit_id INTEGER PRIMARY KEY REFERENCES moego_lodging_units (id),
    bookings        INTEGER NOT NULL
);
