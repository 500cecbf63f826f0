-- Order discounts and redeemed packages (OrderService's discounts:list and
-- redeemPackages:list). Amounts are exact decimal text in the order's currency; instants are
-- microseconds.

CREATE TABLE moego_order_discounts (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id         INTEGER NOT NULL REFERENCES moego_orders (id),
    company_id       INTEGER NOT NULL REFERENCES moego_companies (id),
    business_id      INTEGER NOT NULL REFERENCES moego_businesses (id),
    -- The line it applies to; NULL for a discount on the whole order.
    order_item_id    INTEGER REFERENCES moego_order_line_items (id),
    -- v1OrderDiscountApplyType and OrderDiscountDiscountType names.
    apply_type       TEXT NOT NULL,
    discount_type    TEXT NOT NULL,
    -- The amount taken off, computed when applied (a percentage of its base, rounded).
    discount_amount  TEXT NOT NULL,
    -- Fraction for PERCENTAGE discounts ("0.1" is 10%), else '0'.
    discount_rate    TEXT NOT NULL DEFAULT '0',
    apply_by         TEXT NOT NULL DEFAULT '',
    apply_sequence   INTEGER NOT NULL,
    discount_code_id TEXT NOT NULL DEFAULT '',
    is_deleted       INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX moego_order_discounts_by_order ON moego_order_discounts (order_id, id);

CREATE TABLE moego_order_redeem_packages (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id           INTEGER NOT NULL REFERENCES moego_orders (id),
    company_id         INTEGER NOT NULL REFERENCES moego_companies (id),
    order_line_item_id INTEGER REFERENCES moego_order_line_items (id),
    -- The vendor's package catalog is not part of the public API: its IDs are kept as given.
    package_id         TEXT NOT NULL,
    package_service_id TEXT NOT NULL DEFAULT '',
    package_name       TEXT NOT NULL DEFAULT '',
    service_id         INTEGER,
    service_name       TEXT NOT NULL DEFAULT '',
    service_price      TEXT NOT NULL DEFAULT '0',
    quantity           INTEGER NOT NULL DEFAULT 1,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX moego_order_redeem_packages_by_order ON moego_order_redeem_packages (order_id, id);
