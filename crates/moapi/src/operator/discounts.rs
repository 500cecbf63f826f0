//! Operator verbs for discount codes: creating one in any stored status (the API creates
//! them ACTIVE), moving it between ACTIVE, INACTIVE and ARCHIVED, deleting it, and the
//! fixture section `discountCodes`, whose validity counts days from the seed day.

use moapi_core::db::Conn;
use moapi_core::time::now_micros;
use moapi_core::{AppState, IdKind};
use moapi_moego::company;
use moapi_moego::discount::wire::{Discount, DiscountLimitation, DiscountStatus};
use moapi_moego::discount::{self, input, store};
use moapi_moego::wire::Interval;
use serde::Deserialize;

use super::bookings::{Names, SeedCalendar};
use super::{found, from_status, invalid, resolve_company, OperatorError, Result};
use crate::fixtures::MoegoCompany;

/// The stored status an operator may give; EXPIRED follows from the code's times.
fn stored_status(status: DiscountStatus) -> Result<DiscountStatus> {
    match status {
        DiscountStatus::Unspecified => Ok(DiscountStatus::Active),
        DiscountStatus::Expired => invalid(
            "status: EXPIRED follows from expiryTime or validPeriod; give ACTIVE, INACTIVE or ARCHIVED",
        ),
        other => Ok(other),
    }
}

async fn owner(
    state: &AppState,
    db: &mut Conn,
    company: &str,
) -> Result<moapi_core::auth::CompanyOwner> {
    let row = resolve_company(state, db, company).await?;
    company::store::owner(db.get().await?, row.id)
        .await?
        .ok_or_else(|| OperatorError::NotFound(format!("company {company} not found")))
}

/// Creates a code of a company from a `v1Discount` (its `status` included) at `at`; returns
/// the code.
pub async fn create_code(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    discount: &Discount,
    at: i64,
) -> Result<Discount> {
    let owner = owner(state, db, company).await?;
    let mut values = input::checked(state, db.get().await?, None, owner, discount)
        .await
        .map_err(from_status)?;
    values.status = stored_status(discount.status)?;
    let row = discount::create(db, owner, &values, at)
        .await
        .map_err(from_status)?;
    row.to_wire(&state.ids, at).map_err(from_status)
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CodeStatusRequest {
    pub status: DiscountStatus,
}

/// Sets a code's stored status (ACTIVE, INACTIVE or ARCHIVED).
pub async fn set_status(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    code: &str,
    request: &CodeStatusRequest,
) -> Result<()> {
    let owner = owner(state, db, company).await?;
    let status = stored_status(request.status)?;
    let _gate = db.write_gate().await;
    let changed = store::set_status(
        db.get().await?,
        owner.company_id,
        code,
        Some(status),
        now_micros(),
    )
    .await
    .map_err(from_status)?;
    found(changed, "discount code", code)
}

/// Deletes a code: it leaves the lists; orders it was applied to keep their discounts.
pub async fn delete_code(state: &AppState, db: &mut Conn, company: &str, code: &str) -> Result<()> {
    let owner = owner(state, db, company).await?;
    let _gate = db.write_gate().await;
    let changed = store::set_status(db.get().await?, owner.company_id, code, None, now_micros())
        .await
        .map_err(from_status)?;
    found(changed, "discount code", code)
}

/// A fixture code: a `v1Discount` whose limitation names businesses and customers by name and
/// whose times count days from the seed day (local midnight in the company's time zone).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FixtureDiscountCode {
    #[serde(flatten)]
    pub discount: Discount,
    /// Business names (empty: every business).
    #[serde(default)]
    pub businesses: Vec<String>,
    /// Customer names, "First Last" (empty: every customer).
    #[serde(default)]
    pub customers: Vec<String>,
    pub valid_from_day: Option<i64>,
    pub valid_until_day: Option<i64>,
    pub expires_day: Option<i64>,
}

/// Seeds the company's discount codes, before its appointments (which may redeem them).
pub async fn seed_company(
    state: &AppState,
    db: &mut Conn,
    company_row: &company::store::CompanyRow,
    fixture: &MoegoCompany,
) -> Result<()> {
    if fixture.discount_codes.is_empty() {
        return Ok(());
    }
    let names = Names::load(state, db, company_row.id).await?;
    let calendar = SeedCalendar::in_zone(company::time_zone(&company_row.timezone_id));
    let company_id = state.ids.encode(IdKind::Company, company_row.id);
    for (index, code) in fixture.discount_codes.iter().enumerate() {
        let context = |err: OperatorError| err.in_fixture(&fixture.name, "discountCodes", index);
        let discount = fixture_discount(state, &names, calendar, code).map_err(context)?;
        create_code(state, db, &company_id, &discount, calendar.now)
            .await
            .map_err(context)?;
    }
    Ok(())
}

fn fixture_discount(
    state: &AppState,
    names: &Names,
    calendar: SeedCalendar,
    code: &FixtureDiscountCode,
) -> Result<Discount> {
    let day = |day: Option<i64>| day.map(|day| calendar.instant(day, 0)).transpose();
    let (from, until) = (day(code.valid_from_day)?, day(code.valid_until_day)?);
    let mut discount = code.discount.clone();
    if from.is_some() || until.is_some() {
        discount.valid_period = Some(Interval::from_micros(from, until));
    }
    if let Some(expires) = day(code.expires_day)? {
        discount.expiry_time = Some(moapi_core::time::protojson_timestamp(expires));
    }
    let mut limitation: DiscountLimitation = discount.limitation.take().unwrap_or_default();
    for business in &code.businesses {
        let id = names.business_id(business)?;
        limitation
            .business_ids
            .push(state.ids.encode(IdKind::Business, id));
    }
    for customer in &code.customers {
        let id = names.customer_id(customer)?;
        limitation
            .customer_ids
            .push(state.ids.encode(IdKind::Customer, id));
    }
    discount.limitation = Some(limitation);
    Ok(discount)
}
