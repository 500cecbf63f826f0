//! Redeeming a discount code on an order: the code's status, period, businesses, customers
//! and limits are checked, the redemption is counted on the code under its limit, and the
//! discount goes through the order ledger, all in the caller's transaction. An operator
//! applies a code to an order; a code that applies itself does so to new appointments'
//! orders at booking.

use moapi_core::{Code, IdCodec, IdKind, Status};
use rust_decimal::Decimal;
use sqlx::AnyConnection;

use super::store::{self, CodeRow, CodeValue, NewRedemption};
use super::wire::DiscountStatus;
use crate::money::Amount;
use crate::order::benefits::BookedOrder;
use crate::order::ledger::{self, DiscountValue, NewDiscount};

fn refused(message: String) -> Status {
    Status::new(Code::FailedPrecondition, message)
}

/// The order a code is redeemed on.
pub struct Target {
    pub order_id: i64,
    pub company_id: i64,
    pub business_id: i64,
    pub customer_id: i64,
    /// What the order still totals before the code.
    pub total: Amount,
}

/// Why the code cannot apply to the order at `at`, if it cannot. Limits on counts are
/// checked when the redemption is counted.
fn unusable(code: &CodeRow, target: &Target, at: i64) -> Result<Option<String>, Status> {
    let name = &code.code;
    let status = code.status_at(at);
    if status != DiscountStatus::Active {
        return Ok(Some(format!("discount code {name} is {}", status.name())));
    }
    if code.company_id != target.company_id {
        return Ok(Some(format!("discount code {name} is another company's")));
    }
    if code.valid_from.is_some_and(|from| at < from) {
        return Ok(Some(format!("discount code {name} is not valid yet")));
    }
    let businesses = code.business_ids()?;
    if !businesses.is_empty() && !businesses.contains(&target.business_id) {
        return Ok(Some(format!(
            "discount code {name} is not valid at the order's business"
        )));
    }
    let customers = code.customer_ids()?;
    if !customers.is_empty() && !customers.contains(&target.customer_id) {
        return Ok(Some(format!(
            "discount code {name} is not valid for the order's customer"
        )));
    }
    if let CodeValue::Amount(amount) = code.value()? {
        if amount.currency != target.total.currency {
            return Ok(Some(format!(
                "discount code {name} is in {}, the order in {}",
                amount.currency.as_str(),
                target.total.currency.as_str()
            )));
        }
    }
    Ok(None)
}

/// Redeems `code` on the target order at `at` in the caller's transaction; returns the order
/// discount's raw ID. A code that does not apply, was already applied to the order, was
/// already used by a customer it allows once, or is used up is FAILED_PRECONDITION, with
/// nothing written.
pub async fn redeem(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    code: &CodeRow,
    target: &Target,
    apply_by: &str,
    at: i64,
) -> Result<i64, Status> {
    if let Some(reason) = unusable(code, target, at)? {
        return Err(refused(reason));
    }
    // The count is the transaction's first statement and a write, so redeemers of one code
    // queue on it and each then reads what the previous one committed; a refusal below rolls
    // it back with the rest.
    if !store::count_redemption(conn, code.id, at).await? {
        return Err(refused(format!(
            "discount code {} is used up ({} redemptions)",
            code.code, code.max_redeem_times
        )));
    }
    let (by_customer, on_order) =
        store::redeemed_by(conn, code.id, target.customer_id, target.order_id).await?;
    if on_order {
        return Err(refused(format!(
            "discount code {} is already applied to the order",
            code.code
        )));
    }
    if by_customer && code.redeem_once_per_customer != 0 {
        return Err(refused(format!(
            "discount code {} was already redeemed by the customer, once per customer",
            code.code
        )));
    }
    apply_counted(conn, ids, code, target, apply_by, at).await
}

/// Applies a code whose redemption was just counted through the ledger and records the
/// redemption; returns the order discount's raw ID.
async fn apply_counted(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    code: &CodeRow,
    target: &Target,
    apply_by: &str,
    at: i64,
) -> Result<i64, Status> {
    let value = match code.value()? {
        CodeValue::Amount(amount) => DiscountValue::Amount(amount),
        CodeValue::Percentage(percent) => {
            DiscountValue::Percentage(Decimal::from(percent) / Decimal::ONE_HUNDRED)
        }
    };
    let discount_code_id = ids.encode(IdKind::DiscountCode, code.id);
    let order_discount_id = ledger::apply_discount(
        conn,
        ids,
        &NewDiscount {
            order_id: target.order_id,
            order_item_id: None,
            value,
            apply_by,
            discount_code_id: &discount_code_id,
        },
        at,
    )
    .await?;
    store::insert_redemption(
        conn,
        &NewRedemption {
            code_id: code.id,
            order_id: target.order_id,
            order_discount_id,
            customer_id: target.customer_id,
            once_per_customer: code.redeem_once_per_customer != 0,
        },
        at,
    )
    .await?;
    Ok(order_discount_id)
}

/// Applies the company's first code that applies itself and suits a booked order (oldest
/// first, one code per order) at `at`; true when one applied. A code worth more than the
/// order, used up, or already used by a customer it allows once is passed over: it never
/// fails the booking.
pub async fn at_booking(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    order: &BookedOrder,
    at: i64,
) -> Result<bool, Status> {
    let codes = store::auto_applied(conn, order.company_id).await?;
    let target = Target {
        order_id: order.order_id,
        company_id: order.company_id,
        business_id: order.business_id,
        customer_id: order.customer_id,
        total: order.total,
    };
    for code in &codes {
        if unusable(code, &target, at)?.is_some() {
            continue;
        }
        if let CodeValue::Amount(amount) = code.value()? {
            if amount.value > order.total.value {
                continue;
            }
        }
        let (by_customer, _) =
            store::redeemed_by(conn, code.id, order.customer_id, order.order_id).await?;
        if by_customer && code.redeem_once_per_customer != 0 {
            continue;
        }
        if !store::count_redemption(conn, code.id, at).await? {
            continue;
        }
        apply_counted(conn, ids, code, &target, "", at).await?;
        return Ok(true);
    }
    Ok(false)
}
