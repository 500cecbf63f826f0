-- Reviews of finished appointments (ReviewService): one per appointment, left by the customer
-- through a signed review link or imported by an operator with the channel it came through.
-- A review names the staff and pets it is about (by default those of its appointment), in
-- the order given. Instants are microseconds.

CREATE TABLE moego_reviews (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id     INTEGER NOT NULL REFERENCES moego_companies (id),
    business_id    INTEGER NOT NULL REFERENCES moego_businesses (id),
    customer_id    INTEGER NOT NULL REFERENCES moego_customers (id),
    -- Unique: a second review of an appointment, however it races the first, is refused.
    appointment_id INTEGER NOT NULL UNIQUE REFERENCES moego_appointments (id),
    source         TEXT NOT NULL CHECK (source IN ('SMS', 'GROOMING_REPORT', 'PET_PARENT_PORTAL')),
    score          INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    content        TEXT NOT NULL DEFAULT '',
    review_at      INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
-- ListReviews: a business's reviews, newest first.
CREATE INDEX moego_reviews_by_business ON moego_reviews (business_id, review_at, id);

CREATE TABLE moego_review_staff (
    review_id INTEGER NOT NULL REFERENCES moego_reviews (id),
    staff_id  INTEGER NOT NULL REFERENCES moego_staff (id),
    position  INTEGER NOT NULL,
    PRIMARY KEY (review_id, staff_id)
);
-- The `staffIds` filter.
CREATE INDEX moego_review_staff_by_staff ON moego_review_staff (staff_id, review_id);

CREATE TABLE moego_review_pets (
    review_id INTEGER NOT NULL REFERENCES moego_reviews (id),
    pet_id    INTEGER NOT NULL REFERENCES moego_pets (id),
    position  INTEGER NOT NULL,
    PRIMARY KEY (review_id, pet_id)
);
