-- MoeGo booking foundation shared by settings, appointments, blocks and orders: the service
-- catalog, each business's booking settings (currency, tax, hours, closed dates), lodgings,
-- appointments, blocks, orders with their line items and taxes, payments and refunds.
-- Amounts are exact decimal text ("12.5") in the row's currency; instants are microseconds.

CREATE TABLE moego_business_settings (
    business_id   INTEGER PRIMARY KEY REFERENCES moego_businesses (id),
    company_id    INTEGER NOT NULL REFERENCES moego_companies (id),
    -- ISO 4217 code of every amount the business charges.
    currency_code TEXT NOT NULL DEFAULT 'USD',
    -- Percent, e.g. "8.25"; applied to service line items.
    tax_rate      TEXT NOT NULL DEFAULT '0',
    tax_name      TEXT NOT NULL DEFAULT '',
    -- JSON {"MONDAY":[{"start":540,"end":1080}],...}: minutes from midnight in the company's
    -- time zone, end exclusive; a day absent or empty is closed.
    working_hours TEXT NOT NULL DEFAULT '{}',
    updated_at    INTEGER NOT NULL
);

CREATE TABLE moego_closed_dates (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id  INTEGER NOT NULL REFERENCES moego_companies (id),
    business_id INTEGER NOT NULL REFERENCES moego_businesses (id),
    -- Calendar days YYYY-MM-DD in the company's time zone, both inclusive.
    start_date  TEXT NOT NULL,
    end_date    TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);
CREATE INDEX moego_closed_dates_by_business ON moego_closed_dates (business_id, start_date);

CREATE TABLE moego_services (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id             INTEGER NOT NULL REFERENCES moego_companies (id),
    name                   TEXT NOT NULL,
    category               TEXT NOT NULL DEFAULT '',
    -- ServiceItemType and v1ServiceType names.
    service_item_type      TEXT NOT NULL DEFAULT 'GROOMING',
    service_type           TEXT NOT NULL DEFAULT 'SERVICE',
    price                  TEXT NOT NULL DEFAULT '0',
    currency_code          TEXT NOT NULL DEFAULT 'USD',
    -- serviceTime: minutes.
    duration_minutes       INTEGER NOT NULL DEFAULT 0,
    -- JSON lists of raw business and staff IDs.
    business_ids           TEXT NOT NULL DEFAULT '[]',
    available_all_business INTEGER NOT NULL DEFAULT 1,
    available_business_ids TEXT NOT NULL DEFAULT '[]',
    available_all_staff    INTEGER NOT NULL DEFAULT 1,
    available_staff_ids    TEXT NOT NULL DEFAULT '[]',
    -- JSON object of the breed, size, coat, pet code and service filters as the wire has them.
    filters                TEXT NOT NULL DEFAULT '{}',
    inactive               INTEGER NOT NULL DEFAULT 0,
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL
);
CREATE INDEX moego_services_by_company ON moego_services (company_id, id);

CREATE TABLE moego_lodging_types (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id   INTEGER NOT NULL REFERENCES moego_companies (id),
    business_id  INTEGER NOT NULL REFERENCES moego_businesses (id),
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    -- JSON list of photo URLs.
    photo_list   TEXT NOT NULL DEFAULT '[]',
    -- Pets one unit of this type holds at once.
    max_pet_num  INTEGER NOT NULL DEFAULT 1,
    -- v1LodgingUnitType name: ROOM or AREA.
    unit_type    TEXT NOT NULL DEFAULT 'ROOM',
    created_at   INTEGER NOT NULL
);
CREATE INDEX moego_lodging_types_by_company ON moego_lodging_types (company_id, id);

CREATE TABLE moego_lodging_units (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id      INTEGER NOT NULL REFERENCES moego_companies (id),
    business_id     INTEGER NOT NULL REFERENCES moego_businesses (id),
    lodging_type_id INTEGER NOT NULL REFERENCES moego_lodging_types (id),
    name            TEXT NOT NULL
);
CREATE INDEX moego_lodging_units_by_type ON moego_lodging_units (lodging_type_id, id);

CREATE TABLE moego_appointments (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id         INTEGER NOT NULL REFERENCES moego_companies (id),
    business_id        INTEGER NOT NULL REFERENCES moego_businesses (id),
    customer_id        INTEGER NOT NULL REFERENCES moego_customers (id),
    -- v1AppointmentStatus name.
    status             TEXT NOT NULL DEFAULT 'UNCONFIRMED',
    start_at           INTEGER NOT NULL,
    end_at             INTEGER NOT NULL,
    color_code         TEXT NOT NULL DEFAULT '',
    ticket_comment     TEXT NOT NULL DEFAULT '',
    booking_request_id INTEGER,
    -- Who made and last changed it: an encoded ID or '' (the API key acts for no staff).
    created_by         TEXT NOT NULL DEFAULT '',
    updated_by         TEXT NOT NULL DEFAULT '',
    confirmed_at       INTEGER,
    check_in_at        INTEGER,
    ready_at           INTEGER,
    check_out_at       INTEGER,
    canceled_at        INTEGER,
    no_show            INTEGER NOT NULL DEFAULT 0,
    deleted            INTEGER NOT NULL DEFAULT 0,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX moego_appointments_by_start ON moego_appointments (business_id, start_at, id);
CREATE INDEX moego_appointments_by_updated ON moego_appointments (company_id, updated_at, id);
CREATE INDEX moego_appointments_by_customer ON moego_appointments (customer_id, start_at);

CREATE TABLE moego_blocks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id  INTEGER NOT NULL REFERENCES moego_companies (id),
    business_id INTEGER NOT NULL REFERENCES moego_businesses (id),
    staff_id    INTEGER NOT NULL REFERENCES moego_staff (id),
    start_at    INTEGER NOT NULL,
    end_at      INTEGER NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    color_code  TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);
