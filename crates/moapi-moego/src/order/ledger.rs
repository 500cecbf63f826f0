//! The order ledger: opening an appointment's order in the booking's transaction, with its
//! line items, per-line taxes and exact totals. (Minimal version of the shared contract; the
//! orders helper's version replaces it at merge.)

use moapi_core::time::now_micros;
use moapi_core::Status;
use rust_decimal::Decimal;
use sqlx::AnyConnection;

use crate::money::{Amount, Currency};

/// One billed line: a service of an appointment's pet.
pub struct OrderLine {
    pub service_id: i64,
    /// The appointment's pet service detail row this line bills.
    pub pet_detail_id: i64,
    pub name: String,
    pub unit_price: Amount,
    pub quantity: i64,
}

pub struct NewOrder<'a> {
    pub company_id: i64,
    pub business_id: i64,
    pub customer_id: i64,
    pub appointment_id: Option<i64>,
    pub title: String,
    /// Encoded ID of who created it, or "".
    pub created_by: &'a str,
    pub lines: Vec<OrderLine>,
}

/// Opens an order in the caller's transaction: one moego_order_line_items row per line, one
/// moego_order_line_taxes row per line at the business's tax rate (moego_business_settings;
/// 0 and currency USD when the business has none), totals (sub_total, tax_amount,
/// total_amount) computed exactly with each line's tax rounded to the currency's minor units.
/// A line in another currency than the business's is INVALID_ARGUMENT. Returns the order's
/// raw ID.
pub async fn open_order(conn: &mut AnyConnection, order: &NewOrder<'_>) -> Result<i64, Status> {
    let settings: Option<(String, String, String)> = sqlx::query_as(
        "SELECT currency_code, tax_rate, tax_name FROM moego_business_settings \
         WHERE business_id = $1",
    )
    .bind(order.business_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (currency_code, tax_rate, tax_name) =
        settings.unwrap_or_else(|| ("USD".into(), "0".into(), String::new()));
    let currency = Currency::parse(&currency_code).ok_or_else(|| {
        Status::internal(format!(
            "business currency {currency_code:?} is not ISO 4217"
        ))
    })?;
    let rate: Decimal = tax_rate
        .parse()
        .map_err(|_| Status::internal(format!("business tax rate {tax_rate:?} is not decimal")))?;
    let mut sub_total = Amount::zero(currency);
    let mut tax_total = Amount::zero(currency);
    let mut priced = Vec::with_capacity(order.lines.len());
    for (index, line) in order.lines.iter().enumerate() {
        if line.unit_price.currency != currency {
            return Err(Status::invalid_argument(format!(
                "lines[{index}]: priced in {} but the business charges in {}",
                line.unit_price.currency.as_str(),
                currency.as_str()
            )));
        }
        let amount = line.unit_price.times(Decimal::from(line.quantity));
        let tax = amount.times(rate / Decimal::ONE_HUNDRED).rounded();
        sub_total = sub_total.plus(amount);
        tax_total = tax_total.plus(tax);
        priced.push(tax);
    }
    let total = sub_total.plus(tax_total);
    let now = now_micros();
    let (order_id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_orders (company_id, business_id, customer_id, appointment_id, title, \
         currency_code, sub_total, tax_amount, total_amount, created_by, updated_by, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $11) \
         RETURNING id",
    )
    .bind(order.company_id)
    .bind(order.business_id)
    .bind(order.customer_id)
    .bind(order.appointment_id)
    .bind(&order.title)
    .bind(currency.as_str())
    .bind(sub_total.stored())
    .bind(tax_total.stored())
    .bind(total.stored())
    .bind(order.created_by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    for (line, tax) in order.lines.iter().zip(priced) {
        let (item_id,): (i64,) = sqlx::query_as(
            "INSERT INTO moego_order_line_items (order_id, company_id, object_type, object_id, \
             pet_detail_id, name, unit_price, quantity, created_at, updated_at) \
             VALUES ($1, $2, 'SERVICE', $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(order_id)
        .bind(order.company_id)
        .bind(line.service_id)
        .bind(line.pet_detail_id)
        .bind(&line.name)
        .bind(line.unit_price.stored())
        .bind(line.quantity)
        .bind(now)
        .fetch_one(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO moego_order_line_taxes (order_id, order_item_id, business_id, \
             apply_type, tax_name, tax_rate, tax_amount, created_at, updated_at) \
             VALUES ($1, $2, $3, 'ITEM', $4, $5, $6, $7, $7)",
        )
        .bind(order_id)
        .bind(item_id)
        .bind(order.business_id)
        .bind(&tax_name)
        .bind(&tax_rate)
        .bind(tax.stored())
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(order_id)
}

/// The AppointmentPaymentStatus name an order's amounts give: UNPAID (nothing paid),
/// PARTIAL_PAID, FULL_PAID (paid >= total), PARTIAL_REFUNDED, FULL_REFUNDED (refunded >= paid > 0).
pub fn payment_status(total: &Amount, paid: &Amount, refunded: &Amount) -> &'static str {
    if paid.value > Decimal::ZERO && refunded.value >= paid.value {
        "FULL_REFUNDED"
    } else if refunded.value > Decimal::ZERO {
        "PARTIAL_REFUNDED"
    } else if paid.value <= Decimal::ZERO {
        "UNPAID"
    } else if paid.value >= total.value {
        "FULL_PAID"
    } else {
        "PARTIAL_PAID"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(value: &str) -> Amount {
        Amount::from_stored("USD", value).unwrap()
    }

    #[test]
    fn payment_status_follows_paid_and_refunded() {
        let total = usd("100");
        assert_eq!(payment_status(&total, &usd("0"), &usd("0")), "UNPAID");
        assert_eq!(
            payment_status(&total, &usd("40"), &usd("0")),
            "PARTIAL_PAID"
        );
        assert_eq!(payment_status(&total, &usd("100"), &usd("0")), "FULL_PAID");
        assert_eq!(
            payment_status(&total, &usd("100"), &usd("10")),
            "PARTIAL_REFUNDED"
        );
        assert_eq!(
            payment_status(&total, &usd("100"), &usd("100")),
            "FULL_REFUNDED"
        );
        // A free order paid nothing: nothing to call paid.
        assert_eq!(payment_status(&usd("0"), &usd("0"), &usd("0")), "UNPAID");
    }
}
