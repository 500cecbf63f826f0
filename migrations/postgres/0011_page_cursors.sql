-- Page cursors (docs/compatibility.md, "Page tokens"): MoeGo page tokens are page numbers, so
-- the token cannot carry where the next page starts. When page N of a list is served, the ID
-- of its last row is remembered here as the start of page N+1 for the same caller and query
-- (query_hash: principal + list + normalised filter + page size); a request for page N+1
-- continues after it (keyset) instead of skipping N pages (OFFSET). Shared by every node.
-- Rows are only an accelerator: a missing or purged one falls back to OFFSET.
CREATE TABLE page_cursors (
    query_hash TEXT NOT NULL,
    page       BIGINT NOT NULL,
    after_id   BIGINT NOT NULL,
    written_at BIGINT NOT NULL,
    PRIMARY KEY (query_hash, page)
);
CREATE INDEX page_cursors_by_written ON page_cursors (written_at);

-- customers:list picks a page's IDs from an index alone, then reads those rows: the indexes it
-- filters through also carry `deleted` (docs/performance.md, MoeGo).
DROP INDEX moego_customers_by_company;
DROP INDEX moego_customers_by_updated;
DROP INDEX moego_customers_by_phone;
CREATE INDEX moego_customers_by_company ON moego_customers (company_id, id, deleted);
CREATE INDEX moego_customers_by_updated ON moego_customers (company_id, updated_at, id, deleted);
CREATE INDEX moego_customers_by_phone ON moego_customers (company_id, phone, id, deleted);
