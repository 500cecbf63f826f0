-- MoeGo agreements (AgreementService): a company's documents customers sign, the businesses each
-- applies to (none listed: all of them), and the agreement records a sign link creates. A record
-- keeps the title and content the customer was shown, and the typed name they signed with.
-- Instants are microseconds.

CREATE TABLE moego_agreements (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id           INTEGER NOT NULL REFERENCES moego_companies (id),
    creator_staff_id     INTEGER REFERENCES moego_staff (id),
    -- v1AgreementStatus name: NORMAL or DELETED.
    status               TEXT NOT NULL DEFAULT 'NORMAL',
    -- AgreementSignedPolicy name: FOR_FIRST, FOR_EACH or OPTIONAL.
    signed_policy        TEXT NOT NULL,
    title                TEXT NOT NULL,
    -- Sanitised rich text (HTML).
    content              TEXT NOT NULL,
    sms_template         TEXT NOT NULL DEFAULT '',
    email_template_title TEXT NOT NULL DEFAULT '',
    email_template_body  TEXT NOT NULL DEFAULT '',
    last_required_at     INTEGER NOT NULL,
    last_edit_at         INTEGER NOT NULL,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE INDEX moego_agreements_by_company ON moego_agreements (company_id, created_at, id);

CREATE TABLE moego_agreement_businesses (
    agreement_id INTEGER NOT NULL REFERENCES moego_agreements (id),
    business_id  INTEGER NOT NULL REFERENCES moego_businesses (id),
    -- The order the businesses were given in; the first is the agreement's `businessId`.
    position     INTEGER NOT NULL,
    PRIMARY KEY (agreement_id, business_id)
);
CREATE INDEX moego_agreement_businesses_by_business ON moego_agreement_businesses (business_id);

CREATE TABLE moego_agreement_records (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    agreement_id  INTEGER NOT NULL REFERENCES moego_agreements (id),
    company_id    INTEGER NOT NULL REFERENCES moego_companies (id),
    business_id   INTEGER NOT NULL REFERENCES moego_businesses (id),
    customer_id   INTEGER NOT NULL REFERENCES moego_customers (id),
    -- UNSIGNED or SIGNED (AgreementRecord.SignedStatus).
    signed_status TEXT NOT NULL DEFAULT 'UNSIGNED',
    title         TEXT NOT NULL,
    content       TEXT NOT NULL,
    -- The name the customer typed to sign; empty until signed.
    signature     TEXT NOT NULL DEFAULT '',
    signed_at     INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX moego_agreement_records_by_customer
    ON moego_agreement_records (agreement_id, customer_id, business_id, id);
