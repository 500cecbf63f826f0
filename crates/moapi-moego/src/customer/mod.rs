//! Customers (CustomerService): a company's clients with their notes, tags, preferences and
//! compliance settings. Every write emits exactly one CUSTOMER_* event in its transaction.

pub mod store;
pub mod wire;
