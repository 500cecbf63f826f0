//! Operator verbs for memberships (the vendor's plans and subscriptions are made in its own
//! app): create a membership with its benefits and pet filters, subscribe a customer (the
//! periods already begun are billed at once), cancel a subscription (at its period's end or
//! now) and run the renewal sweep now. Fixture sections `memberships` and `subscriptions`
//! go through the same verbs. Services, pet types, sizes and coat types are named by name (or
//! by ID for services).

use moapi_core::db::Conn;
use moapi_core::time::{now_micros, parse_instant, protojson_timestamp};
use moapi_core::{AppState, IdKind};
use moapi_moego::company::store::CompanyRow;
use moapi_moego::membership::period::Cycle;
use moapi_moego::membership::renewal::{self, Sweep};
use moapi_moego::membership::store::{self as memberships, StoredBreed};
use moapi_moego::money::Amount;
use moapi_moego::order::ledger::{self, DiscountValue};
use rust_decimal::Decimal;
use serde::Deserialize;
use sqlx::AnyConnection;

use super::bookings::{check_time, full_name, SeedCalendar};
use super::{from_status, invalid, resolve_company, resolve_id, OperatorError, Result};
use crate::fixtures::MoegoCompany;

const MICROS_PER_DAY: i64 = 86_400_000_000;
/// How far back a subscription may start: every period since is billed when it is created.
const MAX_BACKDATE_DAYS: i64 = 3 * 366;
/// How far ahead a subscription may start.
const MAX_AHEAD_DAYS: i64 = 366;
/// Most benefits, filter entries or included services one membership may list.
const MAX_ENTRIES: usize = 100;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewMembershipRequest {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// ACTIVE (default) or INACTIVE.
    #[serde(default)]
    pub status: Option<String>,
    /// Decimal text, e.g. "29.99".
    pub price: String,
    /// ISO 4217; USD when absent. Subscriptions are billed at businesses charging in it.
    #[serde(default)]
    pub currency_code: Option<String>,
    /// Percent charged on each renewal, e.g. "8.625"; none when absent.
    #[serde(default)]
    pub tax_rate: Option<String>,
    #[serde(default)]
    pub tax_name: String,
    /// MONTHLY, ANNUALLY or WEEKLY; or give `billingCyclePeriod`.
    #[serde(default)]
    pub billing_cycle: Option<String>,
    #[serde(default)]
    pub billing_cycle_period: Option<CyclePeriod>,
    #[serde(default)]
    pub policy: String,
    #[serde(default)]
    pub enable_online_booking: bool,
    #[serde(default)]
    pub discounts: Vec<NewMembershipDiscount>,
    #[serde(default)]
    pub included_services: Vec<IncludedService>,
    /// Pet types and breeds the membership is for; every pet when empty.
    #[serde(default)]
    pub breeds: Vec<BreedEntry>,
    /// Names of the company's pet sizes the membership is for; every size when empty.
    #[serde(default)]
    pub pet_sizes: Vec<String>,
    /// Names of the company's coat types the membership is for; every coat when empty.
    #[serde(default)]
    pub coats: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CyclePeriod {
    /// google.type.CalendarPeriod name: DAY, WEEK, FORTNIGHT, MONTH, QUARTER, HALF, YEAR.
    pub unit: String,
    pub value: i64,
}

/// A discount on the subscriber's appointment services: `percentage` (a fraction, "0.1" is
/// 10 %) or `amount` (decimal text) off each eligible service, on the `services` listed or on
/// all.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewMembershipDiscount {
    #[serde(default)]
    pub percentage: Option<String>,
    #[serde(default)]
    pub amount: Option<String>,
    #[serde(default)]
    pub services: Vec<String>,
}

/// A service (name or `svc_` ID) included `quantity` times per period.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IncludedService {
    pub service: String,
    pub quantity: i64,
}

/// A pet type of the company (by name) and some of its breeds, or all of them.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BreedEntry {
    pub pet_type: String,
    #[serde(default)]
    pub breeds: Vec<String>,
    #[serde(default)]
    pub all: bool,
}

