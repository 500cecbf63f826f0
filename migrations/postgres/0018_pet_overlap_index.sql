-- appointments:check reads the services of a pet that overlap a range: the index range covers
-- the pet's services ending after the range starts, and with start_at and the appointment in
-- the index that scan no longer reads each service's row to test its start.
DROP INDEX moego_pet_service_details_by_pet;
CREATE INDEX moego_pet_service_details_by_pet
    ON moego_pet_service_details (pet_id, end_at, start_at, appointment_id);
