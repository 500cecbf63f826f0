-- Memberships (MembershipService): the plans a company sells, the customers' subscriptions to
-- them and the bill of each subscription period. A subscription's status, current period and
-- next billing date are derived from its start, its cycle, its end and the time of reading;
-- only facts are stored. Amounts are exact decimal text; instants are microseconds.

CREATE TABLE moego_memberships (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id            INTEGER NOT NULL REFERENCES moego_companies (id),
    name                  TEXT NOT NULL,
    description           TEXT NOT NULL DEFAULT '',
    -- v1MembershipStatus name: ACTIVE, INACTIVE or DELETED.
    status                TEXT NOT NULL,
    currency_code         TEXT NOT NULL,
    price                 TEXT NOT NULL,
    -- Percent ("8.625"), charged on each renewal's order.
    tax_rate              TEXT NOT NULL DEFAULT '0',
    tax_name              TEXT NOT NULL DEFAULT '',
    -- google.type.CalendarPeriod name and count: the billing cycle.
    period_unit           TEXT NOT NULL,
    period_value          INTEGER NOT NULL,
    policy                TEXT NOT NULL DEFAULT '',
    enable_online_booking INTEGER NOT NULL DEFAULT 0,
    -- Pet filters: JSON arrays of {"petTypeId","petTypeName","breeds","isAll"}, of pet size
    -- IDs and of coat type IDs (raw numbers), read only when their filter is on.
    breed_filter          INTEGER NOT NULL DEFAULT 0,
    customized_breeds     TEXT NOT NULL DEFAULT '[]',
    pet_size_filter       INTEGER NOT NULL DEFAULT 0,
    customized_pet_sizes  TEXT NOT NULL DEFAULT '[]',
    coat_filter           INTEGER NOT NULL DEFAULT 0,
    customized_coats      TEXT NOT NULL DEFAULT '[]',
    revision              INTEGER NOT NULL DEFAULT 1,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    deleted_at            INTEGER
);
CREATE INDEX moego_memberships_by_company ON moego_memberships (company_id, id);

-- What a membership takes off its subscribers' appointments: a percentage (fraction, "0.1"
-- is 10 %) or an amount off each eligible service line, on every service or on those listed.
CREATE TABLE moego_membership_discounts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    membership_id INTEGER NOT NULL REFERENCES moego_memberships (id),
    -- PERCENTAGE or AMOUNT.
    kind          TEXT NOT NULL,
    value         TEXT NOT NULL,
    -- JSON array of service IDs (raw numbers); empty for every service.
    service_ids   TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX moego_membership_discounts_by_membership ON moego_membership_discounts (membership_id, id);

-- Services a membership includes a number of times in each period.
CREATE TABLE moego_membership_quantities (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    membership_id INTEGER NOT NULL REFERENCES moego_memberships (id),
    service_id    INTEGER NOT NULL REFERENCES moego_services (id),
    quantity      INTEGER NOT NULL
);
CREATE INDEX moego_membership_quantities_by_membership ON moego_membership_quantities (membership_id, id);

CREATE TABLE moego_subscriptions (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id           INTEGER NOT NULL REFERENCES moego_companies (id),
    -- Where its renewals' orders are billed: the customer's preferred business by default.
    business_id          INTEGER NOT NULL REFERENCES moego_businesses (id),
    customer_id          INTEGER NOT NULL REFERENCES moego_customers (id),
    membership_id        INTEGER NOT NULL REFERENCES moego_memberships (id),
    currency_code        TEXT NOT NULL,
    price                TEXT NOT NULL,
    start_at             INTEGER NOT NULL,
    cancel_at_period_end INTEGER NOT NULL DEFAULT 0,
    -- When a cancellation was asked for, and the instant it takes effect (then, or the end of
    -- the period it was asked in); both NULL while it renews.
    cancelled_at         INTEGER,
    ends_at              INTEGER,
    -- The start of the first period not billed yet, NULL once none is left: what the renewal
    -- sweep reads (by index) to find the subscriptions it has work for.
    next_bill_at         INTEGER,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    deleted_at           INTEGER
);
CREATE INDEX moego_subscriptions_by_company ON moego_subscriptions (company_id, id);
CREATE INDEX moego_subscriptions_by_customer ON moego_subscriptions (customer_id);
CREATE INDEX moego_subscriptions_by_next_bill ON moego_subscriptions (next_bill_at);

-- One bill per subscription period: the UNIQUE key makes a second node's (or a second
-- sweep's) bill of the same period a no-op, so each period opens exactly one order.
CREATE TABLE moego_subscription_bills (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id INTEGER NOT NULL REFERENCES moego_subscriptions (id),
    period_start    INTEGER NOT NULL,
    order_id        INTEGER REFERENCES moego_orders (id),
    created_at      INTEGER NOT NULL,
    UNIQUE (subscription_id, period_start)
);