fn entries<T>(field: &str, items: &[T]) -> Result<()> {
    if items.len() > MAX_ENTRIES {
        return invalid(format!("{field}: at most {MAX_ENTRIES} entries"));
    }
    Ok(())
}

fn text(field: &str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.chars().count() > max || value.contains('\0') {
        return invalid(format!("{field}: at most {max} characters, no NUL"));
    }
    Ok(value.to_string())
}

/// A row of a company catalog table by name, case-insensitively.
async fn named_in(
    conn: &mut AnyConnection,
    table: &str,
    what: &str,
    company_id: i64,
    name: &str,
) -> Result<(i64, String)> {
    let sql = format!("SELECT id, name FROM {table} WHERE company_id = $1 AND LOWER(name) = $2");
    let row: Option<(i64, String)> = sqlx::query_as(&sql)
        .bind(company_id)
        .bind(name.trim().to_lowercase())
        .fetch_optional(conn)
        .await?;
    row.ok_or_else(|| OperatorError::NotFound(format!("the company has no {what} {name:?}")))
}

/// A service of the company by `svc_` ID, raw number or name.
async fn company_service(
    conn: &mut AnyConnection,
    state: &AppState,
    company_id: i64,
    reference: &str,
) -> Result<i64> {
    let by_id = reference
        .trim()
        .parse::<i64>()
        .ok()
        .or_else(|| state.ids.decode(IdKind::Service, reference.trim()).ok());
    let row: Option<(i64,)> = match by_id {
        Some(id) => {
            sqlx::query_as("SELECT id FROM moego_services WHERE id = $1 AND company_id = $2")
                .bind(id)
                .bind(company_id)
                .fetch_optional(&mut *conn)
                .await?
        }
        None => {
            sqlx::query_as(
                "SELECT id FROM moego_services WHERE company_id = $1 AND LOWER(name) = $2",
            )
            .bind(company_id)
            .bind(reference.trim().to_lowercase())
            .fetch_optional(&mut *conn)
            .await?
        }
    };
    row.map(|(id,)| id)
        .ok_or_else(|| OperatorError::NotFound(format!("the company has no service {reference:?}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|err| OperatorError::Internal(err.to_string()))
}

fn cycle_of(request: &NewMembershipRequest) -> Result<Cycle> {
    match (&request.billing_cycle, &request.billing_cycle_period) {
        (Some(name), None) => Cycle::of_billing_cycle(name).ok_or_else(|| {
            OperatorError::Invalid(format!(
                "billingCycle: {name:?} is not one of MONTHLY, ANNUALLY, WEEKLY"
            ))
        }),
        (None, Some(period)) => Cycle::parse(&period.unit, period.value)
            .map_err(|message| OperatorError::Invalid(format!("billingCyclePeriod: {message}"))),
        _ => invalid("give one of billingCycle and billingCyclePeriod"),
    }
}

fn amount(field: &str, currency: &str, value: &str) -> Result<Amount> {
    Amount::from_stored(currency, value.trim())
        .filter(|amount| !amount.value.is_sign_negative())
        .ok_or_else(|| {
            OperatorError::Invalid(format!(
                "{field}: {value:?} is not a non-negative decimal amount in {currency}"
            ))
        })
}

/// Creates a membership in a company at `at`; returns its `mem_` ID.
pub async fn create_membership(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    request: &NewMembershipRequest,
    at: i64,
) -> Result<String> {
    let company = resolve_company(state, db, company).await?;
    let name = text("name", &request.name, 100)?;
    if name.is_empty() {
        return invalid("name: 1 to 100 characters");
    }
    let description = text("description", &request.description, 1000)?;
    let policy = text("policy", &request.policy, 5000)?;
    let tax_name = text("taxName", &request.tax_name, 100)?;
    let status = request.status.as_deref().unwrap_or("ACTIVE");
    if !["ACTIVE", "INACTIVE"].contains(&status) {
        return invalid(format!("status: {status:?} is not one of ACTIVE, INACTIVE"));
    }
    let currency = request.currency_code.as_deref().unwrap_or("USD");
    let price = amount("price", currency, &request.price)?;
    let tax_rate = match &request.tax_rate {
        None => Decimal::ZERO,
        Some(rate) => rate
            .trim()
            .parse::<Decimal>()
            .ok()
            .filter(|rate| !rate.is_sign_negative() && *rate <= Decimal::ONE_HUNDRED)
            .ok_or_else(|| {
                OperatorError::Invalid(format!("taxRate: {rate:?} is not a percent from 0 to 100"))
            })?,
    };
    let cycle = cycle_of(request)?;
    entries("discounts", &request.discounts)?;
    entries("includedServices", &request.included_services)?;
    entries("breeds", &request.breeds)?;
    entries("petSizes", &request.pet_sizes)?;
    entries("coats", &request.coats)?;
    let conn = db.get().await?;
    let mut discounts = Vec::with_capacity(request.discounts.len());
    for (index, discount) in request.discounts.iter().enumerate() {
        let field = format!("discounts[{index}]");
        let (kind, value) = match (&discount.percentage, &discount.amount) {
            (Some(rate), None) => {
                let field = format!("{field}.percentage");
                let DiscountValue::Percentage(rate) =
                    DiscountValue::percentage(&field, rate).map_err(from_status)?
                else {
                    return invalid(format!("{field}: a fraction"));
                };
                ("PERCENTAGE", rate.normalize().to_string())
            }
            (None, Some(value)) => {
                let value = amount(&format!("{field}.amount"), currency, value)?;
                if value.value.is_zero() {
                    return invalid(format!("{field}.amount: must be greater than zero"));
                }
                ("AMOUNT", value.stored())
            }
            _ => return invalid(format!("{field}: give one of percentage and amount")),
        };
        entries(&format!("{field}.services"), &discount.services)?;
        let mut services = Vec::with_capacity(discount.services.len());
        for service in &discount.services {
            services.push(company_service(conn, state, company.id, service).await?);
        }
        discounts.push((kind, value, to_json(&services)?));
    }
    let mut included = Vec::with_capacity(request.included_services.len());
    for (index, entry) in request.included_services.iter().enumerate() {
        if !(1..=1000).contains(&entry.quantity) {
            return invalid(format!("includedServices[{index}].quantity: 1 to 1000"));
        }
        included.push((
            company_service(conn, state, company.id, &entry.service).await?,
            entry.quantity,
        ));
    }
    let mut breeds = Vec::with_capacity(request.breeds.len());
    for (index, entry) in request.breeds.iter().enumerate() {
        if entry.all != entry.breeds.is_empty() {
            return invalid(format!("breeds[{index}]: list breeds, or set all"));
        }
        let (pet_type_id, pet_type_name) = named_in(
            conn,
            "moego_pet_types",
            "pet type",
            company.id,
            &entry.pet_type,
        )
        .await?;
        breeds.push(StoredBreed {
            pet_type_id,
            pet_type_name,
            breeds: entry
                .breeds
                .iter()
                .map(|breed| text(&format!("breeds[{index}].breeds"), breed, 100))
                .collect::<Result<_>>()?,
            is_all: entry.all,
        });
    }
    let mut sizes = Vec::with_capacity(request.pet_sizes.len());
    for size in &request.pet_sizes {
        sizes.push(
            named_in(conn, "moego_pet_sizes", "pet size", company.id, size)
                .await?
                .0,
        );
    }
    let mut coats = Vec::with_capacity(request.coats.len());
    for coat in &request.coats {
        coats.push(
            named_in(conn, "moego_pet_coat_types", "coat type", company.id, coat)
                .await?
                .0,
        );
    }
    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_memberships (company_id, name, description, status, currency_code, \
         price, tax_rate, tax_name, period_unit, period_value, policy, enable_online_booking, \
         breed_filter, customized_breeds, pet_size_filter, customized_pet_sizes, coat_filter, \
         customized_coats, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
         $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19) RETURNING id",
    )
    .bind(company.id)
    .bind(&name)
    .bind(&description)
    .bind(status)
    .bind(price.currency.as_str())
    .bind(price.stored())
    .bind(tax_rate.normalize().to_string())
    .bind(&tax_name)
    .bind(cycle.unit_name())
    .bind(i64::from(cycle.value()))
    .bind(&policy)
    .bind(i64::from(request.enable_online_booking))
    .bind(i64::from(!breeds.is_empty()))
    .bind(to_json(&breeds)?)
    .bind(i64::from(!sizes.is_empty()))
    .bind(to_json(&sizes)?)
    .bind(i64::from(!coats.is_empty()))
    .bind(to_json(&coats)?)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    for (kind, value, services) in &discounts {
        sqlx::query(
            "INSERT INTO moego_membership_discounts (membership_id, kind, value, service_ids) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(*kind)
        .bind(value)
        .bind(services)
        .execute(&mut *tx)
        .await?;
    }
    for (service_id, quantity) in &included {
        sqlx::query(
            "INSERT INTO moego_membership_quantities (membership_id, service_id, quantity) \
             VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(service_id)
        .bind(quantity)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(state.ids.encode(IdKind::Membership, id))
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewSubscriptionRequest {
    /// `cus_` ID or raw number.
    pub customer_id: String,
    /// `mem_` ID or raw number; an ACTIVE membership of the company.
    pub membership_id: String,
    /// RFC 3339; now when absent. At most three years back (every period since is billed)
    /// and a year ahead.
    #[serde(default)]
    pub start_time: Option<String>,
    /// Decimal text in the membership's currency; the membership's price when absent.
    #[serde(default)]
    pub price: Option<String>,
    /// Serve one period and stop.
    #[serde(default)]
    pub cancel_at_period_end: bool,
    /// Where renewals are billed (`bus_` ID or raw number); the customer's preferred business,
    /// else the company's first, when absent.
    #[serde(default)]
    pub business_id: Option<String>,
}

/// Subscribes a company's customer to a membership at `at` and bills, in the same
/// transaction, every period begun by then; returns its `sub_` ID.
pub async fn subscribe(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    request: &NewSubscriptionRequest,
    at: i64,
) -> Result<String> {
    let company = resolve_company(state, db, company).await?;
    let customer_id = resolve_id(state, IdKind::Customer, &request.customer_id)?;
    let membership_id = resolve_id(state, IdKind::Membership, &request.membership_id)?;
    let start = match request.start_time.as_deref() {
        None => at,
        Some(text) => parse_instant(text).ok_or_else(|| {
            OperatorError::Invalid(format!("startTime: {text:?} is not an RFC 3339 timestamp"))
        })?,
    };
    if start < at - MAX_BACKDATE_DAYS * MICROS_PER_DAY
        || start > at + MAX_AHEAD_DAYS * MICROS_PER_DAY
    {
        return invalid(format!(
            "startTime: at most {MAX_BACKDATE_DAYS} days back and {MAX_AHEAD_DAYS} days ahead"
        ));
    }
    let conn = db.get().await?;
    let membership = memberships::find_membership(conn, membership_id)
        .await?
        .filter(|membership| membership.company_id == company.id)
        .ok_or_else(|| {
            OperatorError::NotFound(format!(
                "the company has no membership {}",
                request.membership_id
            ))
        })?;
    if membership.status != "ACTIVE" {
        return invalid(format!(
            "membership {} is {}: only an ACTIVE membership takes new subscriptions",
            request.membership_id, membership.status
        ));
    }
    let customer: Option<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT company_id, preferred_business_id FROM moego_customers \
         WHERE id = $1 AND deleted = 0",
    )
    .bind(customer_id)
    .fetch_optional(&mut *conn)
    .await?;
    let preferred = match customer {
        Some((owner, preferred)) if owner == company.id => preferred,
        _ => {
            return Err(OperatorError::NotFound(format!(
                "customer {} not found in the company",
                request.customer_id
            )))
        }
    };
    let business_id = billing_business(state, conn, &company, request, preferred).await?;
    let billed_in = ledger::business_tax(conn, business_id)
        .await
        .map_err(from_status)?
        .currency();
    if billed_in.as_str() != membership.currency_code {
        return invalid(format!(
            "membership {} is priced in {}, the business bills in {}",
            request.membership_id,
            membership.currency_code,
            billed_in.as_str()
        ));
    }
    let price = match &request.price {
        Some(price) => amount("price", &membership.currency_code, price)?,
        None => membership.price().map_err(from_status)?,
    };
    let cycle = membership.cycle().map_err(from_status)?;
    // Cancelled at the end of its first period: it never renews.
    let ends_at = request
        .cancel_at_period_end
        .then(|| cycle.period_start(start, 1));
    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_subscriptions (company_id, business_id, customer_id, membership_id, \
         currency_code, price, start_at, cancel_at_period_end, cancelled_at, ends_at, \
         next_bill_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $7, $11, $11) RETURNING id",
    )
    .bind(company.id)
    .bind(business_id)
    .bind(customer_id)
    .bind(membership.id)
    .bind(&membership.currency_code)
    .bind(price.stored())
    .bind(start)
    .bind(i64::from(request.cancel_at_period_end))
    .bind(ends_at.map(|_| at))
    .bind(ends_at)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    renewal::bill_due_periods(&mut tx, id, at)
        .await
        .map_err(from_status)?;
    tx.commit().await?;
    Ok(state.ids.encode(IdKind::Subscription, id))
}

/// The business a subscription's renewals are billed at: the one asked for, else the
/// customer's preferred business, else the company's first.
async fn billing_business(
    state: &AppState,
    conn: &mut AnyConnection,
    company: &CompanyRow,
    request: &NewSubscriptionRequest,
    preferred: Option<i64>,
) -> Result<i64> {
    let owned = moapi_moego::business::store::ids_of_company(conn, company.id).await?;
    let wanted = match &request.business_id {
        Some(reference) => Some(resolve_id(state, IdKind::Business, reference)?),
        None => preferred.or_else(|| owned.iter().min().copied()),
    };
    match wanted {
        Some(id) if owned.contains(&id) => Ok(id),
        Some(_) => Err(OperatorError::NotFound(format!(
            "business {} not found in the company",
            request.business_id.as_deref().unwrap_or_default()
        ))),
        None => invalid("the company has no business to bill the subscription at"),
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CancelSubscriptionRequest {
    /// Serve the period in progress and stop at its end; stop now otherwise.
    #[serde(default)]
    pub at_period_end: bool,
}

/// Cancels a subscription at `at`: now, or at the end of the period in progress. One that has
/// ended, or is already to end with its period, is refused.
pub async fn cancel_subscription(
    state: &AppState,
    db: &mut Conn,
    subscription: &str,
    request: &CancelSubscriptionRequest,
    at: i64,
) -> Result<()> {
    let id = resolve_id(state, IdKind::Subscription, subscription)?;
    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    if !memberships::lock_subscription(&mut tx, id).await? {
        return Err(OperatorError::NotFound(format!(
            "subscription {subscription} not found"
        )));
    }
    let row = memberships::find_subscription(&mut tx, id)
        .await?
        .ok_or_else(|| OperatorError::NotFound(format!("subscription {subscription} not found")))?;
    // One cancelled at its period's end may still be stopped now, before that end.
    if let Some(ends_at) = row
        .ends_at
        .filter(|end| *end <= at || request.at_period_end)
    {
        return invalid(format!(
            "subscription {subscription} is already cancelled: it ends at {}",
            protojson_timestamp(ends_at)
        ));
    }
    let span = row.span().map_err(from_status)?;
    let ends_at = if request.at_period_end {
        span.cycle.period_end(span.start, at)
    } else {
        at
    };
    let next_bill_at = row.next_bill_at.filter(|next| *next < ends_at);
    sqlx::query(
        "UPDATE moego_subscriptions SET cancel_at_period_end = $2, cancelled_at = $3, \
         ends_at = $4, next_bill_at = $5, updated_at = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(i64::from(request.at_period_end))
    .bind(at)
    .bind(ends_at)
    .bind(next_bill_at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Bills every subscription period begun by `at` that no one billed yet.
pub async fn run_renewals(db: &mut Conn, at: i64) -> Result<Sweep> {
    Ok(renewal::sweep(db, at).await?)
}

/// A subscription of the company fixture, named by name: its customer ("First Last") and
/// membership, starting `day` days from the seed day at `start` minutes after local midnight
/// (as appointments count). Its periods begun by the seed are billed at their starts.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureSubscription {
    pub customer: String,
    pub membership: String,
    pub day: i64,
    #[serde(default = "nine")]
    pub start: i64,
    #[serde(default)]
    pub price: Option<String>,
    #[serde(default)]
    pub cancel_at_period_end: bool,
    /// Cancelled at once on this day (same `start` minutes, never after the seed's instant).
    #[serde(default)]
    pub cancelled_day: Option<i64>,
    /// The business (by name) renewals are billed at.
    #[serde(default)]
    pub business: Option<String>,
}

fn nine() -> i64 {
    9 * 60
}

/// Checks the names and days of the company's memberships and subscriptions before any write.
pub fn validate_company(company: &MoegoCompany) -> Result<()> {
    let mut names = std::collections::HashSet::new();
    for (index, membership) in company.memberships.iter().enumerate() {
        let what = format!("company {:?}: memberships[{index}]", company.name);
        if membership.name.trim().is_empty() || !names.insert(membership.name.trim()) {
            return invalid(format!("{what}: a name of its own is required"));
        }
        cycle_of(membership).map_err(|err| OperatorError::Invalid(format!("{what}: {err}")))?;
        let services: Vec<&String> = membership
            .discounts
            .iter()
            .flat_map(|discount| &discount.services)
            .chain(
                membership
                    .included_services
                    .iter()
                    .map(|entry| &entry.service),
            )
            .collect();
        let service_names: Vec<&String> = company.services.iter().map(|s| &s.name).collect();
        let size_names: Vec<&String> = company.pet_sizes.iter().map(|s| &s.name).collect();
        let pet_types: Vec<&String> = membership.breeds.iter().map(|b| &b.pet_type).collect();
        let checks = [
            ("service", services, service_names),
            ("pet type", pet_types, company.pet_types.iter().collect()),
            (
                "pet size",
                membership.pet_sizes.iter().collect(),
                size_names,
            ),
            (
                "coat type",
                membership.coats.iter().collect(),
                company.pet_coat_types.iter().collect(),
            ),
        ];
        for (kind, named, catalog) in checks {
            if let Some(name) = named.iter().find(|name| {
                !catalog
                    .iter()
                    .any(|known| known.eq_ignore_ascii_case(name.trim()))
            }) {
                return invalid(format!("{what} names unknown {kind} {name:?}"));
            }
        }
    }
    let calendar = SeedCalendar::in_zone(moapi_moego::company::time_zone(&company.timezone));
    for (index, fixture) in company.subscriptions.iter().enumerate() {
        let what = format!("company {:?}: subscriptions[{index}]", company.name);
        if !company
            .customers
            .iter()
            .any(|c| full_name(&c.first_name, &c.last_name) == fixture.customer.trim())
        {
            return invalid(format!(
                "{what} names unknown customer {:?}",
                fixture.customer
            ));
        }
        if !company
            .memberships
            .iter()
            .any(|m| m.name.trim() == fixture.membership.trim())
        {
            return invalid(format!(
                "{what} names unknown membership {:?}",
                fixture.membership
            ));
        }
        if let Some(business) = &fixture.business {
            if !company.businesses.iter().any(|b| &b.name == business) {
                return invalid(format!("{what} names unknown business {business:?}"));
            }
        }
        check_time(&what, calendar, fixture.day, fixture.start)?;
        if let Some(day) = fixture.cancelled_day {
            check_time(&what, calendar, day, fixture.start)?;
            if day < fixture.day || fixture.cancel_at_period_end {
                return invalid(format!(
                    "{what}: cancelledDay must not be before day, nor given with cancelAtPeriodEnd"
                ));
            }
        }
    }
    Ok(())
}

/// Creates the company's memberships, then its subscriptions (billing their periods begun by
/// the seed), after its appointments: the demo's appointment orders stay as they were booked.
pub async fn seed_company(
    state: &AppState,
    db: &mut Conn,
    company: &CompanyRow,
    fixture: &MoegoCompany,
) -> Result<()> {
    let company_ref = company.id.to_string();
    let mut membership_ids = Vec::with_capacity(fixture.memberships.len());
    for (index, membership) in fixture.memberships.iter().enumerate() {
        let at = now_micros();
        let id = create_membership(state, db, &company_ref, membership, at)
            .await
            .map_err(|err| in_fixture(err, &fixture.name, "memberships", index))?;
        membership_ids.push((membership.name.trim().to_string(), id));
    }
    let calendar = SeedCalendar::in_zone(moapi_moego::company::time_zone(&company.timezone_id));
    for (index, subscription) in fixture.subscriptions.iter().enumerate() {
        let instant = |day: i64| -> Result<i64> {
            let interval = calendar.at(day, subscription.start, None)?;
            interval
                .start_time
                .as_deref()
                .and_then(parse_instant)
                .ok_or_else(|| OperatorError::Internal("a seed instant".into()))
        };
        let start = instant(subscription.day)?;
        let customer: (i64,) = sqlx::query_as(
            "SELECT id FROM moego_customers WHERE company_id = $1 AND deleted = 0 \
             AND TRIM(first_name || ' ' || last_name) = $2",
        )
        .bind(company.id)
        .bind(subscription.customer.trim())
        .fetch_one(db.get().await?)
        .await?;
        let business = match &subscription.business {
            Some(name) => {
                let (id,): (i64,) = sqlx::query_as(
                    "SELECT id FROM moego_businesses WHERE company_id = $1 AND name = $2",
                )
                .bind(company.id)
                .bind(name)
                .fetch_one(db.get().await?)
                .await?;
                Some(id.to_string())
            }
            None => None,
        };
        let membership = membership_ids
            .iter()
            .find(|(name, _)| name == subscription.membership.trim())
            .map(|(_, id)| id.clone())
            .ok_or_else(|| OperatorError::Internal("a validated membership name".into()))?;
        let request = NewSubscriptionRequest {
            customer_id: customer.0.to_string(),
            membership_id: membership,
            start_time: Some(protojson_timestamp(start)),
            price: subscription.price.clone(),
            cancel_at_period_end: subscription.cancel_at_period_end,
            business_id: business,
        };
        let id = subscribe(state, db, &company_ref, &request, calendar.now)
            .await
            .map_err(|err| in_fixture(err, &fixture.name, "subscriptions", index))?;
        if let Some(day) = subscription.cancelled_day {
            let at = instant(day)?.min(calendar.now);
            cancel_subscription(state, db, &id, &CancelSubscriptionRequest::default(), at)
                .await
                .map_err(|err| in_fixture(err, &fixture.name, "subscriptions", index))?;
        }
    }
    Ok(())
}

fn in_fixture(err: OperatorError, company: &str, section: &str, index: usize) -> OperatorError {
    match err {
        OperatorError::Invalid(message) => OperatorError::Invalid(format!(
            "company {company:?}: {section}[{index}]: {message}"
        )),
        OperatorError::NotFound(message) => OperatorError::Invalid(format!(
            "company {company:?}: {section}[{index}]: {message}"
        )),
        other => other,
    }
}
