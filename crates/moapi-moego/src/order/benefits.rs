//! What a customer's commerce gives a new appointment's order, applied in the booking's
//! transaction right after the order is opened: discount codes that apply themselves
//! (`autoApplyOnEligibleAppointment`), the discount benefits of the customer's active
//! memberships, and the customer's prepaid packages that cover a booked service. Each goes
//! through the order ledger, so the order's amounts follow from what was applied.

use moapi_core::{IdCodec, Status};
use sqlx::AnyConnection;

use crate::money::Amount;
use crate::order::ledger;

/// An appointment's order just opened by a booking.
#[derive(Debug, Clone)]
pub struct BookedOrder {
    pub order_id: i64,
    pub company_id: i64,
    pub business_id: i64,
    pub customer_id: i64,
    /// The order's total; updated by [`apply_at_booking`].
    pub total: Amount,
    pub lines: Vec<BookedLine>,
}

/// A line of a booked order: one service of one pet.
#[derive(Debug, Clone)]
pub struct BookedLine {
    pub item_id: i64,
    pub service_id: i64,
    pub pet_id: i64,
    pub price: Amount,
}

/// Applies what the customers' commerce gives to booked orders at `at`, and updates each
/// order's `total`. Packages come first (a covered service costs nothing more), then
/// membership discounts, then discount codes, each on what is left to pay.
pub async fn apply_at_booking(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    orders: &mut [BookedOrder],
    at: i64,
) -> Result<(), Status> {
    for order in orders.iter_mut() {
        if crate::package::redeem::at_booking(conn, ids, order, at).await? {
            order.total = ledger::total(conn, order.order_id).await?;
        }
        if crate::membership::benefits::at_booking(conn, ids, order, at).await? {
            order.total = ledger::total(conn, order.order_id).await?;
        }
        if crate::discount::redeem::at_booking(conn, ids, order, at).await? {
            order.total = ledger::total(conn, order.order_id).await?;
        }
    }
    Ok(())
}