CREATE INDEX moego_blocks_by_staff ON moego_blocks (staff_id, start_at);
CREATE INDEX moego_blocks_by_business ON moego_blocks (business_id, start_at, id);

CREATE TABLE moego_orders (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id       INTEGER NOT NULL REFERENCES moego_companies (id),
    business_id      INTEGER NOT NULL REFERENCES moego_businesses (id),
    customer_id      INTEGER NOT NULL REFERENCES moego_customers (id),
    -- The appointment the order bills, if any (one order per appointment).
    appointment_id   INTEGER UNIQUE REFERENCES moego_appointments (id),
    -- v1OrderStatus name.
    status           TEXT NOT NULL DEFAULT 'CREATED',
    title            TEXT NOT NULL DEFAULT '',
    description      TEXT NOT NULL DEFAULT '',
    currency_code    TEXT NOT NULL,
    sub_total        TEXT NOT NULL DEFAULT '0',
    tax_amount       TEXT NOT NULL DEFAULT '0',
    discount_amount  TEXT NOT NULL DEFAULT '0',
    extra_fee_amount TEXT NOT NULL DEFAULT '0',
    tips_amount      TEXT NOT NULL DEFAULT '0',
    tips_based_amount TEXT NOT NULL DEFAULT '0',
    total_amount     TEXT NOT NULL DEFAULT '0',
    -- Sums of the payments received and of the refunds given back; remainAmount is derived
    -- from them on read, never stored, so it cannot drift.
    paid_amount      TEXT NOT NULL DEFAULT '0',
    refunded_amount  TEXT NOT NULL DEFAULT '0',
    created_by       TEXT NOT NULL DEFAULT '',
    updated_by       TEXT NOT NULL DEFAULT '',
    sales_at         INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX moego_orders_by_updated ON moego_orders (business_id, updated_at, id);
CREATE INDEX moego_orders_by_company ON moego_orders (company_id, id);

CREATE TABLE moego_order_line_items (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id    INTEGER NOT NULL REFERENCES moego_orders (id),
    company_id  INTEGER NOT NULL REFERENCES moego_companies (id),
    -- OrderLineItemObjectType name and the raw ID of what it bills (a service).
    object_type TEXT NOT NULL DEFAULT 'SERVICE',
    object_id   INTEGER,
    -- The pet service detail of the appointment this item bills, if any.
    pet_detail_id INTEGER,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    unit_price  TEXT NOT NULL,
    quantity    INTEGER NOT NULL DEFAULT 1,
    paid_amount TEXT NOT NULL DEFAULT '0',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX moego_order_line_items_by_order ON moego_order_line_items (order_id, id);

CREATE TABLE moego_order_line_taxes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id      INTEGER NOT NULL REFERENCES moego_orders (id),
    order_item_id INTEGER REFERENCES moego_order_line_items (id),
    business_id   INTEGER NOT NULL REFERENCES moego_businesses (id),
    -- v1OrderLineTaxApplyType name.
    apply_type    TEXT NOT NULL DEFAULT 'ITEM',
    tax_name      TEXT NOT NULL DEFAULT '',
    tax_rate      TEXT NOT NULL,
    tax_amount    TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX moego_order_line_taxes_by_order ON moego_order_line_taxes (order_id, id);

CREATE TABLE moego_payments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id      INTEGER NOT NULL REFERENCES moego_companies (id),
    business_id     INTEGER NOT NULL REFERENCES moego_businesses (id),
    order_id        INTEGER NOT NULL REFERENCES moego_orders (id),
    customer_id     INTEGER NOT NULL REFERENCES moego_customers (id),
    method          TEXT NOT NULL DEFAULT '',
    -- v1PaymentStatus and PaymentModule names.
    status          TEXT NOT NULL DEFAULT 'COMPLETED',
    module          TEXT NOT NULL DEFAULT 'GROOMING',
    currency_code   TEXT NOT NULL,
    amount          TEXT NOT NULL,
    processing_fee  TEXT NOT NULL DEFAULT '0',
    refunded_amount TEXT NOT NULL DEFAULT '0',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX moego_payments_by_order ON moego_payments (order_id, id);
CREATE INDEX moego_payments_by_company ON moego_payments (company_id, id);

CREATE TABLE moego_refunds (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id   INTEGER NOT NULL REFERENCES moego_companies (id),
    payment_id   INTEGER NOT NULL REFERENCES moego_payments (id),
    order_id     INTEGER NOT NULL REFERENCES moego_orders (id),
    amount       TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    staff_id     INTEGER REFERENCES moego_staff (id),
    processed_at INTEGER NOT NULL
);
CREATE INDEX moego_refunds_by_payment ON moego_refunds (payment_id, id);
