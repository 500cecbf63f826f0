//! The order ledger: opening orders (appointments and operator sales), and settling them as
//! payments, refunds, discounts and redeemed packages are recorded. Every money column of
//! `moego_orders` is recomputed from the rows that make it (payments, refunds, discounts,
//! what redeemed packages cover) with exact decimals, in the caller's transaction, after the
//! order row is locked by a write so that concurrent writers of one order take turns
//! (PostgreSQL row lock; SQLite's single writer). Every write is stamped with the instant its
//! caller gives: now for the API and the operator verbs, the history it describes for the
//! demo seed.

use std::str::FromStr;

use moapi_core::db;
use moapi_core::{Code, IdCodec, Status};
use rust_decimal::Decimal;
use sqlx::AnyConnection;

use super::store::{self, stored_amount, OrderRow};
use crate::appointment;
use crate::event::EventType;
use crate::money::{Amount, Currency, DecimalValue};

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

/// A line of any kind: what `open_order`'s service lines and operator sales both become.
pub struct SaleLine {
    /// OrderLineItemObjectType name.
    pub object_type: &'static str,
    pub object_id: Option<i64>,
    pub pet_detail_id: Option<i64>,
    pub name: String,
    pub unit_price: Amount,
    pub quantity: i64,
}

/// An order just opened: its ID, total (nothing is paid or refunded yet) and the IDs of its
/// line items, in the order of its lines.
#[derive(Debug, Clone)]
pub struct OpenedOrder {
    pub id: i64,
    pub total: Amount,
    pub item_ids: Vec<i64>,
}

/// Opens appointments' orders at `at`, each at its business's tax, which the bookings read
/// before they took the write lock. Answers them in the order given.
pub async fn open_orders(
    conn: &mut AnyConnection,
    orders: &[(&NewOrder<'_>, &BusinessTax)],
    at: i64,
) -> Result<Vec<OpenedOrder>, Status> {
    let lines: Vec<Vec<SaleLine>> = orders
        .iter()
        .map(|(order, _)| {
            order
                .lines
                .iter()
                .map(|line| SaleLine {
                    object_type: "SERVICE",
                    object_id: Some(line.service_id),
                    pet_detail_id: Some(line.pet_detail_id),
                    name: line.name.clone(),
                    unit_price: line.unit_price,
                    quantity: line.quantity,
                })
                .collect()
        })
        .collect();
    let sales: Vec<Sale> = orders
        .iter()
        .zip(&lines)
        .map(|((order, tax), lines)| Sale { order, tax, lines })
        .collect();
    open_taxed(conn, &sales, at).await
}

/// [`open_orders`] for lines of any kind (retail products, services without an appointment);
/// `order.lines` is not read.
pub async fn open_sale(
    conn: &mut AnyConnection,
    order: &NewOrder<'_>,
    lines: &[SaleLine],
    at: i64,
) -> Result<OpenedOrder, Status> {
    let tax = business_tax(conn, order.business_id).await?;
    open_sale_taxed(conn, order, &tax, lines, at).await
}

/// [`open_sale`] at a tax of the caller's (a membership's own rate, say, through
/// [`BusinessTax::at_rate`]).
pub async fn open_sale_taxed(
    conn: &mut AnyConnection,
    order: &NewOrder<'_>,
    tax: &BusinessTax,
    lines: &[SaleLine],
    at: i64,
) -> Result<OpenedOrder, Status> {
    let sale = Sale { order, tax, lines };
    Ok(open_taxed(conn, &[sale], at).await?.remove(0))
}

/// An order to open with its tax and lines.
struct Sale<'a> {
    order: &'a NewOrder<'a>,
    tax: &'a BusinessTax,
    lines: &'a [SaleLine],
}

/// A sale's amounts: each line's tax rounded to the currency's minor units, then the totals.
struct Priced {
    sub_total: Amount,
    tax_total: Amount,
    total: Amount,
    line_taxes: Vec<Amount>,
}

impl Sale<'_> {
    /// Prices the lines; a line in another currency than the business's, a negative price or
    /// a quantity outside 1..=1,000,000 is INVALID_ARGUMENT.
    fn priced(&self) -> Result<Priced, Status> {
        let tax = self.tax;
        let mut sub_total = Amount::zero(tax.currency);
        let mut tax_total = Amount::zero(tax.currency);
        let mut line_taxes = Vec::with_capacity(self.lines.len());
        for (index, line) in self.lines.iter().enumerate() {
            let field = format!("lines[{index}]");
            if line.unit_price.currency != tax.currency {
                return Err(Status::invalid_argument(format!(
                    "{field}.unitPrice: the business charges in {}, not {}",
                    tax.currency.as_str(),
                    line.unit_price.currency.as_str()
                )));
            }
            if line.unit_price.value.is_sign_negative() {
                return Err(Status::invalid_argument(format!(
                    "{field}.unitPrice: must not be negative"
                )));
            }
            if !(1..=1_000_000).contains(&line.quantity) {
                return Err(Status::invalid_argument(format!(
                    "{field}.quantity: must be between 1 and 1000000"
                )));
            }
            let amount = line.unit_price.times(Decimal::from(line.quantity));
            let line_tax = amount.times(tax.rate / Decimal::ONE_HUNDRED).rounded();
            sub_total = sub_total.plus(amount);
            tax_total = tax_total.plus(line_tax);
            line_taxes.push(line_tax);
        }
        Ok(Priced {
            sub_total,
            tax_total,
            total: sub_total.plus(tax_total),
            line_taxes,
        })
    }
}

