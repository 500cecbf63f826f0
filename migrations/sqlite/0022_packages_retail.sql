-- Packages and retail (PackageService, RetailService): each business's package catalog and
-- products, the packages customers bought through orders with the quantities left of each of
-- their services, and what a redeemed package covers of an order. Amounts are exact decimal
-- text in the business's currency; instants are microseconds; booleans 0/1.

CREATE TABLE moego_retail_packages (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id            INTEGER NOT NULL REFERENCES moego_companies (id),
    business_id           INTEGER NOT NULL REFERENCES moego_businesses (id),
    name                  TEXT NOT NULL,
    description           TEXT NOT NULL DEFAULT '',
    currency_code         TEXT NOT NULL,
    price                 TEXT NOT NULL,
    -- The business's tax when the package was created, as a fraction ("0.08625").
    tax_rate              TEXT NOT NULL DEFAULT '0',
    -- JSON array of items: {"quantity": n, "services": [{"serviceId": raw, "name", "unitPrice"}]}.
    items                 TEXT NOT NULL,
    -- Days a bought package lasts; 99999999 is never expiring (the vendor's marker).
    expiration_days       INTEGER NOT NULL,
    is_active             INTEGER NOT NULL DEFAULT 1,
    enable_online_booking INTEGER NOT NULL DEFAULT 0,
    revenue_category_name TEXT NOT NULL DEFAULT '',
    source                INTEGER NOT NULL DEFAULT 0,
    sold_quantity         INTEGER NOT NULL DEFAULT 0,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
);
CREATE INDEX moego_retail_packages_by_business ON moego_retail_packages (business_id, id);

-- A package a customer bought: a copy of the catalog package at the time of the sale.
CREATE TABLE moego_customer_packages (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id         INTEGER NOT NULL REFERENCES moego_companies (id),
    business_id        INTEGER NOT NULL REFERENCES moego_businesses (id),
    customer_id        INTEGER NOT NULL REFERENCES moego_customers (id),
    retail_package_id  INTEGER NOT NULL REFERENCES moego_retail_packages (id),
    order_id           INTEGER NOT NULL REFERENCES moego_orders (id),
    order_line_item_id INTEGER NOT NULL REFERENCES moego_order_line_items (id),
    name               TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    currency_code      TEXT NOT NULL,
    price              TEXT NOT NULL,
    purchased_at       INTEGER NOT NULL,
    -- NULL: never expires (expiration_date '9999-01-01').
    expires_at         INTEGER,
    expiration_date    TEXT NOT NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
-- Booking looks up the customer's packages at the business with this index alone.
CREATE INDEX moego_customer_packages_by_customer
    ON moego_customer_packages (customer_id, business_id, id);

-- Each item of a bought package with what is left of it.
CREATE TABLE moego_customer_package_services (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_package_id INTEGER NOT NULL REFERENCES moego_customer_packages (id),
    -- JSON array of the item's services, as in moego_retail_packages.items.
    services            TEXT NOT NULL,
    total_quantity      INTEGER NOT NULL,
    remaining_quantity  INTEGER NOT NULL CHECK (remaining_quantity >= 0),
    updated_at          INTEGER NOT NULL
);
CREATE INDEX moego_customer_package_services_by_package
    ON moego_customer_package_services (customer_package_id, id);

CREATE TABLE moego_suppliers (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES moego_companies (id),
    name       TEXT NOT NULL,
    first_name TEXT NOT NULL DEFAULT '',
    last_name  TEXT NOT NULL DEFAULT '',
    telephone  TEXT NOT NULL DEFAULT '',
    mobile     TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    website    TEXT NOT NULL DEFAULT '',
    address    TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);

CREATE TABLE moego_products (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id              INTEGER NOT NULL REFERENCES moego_companies (id),
    business_id             INTEGER NOT NULL REFERENCES moego_businesses (id),
    supplier_id             INTEGER REFERENCES moego_suppliers (id),
    name                    TEXT NOT NULL,
    description             TEXT NOT NULL DEFAULT '',
    sku                     TEXT NOT NULL DEFAULT '',
    barcode                 TEXT NOT NULL DEFAULT '',
    image_url               TEXT NOT NULL DEFAULT '',
    category_name           TEXT NOT NULL DEFAULT '',
    revenue_category_name   TEXT NOT NULL DEFAULT '',
    currency_code           TEXT NOT NULL,
    supply_price            TEXT NOT NULL DEFAULT '0',
    retail_price            TEXT NOT NULL,
    -- NULL: no special price.
    special_price           TEXT,
    -- The business's tax when the product was created, as a fraction.
    tax_rate                TEXT NOT NULL DEFAULT '0',
    enable_staff_commission INTEGER NOT NULL DEFAULT 0,
    stock                   INTEGER NOT NULL CHECK (stock >= 0),
    deleted                 INTEGER NOT NULL DEFAULT 0,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL
);
CREATE INDEX moego_products_by_business ON moego_products (business_id, id);

-- A redemption names the bought package and its item; what it takes off the order's total
-- (the service's price times the quantity, and that share of its line's tax) is kept with it.
ALTER TABLE moego_order_redeem_packages
    ADD COLUMN customer_package_id INTEGER REFERENCES moego_customer_packages (id);
ALTER TABLE moego_order_redeem_packages
    ADD COLUMN customer_package_service_id INTEGER REFERENCES moego_customer_package_services (id);
ALTER TABLE moego_order_redeem_packages ADD COLUMN covered_amount TEXT NOT NULL DEFAULT '0';
