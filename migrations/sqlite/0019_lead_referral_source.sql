-- A lead's referral source is an entry of its company's referral sources (0014), read through
-- a join so a renamed source shows its new name. The older referral_source column keeps the
-- {id, name} that leads written before this migration were given as sent.
ALTER TABLE moego_leads ADD COLUMN referral_source_id INTEGER REFERENCES moego_referral_sources (id);
