//! Operator verbs for the money the vendor takes in its own app and terminals: a retail-style
//! sale (an order with line items), payments, refunds, discounts and redeemed packages. Each
//! is one transaction through the order ledger, which recomputes the order's amounts, stamped
//! `at` the instant the caller gives: now for `/admin/v1`, the history it describes for the
//! demo seed (`bookings`).

use moapi_core::db::Conn;
use moapi_core::{AppState, IdKind};
use moapi_moego::discount;
use moapi_moego::money::Amount;
use moapi_moego::order::ledger::{
    self, DiscountValue, NewDiscount, NewOrder, NewPayment, NewRefund, SaleLine,
};
use moapi_moego::order::store as orders;
use moapi_moego::package::redeem::{self, Redemption};
use moapi_moego::payment::store as payments;
use serde::Deserialize;

use super::retail::{self, Goods};
use super::{
    from_status, invalid, resolve_businesses, resolve_company, resolve_id, OperatorError, Result,
};

/// Most lines one sale may have.
const MAX_LINES: usize = 100;
/// Most packages one line may sell (each becomes a package the customer holds).
const MAX_PACKAGES_PER_LINE: i64 = 100;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewSaleLine {
    /// Required but for a product or package line, which defaults to its name.
    #[serde(default)]
    pub name: String,
    /// Decimal text in the order's currency, e.g. "12.50". Required but for a product line
    /// (default: its special price, else its retail price) or a package line (its price).
    #[serde(default)]
    pub unit_price: Option<String>,
    #[serde(default = "one")]
    pub quantity: i64,
    /// A service of the company's catalog (`svc_` or raw): a SERVICE line.
    #[serde(default)]
    pub service_id: Option<String>,
    /// A product of the business (`prd_` or raw): a PRODUCT line taking from its stock.
    #[serde(default)]
    pub product_id: Option<String>,
    /// A package of the business's catalog (`pkg_` or raw): a PACKAGE line, each unit a
    /// package the customer then holds.
    #[serde(default)]
    pub package_id: Option<String>,
}

