-- MoeGo pets (with their notes and handling codes) and leads. Pet codes, lead life cycles and
-- lead action statuses are company settings; until the settings resource exists they are
-- created by operators (fixtures, /admin/v1) and read here. Pets are soft-deleted (`deleted`)
-- because the vendor returns deleted pets flagged; a deleted customer's pets follow it.

CREATE TABLE moego_pet_codes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id   INTEGER NOT NULL REFERENCES moego_companies (id),
    abbreviation TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    color        TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    UNIQUE (company_id, abbreviation)
);

CREATE TABLE moego_pets (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id        INTEGER NOT NULL REFERENCES moego_companies (id),
    customer_id       INTEGER NOT NULL REFERENCES moego_customers (id),
    name              TEXT NOT NULL,
    -- google.type.Date as 'YYYY-MM-DD'; zeros mark the parts a partial date leaves out.
    birthday          TEXT,
    status            TEXT NOT NULL,
    pet_type          TEXT NOT NULL,
    breed             TEXT NOT NULL,
    gender            TEXT NOT NULL DEFAULT '',
    weight_value      INTEGER,
    weight_unit       TEXT NOT NULL DEFAULT '',
    fixed             TEXT NOT NULL DEFAULT '',
    coat              TEXT NOT NULL DEFAULT '',
    behavior          TEXT NOT NULL DEFAULT '',
    -- JSON list of {"name","expiredAt"(microseconds)}.
    vaccinations      TEXT NOT NULL DEFAULT '[]',
    -- JSON {"name","phoneNumber","address"} or NULL.
    vet               TEXT,
    evaluation_status TEXT NOT NULL DEFAULT '',
    photo             TEXT NOT NULL DEFAULT '',
    deleted           INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX moego_pets_by_company ON moego_pets (company_id, id);
CREATE INDEX moego_pets_by_customer ON moego_pets (customer_id, id);
CREATE INDEX moego_pets_by_updated ON moego_pets (company_id, updated_at, id);

CREATE TABLE moego_pet_notes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    pet_id          INTEGER NOT NULL REFERENCES moego_pets (id),
    content         TEXT NOT NULL,
    last_updated_by INTEGER REFERENCES moego_staff (id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX moego_pet_notes_by_pet ON moego_pet_notes (pet_id, id);

CREATE TABLE moego_pet_code_links (
    pet_id      INTEGER NOT NULL REFERENCES moego_pets (id),
    pet_code_id INTEGER NOT NULL REFERENCES moego_pet_codes (id),
    added_at    INTEGER NOT NULL,
    PRIMARY KEY (pet_id, pet_code_id)
);

CREATE TABLE moego_lead_life_cycles (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES moego_companies (id),
    name       TEXT NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0,
    UNIQUE (company_id, name)
);

CREATE TABLE moego_lead_action_statuses (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES moego_companies (id),
    name       TEXT NOT NULL,
    color      TEXT NOT NULL DEFAULT '',
    UNIQUE (company_id, name)
);

CREATE TABLE moego_leads (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id            INTEGER NOT NULL REFERENCES moego_companies (id),
    first_name            TEXT NOT NULL DEFAULT '',
    last_name             TEXT NOT NULL DEFAULT '',
    avatar                TEXT NOT NULL DEFAULT '',
    -- E.164, normalised on write so that filter.mainPhoneNumber matches however it was typed.
    phone                 TEXT NOT NULL DEFAULT '',
    email                 TEXT NOT NULL DEFAULT '',
    -- JSON moego.common.v1.Address or NULL.
    address               TEXT,
    -- JSON list of the lead's pets (validated pet fields); they become pets on promotion.
    pets                  TEXT NOT NULL DEFAULT '[]',
    preferred_business_id INTEGER REFERENCES moego_businesses (id),
    allocate_staff_id     INTEGER REFERENCES moego_staff (id),
    life_cycle_id         INTEGER REFERENCES moego_lead_life_cycles (id),
    action_status_id      INTEGER REFERENCES moego_lead_action_statuses (id),
    -- JSON {"id","name"} or NULL.
    referral_source       TEXT,
    -- Set once, by the promotion that created the customer.
    promoted_at           INTEGER,
    customer_id           INTEGER REFERENCES moego_customers (id),
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
);
CREATE INDEX moego_leads_by_company ON moego_leads (company_id, id);
CREATE INDEX moego_leads_by_phone ON moego_leads (company_id, phone, id);
