-- The longest time one staff slot of a staff member has held (an upper bound: it grows with
-- each slot written and never shrinks), so that reading a staff member's held time over
-- `[start, end)` can bound the index scan on both sides: such a slot ends before
-- `end + longest`. Written in the transaction that writes the slots (appointment::store).
CREATE TABLE moego_staff_hold_bounds (
    staff_id BIGINT PRIMARY KEY REFERENCES moego_staff (id),
    longest  BIGINT NOT NULL
);
INSERT INTO moego_staff_hold_bounds (staff_id, longest)
    SELECT staff_id, MAX(end_at - start_at) FROM moego_staff_slots GROUP BY staff_id;