/// Opens orders in the caller's transaction with three multi-row statements: the orders, one
/// moego_order_line_items row per line, and one moego_order_line_taxes row per line at the
/// business's tax rate (moego_business_settings; 0 and currency USD when the business has
/// none). Totals (sub_total, tax_amount, total_amount) are exact decimals.
async fn open_taxed(
    conn: &mut AnyConnection,
    sales: &[Sale<'_>],
    now: i64,
) -> Result<Vec<OpenedOrder>, Status> {
    let priced: Vec<Priced> = sales.iter().map(Sale::priced).collect::<Result<_, _>>()?;
    let order_rows = sales
        .iter()
        .zip(&priced)
        .map(|(sale, priced)| {
            let order = sale.order;
            vec![
                order.company_id.into(),
                order.business_id.into(),
                order.customer_id.into(),
                order.appointment_id.into(),
                "CREATED".into(),
                order.title.as_str().into(),
                sale.tax.currency.as_str().into(),
                priced.sub_total.stored().into(),
                priced.tax_total.stored().into(),
                priced.sub_total.stored().into(),
                priced.total.stored().into(),
                order.created_by.into(),
                order.created_by.into(),
                now.into(),
                now.into(),
                now.into(),
            ]
        })
        .collect();
    let opened: Vec<(i64, i64, Option<i64>)> = db::insert_rows_returning(
        conn,
        "moego_orders",
        &[
            "company_id",
            "business_id",
            "customer_id",
            "appointment_id",
            "status",
            "title",
            "currency_code",
            "sub_total",
            "tax_amount",
            "tips_based_amount",
            "total_amount",
            "created_by",
            "updated_by",
            "sales_at",
            "created_at",
            "updated_at",
        ],
        order_rows,
        &["id", "customer_id", "appointment_id"],
    )
    .await?;
    let opened = db::in_written_order(
        opened,
        |(id, ..)| *id,
        |(_, customer, appointment)| (*customer, *appointment),
        sales
            .iter()
            .map(|sale| (sale.order.customer_id, sale.order.appointment_id)),
    )
    .ok_or_else(|| Status::internal("opened orders came back out of order"))?;
    let order_ids: Vec<i64> = opened.iter().map(|(id, ..)| *id).collect();
    let lines: Vec<(i64, &Sale, &SaleLine)> = sales
        .iter()
        .zip(&order_ids)
        .flat_map(|(sale, order_id)| sale.lines.iter().map(move |line| (*order_id, sale, line)))
        .collect();
    let item_rows = lines
        .iter()
        .map(|(order_id, sale, line)| {
            vec![
                (*order_id).into(),
                sale.order.company_id.into(),
                line.object_type.into(),
                line.object_id.into(),
                line.pet_detail_id.into(),
                line.name.as_str().into(),
                line.unit_price.stored().into(),
                line.quantity.into(),
                now.into(),
                now.into(),
            ]
        })
        .collect();
    let items: Vec<(i64, i64)> = db::insert_rows_returning(
        conn,
        "moego_order_line_items",
        &[
            "order_id",
            "company_id",
            "object_type",
            "object_id",
            "pet_detail_id",
            "name",
            "unit_price",
            "quantity",
            "created_at",
            "updated_at",
        ],
        item_rows,
        &["id", "order_id"],
    )
    .await?;
    let items = db::in_written_order(
        items,
        |(id, _)| *id,
        |(_, order_id)| *order_id,
        lines.iter().map(|(order_id, ..)| *order_id),
    )
    .ok_or_else(|| Status::internal("order line items came back out of order"))?;
    let line_taxes = priced.iter().flat_map(|priced| &priced.line_taxes);
    let tax_rows = lines
        .iter()
        .zip(&items)
        .zip(line_taxes)
        .map(|(((order_id, sale, _), (item_id, _)), line_tax)| {
            vec![
                (*order_id).into(),
                (*item_id).into(),
                sale.order.business_id.into(),
                "ITEM".into(),
                sale.tax.name.as_str().into(),
                sale.tax.rate.normalize().to_string().into(),
                line_tax.stored().into(),
                now.into(),
                now.into(),
            ]
        })
        .collect();
    db::insert_rows(
        conn,
        store::LINE_TAXES.name,
        // Every column the order lists read but the ID.
        &store::LINE_TAXES.columns[1..],
        tax_rows,
    )
    .await?;
    let mut item_ids = items.iter().map(|(item_id, _)| *item_id);
    Ok(order_ids
        .into_iter()
        .zip(priced)
        .zip(sales)
        .map(|((id, priced), sale)| OpenedOrder {
            id,
            total: priced.total,
            item_ids: item_ids.by_ref().take(sale.lines.len()).collect(),
        })
        .collect())
}

/// An order's stored total.
pub async fn total(conn: &mut AnyConnection, order_id: i64) -> Result<Amount, Status> {
    let (currency, total): (String, String) =
        sqlx::query_as("SELECT currency_code, total_amount FROM moego_orders WHERE id = $1")
            .bind(order_id)
            .fetch_one(&mut *conn)
            .await?;
    stored_amount(&currency, &total)
}

/// A business's currency and tax (percent).
pub struct BusinessTax {
    currency: Currency,
    rate: Decimal,
    name: String,
}

impl BusinessTax {
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The business's currency at another rate (percent) and tax name.
    pub fn at_rate(self, rate: Decimal, name: String) -> BusinessTax {
        BusinessTax {
            currency: self.currency,
            rate,
            name,
        }
    }
}

pub async fn business_tax(
    conn: &mut AnyConnection,
    business_id: i64,
) -> Result<BusinessTax, Status> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT currency_code, tax_rate, tax_name FROM moego_business_settings \
         WHERE business_id = $1",
    )
    .bind(business_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (currency, rate, name) =
        row.unwrap_or_else(|| ("USD".to_string(), "0".to_string(), String::new()));
    let damaged = || {
        Status::internal(format!(
            "tax settings of business {business_id} are damaged"
        ))
    };
    Ok(BusinessTax {
        currency: Currency::parse(&currency).ok_or_else(damaged)?,
        rate: Decimal::from_str(&rate).map_err(|_| damaged())?,
        name,
    })
}