fn one() -> i64 {
    1
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewSaleRequest {
    pub business_id: String,
    pub customer_id: String,
    #[serde(default)]
    pub title: String,
    /// The business's currency (ISO 4217); USD when absent.
    #[serde(default = "usd")]
    pub currency_code: String,
    pub lines: Vec<NewSaleLine>,
}

fn usd() -> String {
    "USD".to_string()
}

fn amount(field: &str, currency: &str, text: &str) -> Result<Amount> {
    Amount::from_stored(currency, text.trim()).ok_or_else(|| {
        OperatorError::Invalid(format!(
            "{field}: {text:?} is not a decimal amount in {currency:?}"
        ))
    })
}

/// Runs one ledger write in its own transaction, queued behind this process's other SQLite
/// writers (see `Conn::write_gate`). A refused write is rolled back before the gate opens:
/// a transaction merely dropped rolls back later, and the next writer would find SQLite's
/// write lock still taken.
macro_rules! in_transaction {
    ($db:expr, |$tx:ident| $write:expr) => {{
        let _gate = $db.write_gate().await;
        let mut $tx = $db.begin().await?;
        match $write.await {
            Ok(id) => {
                $tx.commit().await?;
                id
            }
            Err(status) => {
                $tx.rollback().await?;
                return Err(from_status(status));
            }
        }
    }};
}

/// Opens an order of a company's customer at one of its businesses (taxed at the business's
/// rate); returns its `ord_` ID.
pub async fn create_sale(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    request: &NewSaleRequest,
    at: i64,
) -> Result<String> {
    let company = resolve_company(state, db, company).await?;
    let business_id = resolve_businesses(
        state,
        db,
        company.id,
        std::slice::from_ref(&request.business_id),
    )
    .await?[0];
    let customer_id = resolve_id(state, IdKind::Customer, &request.customer_id)?;
    let owner: Option<(i64,)> =
        sqlx::query_as("SELECT company_id FROM moego_customers WHERE id = $1 AND deleted = 0")
            .bind(customer_id)
            .fetch_optional(db.get().await?)
            .await?;
    if owner != Some((company.id,)) {
        return Err(OperatorError::NotFound(format!(
            "customer {} not found in the company",
            request.customer_id
        )));
    }
    if request.lines.is_empty() || request.lines.len() > MAX_LINES {
        return invalid(format!("lines: 1 to {MAX_LINES} lines"));
    }
    let mut lines = Vec::with_capacity(request.lines.len());
    let mut goods = Vec::with_capacity(request.lines.len());
    for (index, line) in request.lines.iter().enumerate() {
        let (object_type, object_id, sold, default_name, default_price) =
            match (&line.service_id, &line.product_id, &line.package_id) {
                (None, None, None) => ("PRODUCT", None, Goods::Plain, String::new(), None),
                (Some(service), None, None) => {
                    let id = company_service(state, db, company.id, service).await?;
                    ("SERVICE", Some(id), Goods::Plain, String::new(), None)
                }
                (None, Some(product), None) => {
                    let (sold, name, price) =
                        retail::product_for_sale(state, db, business_id, product).await?;
                    ("PRODUCT", sold.object_id(), sold, name, Some(price))
                }
                (None, None, Some(package)) => {
                    if line.quantity > MAX_PACKAGES_PER_LINE {
                        return invalid(format!(
                            "lines[{index}].quantity: at most {MAX_PACKAGES_PER_LINE} packages"
                        ));
                    }
                    let (sold, name, price) =
                        retail::package_for_sale(state, db, business_id, package).await?;
                    ("PACKAGE", sold.object_id(), sold, name, Some(price))
                }
                _ => {
                    return invalid(format!(
                        "lines[{index}]: name at most one of serviceId, productId and packageId"
                    ))
                }
            };
        let name = match line.name.trim() {
            "" => default_name.as_str(),
            name => name,
        };
        if name.is_empty() || name.chars().count() > 255 {
            return invalid(format!("lines[{index}].name: 1 to 255 characters"));
        }
        let field = format!("lines[{index}].unitPrice");
        let unit_price = match (&line.unit_price, &default_price) {
            (Some(text), _) | (None, Some(text)) => amount(&field, &request.currency_code, text)?,
            (None, None) => return invalid(format!("{field}: value is required")),
        };
        lines.push(SaleLine {
            object_type,
            object_id,
            pet_detail_id: None,
            name: name.to_string(),
            unit_price,
            quantity: line.quantity,
        });
        goods.push(sold);
    }
    let order = NewOrder {
        company_id: company.id,
        business_id,
        customer_id,
        appointment_id: None,
        title: request.title.trim().to_string(),
        created_by: "",
        lines: Vec::new(),
    };
    let zone = moapi_moego::company::time_zone(&company.timezone_id);
    let id = in_transaction!(db, |tx| retail::record_sale(
        &mut tx, &order, &lines, &goods, zone, at
    ))
    .id;
    Ok(state.ids.encode(IdKind::Order, id))
}

async fn company_service(
    state: &AppState,
    db: &mut Conn,
    company_id: i64,
    reference: &str,
) -> Result<i64> {
    let id = resolve_id(state, IdKind::Service, reference)?;
    let owner: Option<(i64,)> =
        sqlx::query_as("SELECT company_id FROM moego_services WHERE id = $1")
            .bind(id)
            .fetch_optional(db.get().await?)
            .await?;
    match owner {
        Some((owner,)) if owner == company_id => Ok(id),
        _ => Err(OperatorError::NotFound(format!(
            "service {reference} not found in the company"
        ))),
    }
}

async fn find_order(state: &AppState, db: &mut Conn, reference: &str) -> Result<orders::OrderRow> {
    let id = resolve_id(state, IdKind::Order, reference)?;
    orders::find(db.get().await?, id)
        .await?
        .ok_or_else(|| OperatorError::NotFound(format!("order {reference} not found")))
}

/// A line of the order, by `oli_` ID or raw number.
fn order_line(state: &AppState, reference: Option<&str>) -> Result<Option<i64>> {
    reference
        .map(|line| resolve_id(state, IdKind::OrderLineItem, line))
        .transpose()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewPaymentRequest {
    /// Decimal text in the order's currency.
    pub amount: String,
    /// "cash", "credit_card", "check", ...
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub processing_fee: Option<String>,
}

/// Records a payment of an order (at most what it still owes); returns its `pay_` ID.
pub async fn record_payment(
    state: &AppState,
    db: &mut Conn,
    order: &str,
    request: &NewPaymentRequest,
    at: i64,
) -> Result<String> {
    let row = find_order(state, db, order).await?;
    let payment = NewPayment {
        order_id: row.id,
        method: request.method.trim(),
        amount: amount("amount", &row.currency_code, &request.amount)?,
        processing_fee: request
            .processing_fee
            .as_deref()
            .map(|fee| amount("processingFee", &row.currency_code, fee))
            .transpose()?,
        recorded_by: "",
    };
    let id = in_transaction!(db, |tx| ledger::record_payment(
        &mut tx, &state.ids, &payment, at
    ));
    Ok(state.ids.encode(IdKind::Payment, id))
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewRefundRequest {
    /// Decimal text in the payment's currency.
    pub amount: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub staff_id: Option<String>,
}

/// Refunds part or all of a payment (at most what is left of it); returns its `rfd_` ID.
pub async fn refund_payment(
    state: &AppState,
    db: &mut Conn,
    payment: &str,
    request: &NewRefundRequest,
    at: i64,
) -> Result<String> {
    let id = resolve_id(state, IdKind::Payment, payment)?;
    let row = payments::find(db.get().await?, id)
        .await?
        .ok_or_else(|| OperatorError::NotFound(format!("payment {payment} not found")))?;
    let staff_id = request
        .staff_id
        .as_deref()
        .map(|staff| resolve_id(state, IdKind::Staff, staff))
        .transpose()?;
    let refund = NewRefund {
        order_id: row.order_id,
        payment_id: row.id,
        amount: amount("amount", &row.currency_code, &request.amount)?,
        reason: request.reason.trim(),
        staff_id,
    };
    let id = in_transaction!(db, |tx| ledger::refund_payment(
        &mut tx, &state.ids, &refund, at
    ));
    Ok(state.ids.encode(IdKind::Refund, id))
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewDiscountRequest {
    /// A fixed amount off, decimal text in the order's currency...
    #[serde(default)]
    pub amount: Option<String>,
    /// ...or a fraction of the line or the subtotal ("0.1" is 10 %).
    #[serde(default)]
    pub percentage: Option<String>,
    /// The line it applies to; the whole order without it.
    #[serde(default)]
    pub order_item_id: Option<String>,
    /// A discount code of the order's company, by its text (`code`) or its `dsc_` ID: its
    /// value, limits and eligibility apply, and the redemption is counted on it.
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub discount_code_id: Option<String>,
}

/// Applies a discount to an order (or one of its lines), or redeems a discount code on it;
/// returns its `odc_` ID.
pub async fn apply_discount(
    state: &AppState,
    db: &mut Conn,
    order: &str,
    request: &NewDiscountRequest,
    at: i64,
) -> Result<String> {
    let row = find_order(state, db, order).await?;
    let code = match (&request.code, &request.discount_code_id) {
        (None, None) => None,
        (Some(code), None) => Some(
            discount::code_of(db.get().await?, row.company_id, code.trim())
                .await
                .map_err(from_status)?,
        ),
        (None, Some(id)) => Some(
            discount::store::find(
                db.get().await?,
                resolve_id(state, IdKind::DiscountCode, id.trim())?,
            )
            .await
            .map_err(from_status)?
            .filter(|code| code.company_id == row.company_id)
            .ok_or_else(|| {
                OperatorError::NotFound(format!("discount code {id} not found in the company"))
            })?,
        ),
        (Some(_), Some(_)) => return invalid("give code or discountCodeId, not both"),
    };
    if let Some(code) = code {
        if request.amount.is_some()
            || request.percentage.is_some()
            || request.order_item_id.is_some()
        {
            return invalid("a discount code brings its own value: leave out amount, percentage and orderItemId");
        }
        let target = discount::redeem::Target {
            order_id: row.id,
            company_id: row.company_id,
            business_id: row.business_id,
            customer_id: row.customer_id,
            total: row.amount(&row.total_amount).map_err(from_status)?,
        };
        let id = in_transaction!(db, |tx| discount::redeem::redeem(
            &mut tx, &state.ids, &code, &target, "", at
        ));
        return Ok(state.ids.encode(IdKind::OrderDiscount, id));
    }
    let value = match (&request.amount, &request.percentage) {
        (Some(text), None) => DiscountValue::Amount(amount("amount", &row.currency_code, text)?),
        (None, Some(text)) => DiscountValue::percentage("percentage", text).map_err(from_status)?,
        _ => return invalid("give exactly one of amount and percentage, or a code"),
    };
    let discount = NewDiscount {
        order_id: row.id,
        order_item_id: order_line(state, request.order_item_id.as_deref())?,
        value,
        apply_by: "",
        discount_code_id: "",
    };
    let id = in_transaction!(db, |tx| ledger::apply_discount(
        &mut tx, &state.ids, &discount, at
    ));
    Ok(state.ids.encode(IdKind::OrderDiscount, id))
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewRedeemPackageRequest {
    /// The customer's package (`cpk_` or raw).
    pub package_id: String,
    /// The package's item to take from (`pks_` or raw); the first covering the service with
    /// enough left without it.
    #[serde(default)]
    pub package_service_id: Option<String>,
    /// The order's line it covers (`oli_` or raw)...
    #[serde(default)]
    pub order_line_item_id: Option<String>,
    /// ...or the service whose line it covers (`svc_` or raw): the order's first line of it.
    #[serde(default)]
    pub service_id: Option<String>,
    #[serde(default = "one")]
    pub quantity: i64,
}

/// Redeems a customer's package on a line of an order: takes from what remains of it and takes
/// what it covers off the order's total. Returns the redemption's `orp_` ID.
pub async fn record_redeem_package(
    state: &AppState,
    db: &mut Conn,
    order: &str,
    request: &NewRedeemPackageRequest,
    at: i64,
) -> Result<String> {
    let row = find_order(state, db, order).await?;
    let customer_package_id = resolve_id(state, IdKind::CustomerPackage, &request.package_id)?;
    let package_service_id = request
        .package_service_id
        .as_deref()
        .map(|item| resolve_id(state, IdKind::PackageService, item))
        .transpose()?;
    let order_line_item_id = match (&request.order_line_item_id, &request.service_id) {
        (Some(line), None) => resolve_id(state, IdKind::OrderLineItem, line)?,
        (None, Some(service)) => {
            let service_id = resolve_id(state, IdKind::Service, service)?;
            let line: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM moego_order_line_items WHERE order_id = $1 \
                 AND object_type = 'SERVICE' AND object_id = $2 ORDER BY id LIMIT 1",
            )
            .bind(row.id)
            .bind(service_id)
            .fetch_optional(db.get().await?)
            .await?;
            line.ok_or_else(|| {
                OperatorError::NotFound(format!("serviceId: the order bills no {service}"))
            })?
            .0
        }
        _ => return invalid("give exactly one of orderLineItemId and serviceId"),
    };
    let redemption = Redemption {
        order_id: row.id,
        customer_package_id,
        package_service_id,
        order_line_item_id,
        quantity: request.quantity,
    };
    let id = in_transaction!(db, |tx| redeem::redeem(
        &mut tx,
        &state.ids,
        &redemption,
        at
    ));
    Ok(state.ids.encode(IdKind::OrderRedeemPackage, id))
}
