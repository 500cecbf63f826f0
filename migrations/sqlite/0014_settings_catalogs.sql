-- MoeGo company catalogs that SettingService lists and nothing else stored yet: customer
-- referral sources, pet types, pet sizes, pet coat types and custom fields. The vendor edits
-- them in its settings app; moapi's operators create them (fixtures, /admin/v1). A name (a
-- custom field's code, per association type) is unique in its company.

CREATE TABLE moego_referral_sources (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES moego_companies (id),
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (company_id, name)
);

CREATE TABLE moego_pet_types (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES moego_companies (id),
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (company_id, name)
);

CREATE TABLE moego_pet_coat_types (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES moego_companies (id),
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (company_id, name)
);

-- A size category with its reference weight range: whole numbers in one WeightUnit name
-- (KILOGRAM or POUND), '' when the range is not given.
CREATE TABLE moego_pet_sizes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id  INTEGER NOT NULL REFERENCES moego_companies (id),
    name        TEXT NOT NULL,
    weight_low  INTEGER NOT NULL DEFAULT 0,
    weight_high INTEGER NOT NULL DEFAULT 0,
    weight_unit TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    UNIQUE (company_id, name)
);

CREATE TABLE moego_custom_fields (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id       INTEGER NOT NULL REFERENCES moego_companies (id),
    -- CustomFieldAssociationType, v1CustomFieldType and v1CustomFieldSource names.
    association_type TEXT NOT NULL,
    code             TEXT NOT NULL,
    label            TEXT NOT NULL,
    field_type       TEXT NOT NULL,
    is_required      INTEGER NOT NULL DEFAULT 0,
    -- v1CustomFieldValue JSON (one member set) or NULL when there is no default.
    default_value    TEXT,
    -- JSON list of CustomFieldOption, in sortOrder.
    options          TEXT NOT NULL DEFAULT '[]',
    source           TEXT NOT NULL DEFAULT 'CUSTOM',
    display_order    INTEGER NOT NULL DEFAULT 0,
    help_text        TEXT NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    UNIQUE (company_id, association_type, code)
);
CREATE INDEX moego_custom_fields_by_order ON moego_custom_fields (company_id, display_order, id);