/// The AppointmentPaymentStatus name an order's amounts give: UNPAID (nothing paid),
/// PARTIAL_PAID, FULL_PAID (paid >= total), PARTIAL_REFUNDED, FULL_REFUNDED (refunded >= paid > 0).
pub fn payment_status(total: &Amount, paid: &Amount, refunded: &Amount) -> &'static str {
    if paid.value <= Decimal::ZERO {
        "UNPAID"
    } else if refunded.value >= paid.value {
        "FULL_REFUNDED"
    } else if refunded.value > Decimal::ZERO {
        "PARTIAL_REFUNDED"
    } else if paid.value >= total.value {
        "FULL_PAID"
    } else {
        "PARTIAL_PAID"
    }
}

/// The v1OrderStatus an order's amounts give: CREATED until something is paid, PROCESSING
/// while payments cover part of the total, COMPLETED once they cover all of it. Refunds do
/// not reopen a completed order (they show in refundedAmount and remainAmount).
pub fn order_status(total: &Amount, paid: &Amount) -> &'static str {
    if paid.value <= Decimal::ZERO {
        "CREATED"
    } else if paid.value >= total.value {
        "COMPLETED"
    } else {
        "PROCESSING"
    }
}

/// What the customer paid and kept: payments less their refunds. It is `paidAmount` on the
/// wire (orders and appointments), so that the swagger's `remainAmount = totalAmount -
/// paidAmount` holds after a refund; `refundedAmount` shows the refunds beside it.
pub fn net_paid(paid: Amount, refunded: Amount) -> Amount {
    paid.minus(refunded)
}

