-- What the reports (ReportService) read by period: orders by sales time, customers by
-- creation time, and the order a membership period was billed on (package and membership
-- sales join it from the order).
CREATE INDEX moego_orders_by_sales ON moego_orders (business_id, sales_at);
CREATE INDEX moego_customers_by_created ON moego_customers (company_id, created_at);
CREATE INDEX moego_subscription_bills_by_order ON moego_subscription_bills (order_id);
