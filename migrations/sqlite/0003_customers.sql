-- MoeGo customers (CustomerService): the customer with its preference and compliance settings,
-- its notes, the company's customer tags and which customers carry them, and saved cards.
-- Customers are soft-deleted (the vendor deletes in its app; moapi through the operator API).

CREATE TABLE moego_customers (
    id                            INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id                    INTEGER NOT NULL REFERENCES moego_companies (id),
    preferred_business_id         INTEGER REFERENCES moego_businesses (id),
    first_name                    TEXT NOT NULL DEFAULT '',
    last_name                     TEXT NOT NULL DEFAULT '',
    avatar_path                   TEXT NOT NULL DEFAULT '',
    -- E.164 (+12125551234), normalised on write so equality finds it however it was typed.
    phone                         TEXT NOT NULL DEFAULT '',
    email                         TEXT NOT NULL DEFAULT '',
    -- The primary address as v1Address JSON (without id), NULL when none.
    address                       TEXT,
    -- v1CustomerStatus name: ACTIVE or INACTIVE.
    status                        TEXT NOT NULL DEFAULT 'ACTIVE',
    color_code                    TEXT NOT NULL DEFAULT '',
    source                        TEXT NOT NULL DEFAULT '',
    receive_auto_message          INTEGER NOT NULL DEFAULT 1,
    receive_auto_email            INTEGER NOT NULL DEFAULT 1,
    subscribe_to_marketing_emails INTEGER NOT NULL DEFAULT 0,
    receive_appointment_reminder  INTEGER NOT NULL DEFAULT 1,
    -- JSON lists of v1ComplianceChannel names.
    service_related_channels      TEXT NOT NULL DEFAULT '[]',
    marketing_campaigns_channels  TEXT NOT NULL DEFAULT '[]',
    branded_app_enabled           INTEGER NOT NULL DEFAULT 0,
    is_agreed_marketing_policy    INTEGER NOT NULL DEFAULT 0,
    is_consented                  INTEGER NOT NULL DEFAULT 0,
    -- A JSON object (google.protobuf.Struct), NULL when none.
    custom_fields                 TEXT,
    deleted                       INTEGER NOT NULL DEFAULT 0,
    created_at                    INTEGER NOT NULL,
    updated_at                    INTEGER NOT NULL
);
CREATE INDEX moego_customers_by_company ON moego_customers (company_id, id);
CREATE INDEX moego_customers_by_updated ON moego_customers (company_id, updated_at, id);
CREATE INDEX moego_customers_by_phone ON moego_customers (company_id, phone, id);

CREATE TABLE moego_customer_notes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES moego_customers (id),
    note        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX moego_customer_notes_by_customer ON moego_customer_notes (customer_id, created_at, id);

-- The company's customer tags (SettingService lists them); a name is unique in its company.
CREATE TABLE moego_customer_tags (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES moego_companies (id),
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (company_id, name)
);

CREATE TABLE moego_customer_tag_links (
    customer_id INTEGER NOT NULL REFERENCES moego_customers (id),
    tag_id      INTEGER NOT NULL REFERENCES moego_customer_tags (id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (customer_id, tag_id)
);

-- Cards saved through the card-on-file page: never the number, only what a receipt shows.
CREATE TABLE moego_customer_cards (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES moego_customers (id),
    brand       TEXT NOT NULL,
    last4       TEXT NOT NULL,
    exp_month   INTEGER NOT NULL,
    exp_year    INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX moego_customer_cards_by_customer ON moego_customer_cards (customer_id, id);