/// What is still due: total - (paid - refunded), never below zero.
pub fn remain(total: Amount, paid: Amount, refunded: Amount) -> Amount {
    let due = total.minus(net_paid(paid, refunded));
    if due.value.is_sign_negative() {
        Amount::zero(total.currency)
    } else {
        due
    }
}

/// A stored percent ("8.25") as the wire's fraction (`{"value":"0.0825"}`).
pub fn percent_as_fraction(percent: &str) -> Result<DecimalValue, Status> {
    let rate = Decimal::from_str(percent).map_err(Status::internal)?;
    Ok(DecimalValue::of(rate / Decimal::ONE_HUNDRED))
}

fn refused(message: String) -> Status {
    Status::new(Code::FailedPrecondition, message)
}

/// Locks an order for a ledger write at `at` and reads it. The lock is the transaction's first
/// statement and a write, so concurrent writers of one order queue behind each other and each
/// then reads the amounts the previous one committed.
async fn lock_order(
    conn: &mut AnyConnection,
    order_id: i64,
    updated_by: &str,
    at: i64,
) -> Result<OrderRow, Status> {
    let locked =
        sqlx::query("UPDATE moego_orders SET updated_at = $2, updated_by = $3 WHERE id = $1")
            .bind(order_id)
            .bind(at)
            .bind(updated_by)
            .execute(&mut *conn)
            .await?;
    if locked.rows_affected() == 0 {
        return Err(Status::not_found("order not found"));
    }
    Ok(store::find(conn, order_id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?)
}

async fn sum_amounts(
    conn: &mut AnyConnection,
    currency: &str,
    sql: &str,
    order_id: i64,
) -> Result<Amount, Status> {
    let rows: Vec<(String,)> = sqlx::query_as(sql)
        .bind(order_id)
        .fetch_all(&mut *conn)
        .await?;
    let mut sum = stored_amount(currency, "0")?;
    for (value,) in rows {
        sum = sum.plus(stored_amount(currency, &value)?);
    }
    Ok(sum)
}

/// An order's amounts as its rows make them.
struct Settlement {
    discount: Amount,
    total: Amount,
    paid: Amount,
    refunded: Amount,
}

async fn settlement(conn: &mut AnyConnection, order: &OrderRow) -> Result<Settlement, Status> {
    let currency = order.currency_code.as_str();
    let discount = sum_amounts(
        conn,
        currency,
        "SELECT discount_amount FROM moego_order_discounts WHERE order_id = $1 AND is_deleted = 0",
        order.id,
    )
    .await?;
    let paid = sum_amounts(
        conn,
        currency,
        "SELECT amount FROM moego_payments WHERE order_id = $1 AND status = 'COMPLETED'",
        order.id,
    )
    .await?;
    let refunded = sum_amounts(
        conn,
        currency,
        "SELECT amount FROM moego_refunds WHERE order_id = $1",
        order.id,
    )
    .await?;
    let covered_by_packages = sum_amounts(
        conn,
        currency,
        "SELECT covered_amount FROM moego_order_redeem_packages WHERE order_id = $1",
        order.id,
    )
    .await?;
    let total = order
        .amount(&order.sub_total)?
        .plus(order.amount(&order.tax_amount)?)
        .plus(order.amount(&order.tips_amount)?)
        .plus(order.amount(&order.extra_fee_amount)?)
        .minus(discount)
        .minus(covered_by_packages);
    Ok(Settlement {
        discount,
        total,
        paid,
        refunded,
    })
}

/// Recomputes and stores an order's discount, total, paid and refunded amounts and status.
/// An appointment's order that this write completes announces APPOINTMENT_FULLY_PAID, in the
/// same transaction: `order` is the row as locked before the write, so the event is emitted
/// exactly when the status moves to COMPLETED.
async fn settle(conn: &mut AnyConnection, ids: &IdCodec, order: &OrderRow) -> Result<(), Status> {
    let amounts = settlement(conn, order).await?;
    let status = order_status(&amounts.total, &amounts.paid);
    sqlx::query(
        "UPDATE moego_orders SET discount_amount = $2, total_amount = $3, paid_amount = $4, \
         refunded_amount = $5, status = $6 WHERE id = $1",
    )
    .bind(order.id)
    .bind(amounts.discount.stored())
    .bind(amounts.total.stored())
    .bind(amounts.paid.stored())
    .bind(amounts.refunded.stored())
    .bind(status)
    .execute(&mut *conn)
    .await?;
    if let Some(appointment_id) = order.appointment_id {
        if status == "COMPLETED" && order.status != "COMPLETED" {
            appointment::store::announce(
                conn,
                ids,
                order.company_id,
                appointment_id,
                EventType::AppointmentFullyPaid,
            )
            .await?;
        }
    }
    Ok(())
}

fn positive_in(field: &str, amount: &Amount, order: &OrderRow) -> Result<(), Status> {
    if amount.currency.as_str() != order.currency_code {
        return Err(Status::invalid_argument(format!(
            "{field}: the order is in {}, not {}",
            order.currency_code,
            amount.currency.as_str()
        )));
    }
    if amount.value <= Decimal::ZERO {
        return Err(Status::invalid_argument(format!(
            "{field}: must be greater than zero"
        )));
    }
    Ok(())
}

pub struct NewPayment<'a> {
    pub order_id: i64,
    /// "cash", "credit_card", ...
    pub method: &'a str,
    pub amount: Amount,
    pub processing_fee: Option<Amount>,
    /// Encoded ID of who took it, or "".
    pub recorded_by: &'a str,
}

