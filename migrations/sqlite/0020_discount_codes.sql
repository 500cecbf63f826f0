-- Discount codes (DiscountService) and their redemptions on orders. A code is company-wide and
-- unique in its company (case-sensitive). Its value is a fixed amount (decimal text in
-- `currency_code`) or a whole percentage, never both. Instants are microseconds.

CREATE TABLE moego_discount_codes (
    id                       INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id               INTEGER NOT NULL REFERENCES moego_companies (id),
    code                     TEXT NOT NULL,
    description              TEXT NOT NULL DEFAULT '',
    amount                   TEXT,
    currency_code            TEXT,
    percentage               INTEGER,
    valid_from               INTEGER,
    valid_until              INTEGER,
    expires_at               INTEGER,
    -- 0: unlimited.
    max_redeem_times         INTEGER NOT NULL DEFAULT 0,
    -- JSON arrays of raw IDs; empty: every business / every customer.
    business_ids             TEXT NOT NULL DEFAULT '[]',
    customer_ids             TEXT NOT NULL DEFAULT '[]',
    redeem_once_per_customer INTEGER NOT NULL DEFAULT 0,
    auto_apply               INTEGER NOT NULL DEFAULT 0,
    allow_online_booking     INTEGER NOT NULL DEFAULT 0,
    -- The stored Discount.Status name (ACTIVE, INACTIVE, ARCHIVED); EXPIRED is derived from
    -- the time on read.
    status                   TEXT NOT NULL DEFAULT 'ACTIVE',
    -- Redemptions so far, raised in the redeeming transaction under the limit.
    redeemed_times           INTEGER NOT NULL DEFAULT 0,
    deleted                  INTEGER NOT NULL DEFAULT 0,
    created_at               INTEGER NOT NULL,
    updated_at               INTEGER NOT NULL,
    UNIQUE (company_id, code)
);
CREATE INDEX moego_discount_codes_auto ON moego_discount_codes (company_id, auto_apply);

CREATE TABLE moego_discount_redemptions (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    discount_code_id  INTEGER NOT NULL REFERENCES moego_discount_codes (id),
    order_id          INTEGER NOT NULL REFERENCES moego_orders (id),
    order_discount_id INTEGER NOT NULL REFERENCES moego_order_discounts (id),
    customer_id       INTEGER NOT NULL REFERENCES moego_customers (id),
    -- The customer for a code redeemable once per customer, else NULL: the unique key below
    -- then holds concurrent redemptions of one customer to one.
    once_customer_id  INTEGER,
    created_at        INTEGER NOT NULL,
    UNIQUE (discount_code_id, order_id),
    UNIQUE (discount_code_id, once_customer_id)
);