/// Records a completed payment of an order at `at`; more than the remaining amount is
/// FAILED_PRECONDITION. Returns the payment's raw ID.
pub async fn record_payment(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    payment: &NewPayment<'_>,
    at: i64,
) -> Result<i64, Status> {
    let order = lock_order(conn, payment.order_id, payment.recorded_by, at).await?;
    positive_in("amount", &payment.amount, &order)?;
    let fee = payment
        .processing_fee
        .unwrap_or_else(|| Amount::zero(payment.amount.currency));
    if fee.currency != payment.amount.currency || fee.value.is_sign_negative() {
        return Err(Status::invalid_argument(
            "processingFee: must be a non-negative amount in the payment's currency",
        ));
    }
    let amounts = settlement(conn, &order).await?;
    let due = remain(amounts.total, amounts.paid, amounts.refunded);
    if payment.amount.value > due.value {
        return Err(refused(format!(
            "amount: {} is more than the {} {} the order still owes",
            payment.amount.stored(),
            due.stored(),
            order.currency_code
        )));
    }
    let module = if order.appointment_id.is_some() {
        "GROOMING"
    } else {
        "RETAIL"
    };
    let (payment_id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_payments (company_id, business_id, order_id, customer_id, method, \
         status, module, currency_code, amount, processing_fee, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'COMPLETED', $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(order.company_id)
    .bind(order.business_id)
    .bind(order.id)
    .bind(order.customer_id)
    .bind(payment.method)
    .bind(module)
    .bind(&order.currency_code)
    .bind(payment.amount.stored())
    .bind(fee.stored())
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    settle(conn, ids, &order).await?;
    Ok(payment_id)
}

pub struct NewRefund<'a> {
    /// The payment's order, known before the transaction (a payment never changes order).
    pub order_id: i64,
    pub payment_id: i64,
    pub amount: Amount,
    pub reason: &'a str,
    pub staff_id: Option<i64>,
}

/// Refunds part or all of a payment at `at`; more than what is left of it is
/// FAILED_PRECONDITION. Returns the refund's raw ID.
pub async fn refund_payment(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    refund: &NewRefund<'_>,
    at: i64,
) -> Result<i64, Status> {
    let order = lock_order(conn, refund.order_id, "", at).await?;
    let payment: Option<(String,)> =
        sqlx::query_as("SELECT amount FROM moego_payments WHERE id = $1 AND order_id = $2")
            .bind(refund.payment_id)
            .bind(order.id)
            .fetch_optional(&mut *conn)
            .await?;
    let (paid,) = payment.ok_or_else(|| Status::not_found("payment not found"))?;
    positive_in("amount", &refund.amount, &order)?;
    let paid = order.amount(&paid)?;
    let refunded = sum_amounts(
        conn,
        &order.currency_code,
        "SELECT amount FROM moego_refunds WHERE payment_id = $1",
        refund.payment_id,
    )
    .await?;
    let refundable = paid.minus(refunded);
    if refund.amount.value > refundable.value {
        return Err(refused(format!(
            "amount: {} is more than the {} {} left of the payment",
            refund.amount.stored(),
            refundable.stored(),
            order.currency_code
        )));
    }
    let (refund_id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_refunds (company_id, payment_id, order_id, amount, reason, staff_id, \
         processed_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(order.company_id)
    .bind(refund.payment_id)
    .bind(order.id)
    .bind(refund.amount.stored())
    .bind(refund.reason)
    .bind(refund.staff_id)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("UPDATE moego_payments SET refunded_amount = $2, updated_at = $3 WHERE id = $1")
        .bind(refund.payment_id)
        .bind(refunded.plus(refund.amount).stored())
        .bind(at)
        .execute(&mut *conn)
        .await?;
    settle(conn, ids, &order).await?;
    Ok(refund_id)
}

/// How much a discount takes off.
#[derive(Debug, Clone, Copy)]
pub enum DiscountValue {
    /// A fixed amount.
    Amount(Amount),
    /// A fraction of its base (0.1 is 10 %): the line's price × quantity, or the order's
    /// subtotal.
    Percentage(Decimal),
}

impl DiscountValue {
    /// A percentage from its decimal text ("0.1" is 10 %): more than 0, at most 1.
    pub fn percentage(field: &str, text: &str) -> Result<DiscountValue, Status> {
        Decimal::from_str(text.trim())
            .ok()
            .filter(|rate| *rate > Decimal::ZERO && *rate <= Decimal::ONE)
            .map(DiscountValue::Percentage)
            .ok_or_else(|| {
                Status::invalid_argument(format!(
                    "{field}: a fraction above 0 and at most 1 (0.1 is 10 %)"
                ))
            })
    }
}

pub struct NewDiscount<'a> {
    pub order_id: i64,
    /// The line it applies to; none for the whole order.
    pub order_item_id: Option<i64>,
    pub value: DiscountValue,
    /// Encoded ID of who applied it, or "".
    pub apply_by: &'a str,
    pub discount_code_id: &'a str,
}

/// Applies a discount at `at` and recomputes the order's total. A discount that would bring
/// the total below zero or below what is already paid (net of refunds) is
/// FAILED_PRECONDITION. Taxes stay as computed on the lines. Returns the discount's raw ID.
pub async fn apply_discount(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    discount: &NewDiscount<'_>,
    at: i64,
) -> Result<i64, Status> {
    let order = lock_order(conn, discount.order_id, discount.apply_by, at).await?;
    let base = match discount.order_item_id {
        Some(item_id) => {
            let line: Option<(String, i64)> = sqlx::query_as(
                "SELECT unit_price, quantity FROM moego_order_line_items \
                 WHERE id = $1 AND order_id = $2",
            )
            .bind(item_id)
            .bind(order.id)
            .fetch_optional(&mut *conn)
            .await?;
            let (price, quantity) =
                line.ok_or_else(|| Status::not_found("orderItemId: the order has no such line"))?;
            order.amount(&price)?.times(Decimal::from(quantity))
        }
        None => order.amount(&order.sub_total)?,
    };
    let (discount_type, amount, rate) = match discount.value {
        DiscountValue::Amount(amount) => {
            positive_in("discountAmount", &amount, &order)?;
            ("AMOUNT", amount, Decimal::ZERO)
        }
        DiscountValue::Percentage(rate) => ("PERCENTAGE", base.times(rate).rounded(), rate),
    };
    let before = settlement(conn, &order).await?;
    let total = before.total.minus(amount);
    let net_paid = before.paid.minus(before.refunded);
    if total.value.is_sign_negative() || total.value < net_paid.value {
        return Err(refused(format!(
            "the discount of {} would bring the total to {}, below the {} already paid",
            amount.stored(),
            total.stored(),
            net_paid.stored()
        )));
    }
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM moego_order_discounts WHERE order_id = $1")
            .bind(order.id)
            .fetch_one(&mut *conn)
            .await?;
    let (discount_id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_order_discounts (order_id, company_id, business_id, order_item_id, \
         apply_type, discount_type, discount_amount, discount_rate, apply_by, apply_sequence, \
         discount_code_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(order.id)
    .bind(order.company_id)
    .bind(order.business_id)
    .bind(discount.order_item_id)
    .bind(if discount.order_item_id.is_some() {
        "ITEM"
    } else {
        "ALL"
    })
    .bind(discount_type)
    .bind(amount.stored())
    .bind(rate.normalize().to_string())
    .bind(discount.apply_by)
    .bind(count + 1)
    .bind(discount.discount_code_id)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    settle(conn, ids, &order).await?;
    Ok(discount_id)
}

/// A bought package covering services of one line of an order; the package side (its
/// remaining quantity) is `crate::package::redeem`'s.
pub struct NewRedeemPackage<'a> {
    pub order_id: i64,
    pub order_line_item_id: i64,
    pub customer_package_id: i64,
    pub customer_package_service_id: i64,
    /// The public IDs the redemption shows (`cpk_`, `pks_`).
    pub package_id: &'a str,
    pub package_service_id: &'a str,
    pub package_name: &'a str,
    pub quantity: i64,
}

/// A service line of an order: what a package redemption covers.
pub struct ServiceLine {
    pub service_id: i64,
    pub name: String,
    pub unit_price: String,
    pub quantity: i64,
}

/// The order's line `item_id` when it bills a service; NOT_FOUND or INVALID_ARGUMENT else.
pub async fn service_line(
    conn: &mut AnyConnection,
    order_id: i64,
    item_id: i64,
) -> Result<ServiceLine, Status> {
    let line: Option<(String, Option<i64>, String, String, i64)> = sqlx::query_as(
        "SELECT object_type, object_id, name, unit_price, quantity FROM moego_order_line_items \
         WHERE id = $1 AND order_id = $2",
    )
    .bind(item_id)
    .bind(order_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (object_type, object_id, name, unit_price, quantity) =
        line.ok_or_else(|| Status::not_found("orderLineItemId: the order has no such line"))?;
    match (object_type.as_str(), object_id) {
        ("SERVICE", Some(service_id)) => Ok(ServiceLine {
            service_id,
            name,
            unit_price,
            quantity,
        }),
        _ => Err(Status::invalid_argument(
            "orderLineItemId: only a line billing a service can be covered by a package",
        )),
    }
}

/// Records at `at` that a package the customer bought covers `quantity` of a service line,
/// and takes what it covers off the order's total: the line's price for that quantity and the
/// same share of the line's tax (the customer prepaid both when buying the package). More
/// than the line's quantity left uncovered, or a total brought below what is already paid, is
/// FAILED_PRECONDITION. Returns the redemption's raw ID.
pub async fn record_redeem_package(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    redeemed: &NewRedeemPackage<'_>,
    at: i64,
) -> Result<i64, Status> {
    let order = lock_order(conn, redeemed.order_id, "", at).await?;
    if !(1..=1_000_000).contains(&redeemed.quantity) {
        return Err(Status::invalid_argument(
            "quantity: must be between 1 and 1000000",
        ));
    }
    let line = service_line(conn, order.id, redeemed.order_line_item_id).await?;
    let (covered_before,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM moego_order_redeem_packages \
         WHERE order_line_item_id = $1",
    )
    .bind(redeemed.order_line_item_id)
    .fetch_one(&mut *conn)
    .await?;
    if covered_before + redeemed.quantity > line.quantity {
        return Err(refused(format!(
            "orderLineItemId: {covered_before} of the line's {} services are already covered by \
             packages; {} more cannot be",
            line.quantity, redeemed.quantity
        )));
    }
    let line_tax = sum_amounts(
        conn,
        &order.currency_code,
        "SELECT tax_amount FROM moego_order_line_taxes WHERE order_item_id = $1",
        redeemed.order_line_item_id,
    )
    .await?;
    let share = Decimal::from(redeemed.quantity) / Decimal::from(line.quantity);
    let price = order.amount(&line.unit_price)?;
    let covered = price
        .times(Decimal::from(redeemed.quantity))
        .plus(line_tax.times(share).rounded());
    let before = settlement(conn, &order).await?;
    let total = before.total.minus(covered);
    let net_paid = before.paid.minus(before.refunded);
    if total.value.is_sign_negative() || total.value < net_paid.value {
        return Err(refused(format!(
            "the package covers {} and would bring the total to {}, below the {} already paid",
            covered.stored(),
            total.stored(),
            net_paid.stored()
        )));
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_order_redeem_packages (order_id, company_id, order_line_item_id, \
         package_id, package_service_id, package_name, service_id, service_name, service_price, \
         quantity, customer_package_id, customer_package_service_id, covered_amount, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
    )
    .bind(order.id)
    .bind(order.company_id)
    .bind(redeemed.order_line_item_id)
    .bind(redeemed.package_id)
    .bind(redeemed.package_service_id)
    .bind(redeemed.package_name)
    .bind(line.service_id)
    .bind(&line.name)
    .bind(price.stored())
    .bind(redeemed.quantity)
    .bind(redeemed.customer_package_id)
    .bind(redeemed.customer_package_service_id)
    .bind(covered.stored())
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    settle(conn, ids, &order).await?;
    Ok(id)
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
        let cases = [
            ("0", "0", "UNPAID"),
            ("40", "0", "PARTIAL_PAID"),
            ("100", "0", "FULL_PAID"),
            ("100", "30", "PARTIAL_REFUNDED"),
            ("100", "100", "FULL_REFUNDED"),
        ];
        for (paid, refunded, expected) in cases {
            assert_eq!(
                payment_status(&total, &usd(paid), &usd(refunded)),
                expected,
                "{paid} {refunded}"
            );
        }
    }

    #[test]
    fn order_status_and_remain_follow_the_amounts() {
        let total = usd("10.5");
        assert_eq!(order_status(&total, &usd("0")), "CREATED");
        assert_eq!(order_status(&total, &usd("10.49")), "PROCESSING");
        assert_eq!(order_status(&total, &usd("10.5")), "COMPLETED");
        assert_eq!(remain(total, usd("4"), usd("1.25")).stored(), "7.75");
        assert_eq!(remain(total, usd("12"), usd("0")).stored(), "0");
    }

    #[test]
    fn percentages_must_be_fractions() {
        assert!(DiscountValue::percentage("r", "0.1").is_ok());
        for bad in ["0", "1.5", "-0.1", "ten"] {
            assert!(DiscountValue::percentage("r", bad).is_err(), "{bad}");
        }
    }
}
