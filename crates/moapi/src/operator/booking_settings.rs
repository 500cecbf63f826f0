//! Operator verbs for what the vendor edits in its settings app for booking: the service
//! catalog, lodging types with their units, each business's booking settings (currency,
//! tax, working hours) and closed dates; and the fixture keys that seed them. Services go
//! through the same checks as `CreateService`.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use chrono::NaiveDate;
use moapi_core::auth::CompanyOwner;
use moapi_core::db::Conn;
use moapi_core::time::now_micros;
use moapi_core::{AppState, IdKind};
use moapi_moego::business::store::BusinessRow;
use moapi_moego::money::{Amount, Currency};
use moapi_moego::setting::lodging::LodgingUnitType;
use moapi_moego::setting::service::store::{self as services, ServiceValues};
use moapi_moego::setting::service::wire::{ServiceFilters, ServiceItemType, ServiceType};
use moapi_moego::setting::service::{self, input};
use moapi_moego::{business, staff};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{
    from_status, invalid, resolve_businesses, resolve_company, resolve_id, OperatorError, Result,
};
use crate::fixtures::MoegoCompany;

/// Longest name of a lodging type or unit, tax name or closed date description.
const MAX_LABEL: usize = 100;
/// Most units one lodging type may have.
const MAX_UNITS: usize = 1000;

fn label(field: &str, value: &str, required: bool) -> Result<String> {
    let value = value.trim();
    if (required && value.is_empty()) || value.chars().count() > MAX_LABEL {
        let least = usize::from(required);
        return invalid(format!("{field}: {least} to {MAX_LABEL} characters"));
    }
    Ok(value.to_string())
}

fn default_service_type() -> ServiceType {
    ServiceType::Service
}

/// A service as operators describe it: the fields of `businesssettingv1Service`, the price
/// as decimal text, businesses and staff by ID (by name in fixtures).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewServiceRequest {
    pub name: String,
    #[serde(default)]
    pub category: String,
    pub service_item_type: ServiceItemType,
    #[serde(default = "default_service_type")]
    pub service_type: ServiceType,
    /// Decimal text, e.g. `"45.5"`.
    pub price: String,
    /// ISO 4217; by default the currency of the businesses offering the service.
    pub currency_code: Option<String>,
    #[serde(default)]
    pub service_time: i32,
    /// The businesses offering it; none for all of the company's.
    #[serde(default)]
    pub businesses: Vec<String>,
    /// The staff performing it; none for all.
    #[serde(default)]
    pub staff: Vec<String>,
    /// Pet and add-on filters as the wire has them (stored as given).
    #[serde(default)]
    pub filters: ServiceFilters,
    #[serde(default)]
    pub inactive: bool,
}

async fn owner_of(db: &mut Conn, company_id: i64) -> Result<CompanyOwner> {
    moapi_moego::access::owner_of(db.get().await?, company_id)
        .await
        .map_err(from_status)
}

/// Creates a service in a company; returns its `srv_` ID.
pub async fn create_service(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    request: &NewServiceRequest,
) -> Result<String> {
    if request.service_item_type.is_unspecified() {
        return invalid("serviceItemType: value is required");
    }
    if request.service_type.is_unspecified() {
        return invalid("serviceType: value is required");
    }
    let company = resolve_company(state, db, company).await?;
    let business_ids = resolve_businesses(state, db, company.id, &request.businesses).await?;
    let mut staff_ids = BTreeSet::new();
    for reference in &request.staff {
        let id = resolve_id(state, IdKind::Staff, reference)?;
        match staff::store::find(db.get().await?, id).await? {
            Some(member) if member.company_id == company.id => staff_ids.insert(id),
            _ => return invalid(format!("staff {reference} is not the company's")),
        };
    }
    let currency = match &request.currency_code {
        Some(code) => code.clone(),
        None => offering_currency(db, company.id, &business_ids).await?,
    };
    let price = Amount::from_stored(&currency, request.price.trim())
        .ok_or_else(|| {
            OperatorError::Invalid(format!(
                "price: {:?} {currency:?} is not a decimal amount in an ISO 4217 currency",
                request.price
            ))
        })
        .and_then(|amount| input::checked_price("price", amount).map_err(from_status))?;
    let values = ServiceValues {
        name: input::name("name", Some(&request.name)).map_err(from_status)?,
        category: label("category", &request.category, false)?,
        item_type: request.service_item_type,
        service_type: request.service_type,
        price,
        duration_minutes: input::service_time(request.service_item_type, request.service_time)
            .map_err(from_status)?,
        business_ids: Vec::new(),
        available_all_business: business_ids.is_empty(),
        available_business_ids: business_ids,
        available_all_staff: staff_ids.is_empty(),
        available_staff_ids: staff_ids.into_iter().collect(),
        filters: request.filters.clone(),
        inactive: request.inactive,
    };
    let owner = owner_of(db, company.id).await?;
    let record = service::create(db.get().await?, None, owner, &values)
        .await
        .map_err(from_status)?;
    Ok(state.ids.encode(IdKind::Service, record.id))
}

/// The one currency of the businesses offering a service (all when none are named), or USD
/// when they have several, which the service's checks then refuse by name.
async fn offering_currency(db: &mut Conn, company_id: i64, businesses: &[i64]) -> Result<String> {
    let conn = db.get().await?;
    let currencies: BTreeSet<String> = services::business_currencies(&mut *conn, company_id)
        .await?
        .into_iter()
        .filter(|(id, _)| businesses.is_empty() || businesses.contains(id))
        .map(|(_, currency)| currency)
        .collect();
    Ok(match currencies.len() {
        1 => currencies.into_iter().next().unwrap_or_default(),
        _ => "USD".to_string(),
    })
}

async fn resolve_business(state: &AppState, db: &mut Conn, reference: &str) -> Result<BusinessRow> {
    let id = resolve_id(state, IdKind::Business, reference)?;
    business::store::find(db.get().await?, id)
        .await?
        .ok_or_else(|| OperatorError::NotFound(format!("business {reference} not found")))
}

/// Opening hours of one day: minutes from midnight, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkingRange {
    pub start: i32,
    pub end: i32,
}

const WEEKDAYS: [&str; 7] = [
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
    "SUNDAY",
];

fn default_currency() -> String {
    "USD".to_string()
}

fn zero() -> String {
    "0".to_string()
}

/// A business's booking settings; what is left out takes its default (USD, no tax, closed
/// every day).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BusinessSettingsRequest {
    #[serde(default = "default_currency")]
    pub currency_code: String,
    /// Percent as decimal text, e.g. `"8.25"`.
    #[serde(default = "zero")]
    pub tax_rate: String,
    #[serde(default)]
    pub tax_name: String,
    /// By weekday name (`MONDAY`...): the day's opening ranges; a day left out is closed.
    #[serde(default)]
    pub working_hours: BTreeMap<String, Vec<WorkingRange>>,
}

/// Settings as stored, which the admin route answers.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BusinessSettings {
    pub business_id: String,
    #[serde(flatten)]
    pub settings: BusinessSettingsRequest,
}

fn working_hours(
    hours: &BTreeMap<String, Vec<WorkingRange>>,
) -> Result<BTreeMap<String, Vec<WorkingRange>>> {
    let mut checked = BTreeMap::new();
    for (day, ranges) in hours {
        if !WEEKDAYS.contains(&day.as_str()) {
            return invalid(format!(
                "workingHours: {day:?} is not a weekday name (MONDAY...SUNDAY)"
            ));
        }
        let mut ranges = ranges.clone();
        ranges.sort_by_key(|range| range.start);
        for (index, range) in ranges.iter().enumerate() {
            if !(0 <= range.start && range.start < range.end && range.end <= 24 * 60) {
                return invalid(format!(
                    "workingHours.{day}: {}-{} is not a range of minutes within the day",
                    range.start, range.end
                ));
            }
            if index > 0 && ranges[index - 1].end > range.start {
                return invalid(format!("workingHours.{day}: ranges overlap"));
            }
        }
        if !ranges.is_empty() {
            checked.insert(day.clone(), ranges);
        }
    }
    Ok(checked)
}

/// Sets a business's booking settings. The currency may change only while no service the
/// business offers is priced in another.
pub async fn put_business_settings(
    state: &AppState,
    db: &mut Conn,
    business: &str,
    request: &BusinessSettingsRequest,
) -> Result<BusinessSettings> {
    let business = resolve_business(state, db, business).await?;
    let currency = Currency::parse(&request.currency_code).ok_or_else(|| {
        OperatorError::Invalid("currencyCode: an ISO 4217 code of three upper-case letters".into())
    })?;
    let tax_rate = Decimal::from_str(request.tax_rate.trim())
        .ok()
        .filter(|rate| (Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(rate))
        .ok_or_else(|| {
            OperatorError::Invalid("taxRate: a percent from 0 to 100, as decimal text".into())
        })?;
    let settings = BusinessSettingsRequest {
        currency_code: currency.as_str().to_string(),
        tax_rate: tax_rate.normalize().to_string(),
        tax_name: label("taxName", &request.tax_name, false)?,
        working_hours: working_hours(&request.working_hours)?,
    };
    let hours = serde_json::to_string(&settings.working_hours)
        .map_err(|err| OperatorError::Internal(err.to_string()))?;
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO moego_business_settings (business_id, company_id, currency_code, tax_rate, \
         tax_name, working_hours, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (business_id) DO UPDATE SET currency_code = excluded.currency_code, \
         tax_rate = excluded.tax_rate, tax_name = excluded.tax_name, \
         working_hours = excluded.working_hours, updated_at = excluded.updated_at",
    )
    .bind(business.id)
    .bind(business.company_id)
    .bind(&settings.currency_code)
    .bind(&settings.tax_rate)
    .bind(&settings.tax_name)
    .bind(hours)
    .bind(now_micros())
    .execute(&mut *tx)
    .await?;
    // Checked after the write, in its transaction, so that no service can slip in between.
    let mispriced =
        services::priced_otherwise_at(&mut tx, business.company_id, business.id, currency.as_str())
            .await?;
    if !mispriced.is_empty() {
        return Err(OperatorError::Conflict(format!(
            "the business offers services priced in another currency: {}",
            mispriced.join(", ")
        )));
    }
    tx.commit().await?;
    Ok(BusinessSettings {
        business_id: state.ids.encode(IdKind::Business, business.id),
        settings,
    })
}

/// Days a business is closed, both inclusive; `endDate` defaults to `startDate`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewClosedDateRequest {
    /// `YYYY-MM-DD`.
    pub start_date: String,
    pub end_date: Option<String>,
    #[serde(default)]
    pub description: String,
}

fn calendar_day(field: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| OperatorError::Invalid(format!("{field}: {text:?} is not a YYYY-MM-DD date")))
}

/// Closes a business on some days; returns the closed date's ID.
pub async fn add_closed_date(
    state: &AppState,
    db: &mut Conn,
    business: &str,
    request: &NewClosedDateRequest,
) -> Result<String> {
    let start = calendar_day("startDate", &request.start_date)?;
    let end = match &request.end_date {
        Some(text) => calendar_day("endDate", text)?,
        None => start,
    };
    if end < start {
        return invalid("endDate: must not be before startDate");
    }
    let description = label("description", &request.description, false)?;
    let business = resolve_business(state, db, business).await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_closed_dates (company_id, business_id, start_date, end_date, \
         description, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(business.company_id)
    .bind(business.id)
    .bind(start.format("%Y-%m-%d").to_string())
    .bind(end.format("%Y-%m-%d").to_string())
    .bind(description)
    .bind(now_micros())
    .fetch_one(db.get().await?)
    .await?;
    Ok(state.ids.encode(IdKind::ClosedDate, id))
}

/// Reopens the days of a closed date.
pub async fn delete_closed_date(
    state: &AppState,
    db: &mut Conn,
    closed_date: &str,
) -> Result<String> {
    let id = resolve_id(state, IdKind::ClosedDate, closed_date)?;
    let deleted = sqlx::query("DELETE FROM moego_closed_dates WHERE id = $1")
        .bind(id)
        .execute(db.get().await?)
        .await?
        .rows_affected();
    if deleted == 0 {
        return Err(OperatorError::NotFound(format!(
            "closed date {closed_date} not found"
        )));
    }
    Ok(state.ids.encode(IdKind::ClosedDate, id))
}

fn one_pet() -> i32 {
    1
}

fn room() -> LodgingUnitType {
    LodgingUnitType::Room
}

/// A lodging type of a business with the names of its units.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewLodgingTypeRequest {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// HTTPS image URLs.
    #[serde(default)]
    pub photo_list: Vec<String>,
    /// Pets one unit holds at once.
    #[serde(default = "one_pet")]
    pub max_pet_num: i32,
    #[serde(default = "room")]
    pub unit_type: LodgingUnitType,
    #[serde(default)]
    pub units: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedLodgingType {
    pub lodging_type_id: String,
    pub lodging_unit_ids: Vec<String>,
}

/// Creates a lodging type of a business with its units, in one transaction.
pub async fn create_lodging_type(
    state: &AppState,
    db: &mut Conn,
    business: &str,
    request: &NewLodgingTypeRequest,
) -> Result<CreatedLodgingType> {
    let name = label("name", &request.name, true)?;
    let description = label("description", &request.description, false)?;
    if request
        .photo_list
        .iter()
        .any(|url| !url.starts_with("https://") || url.len() > 2048)
    {
        return invalid("photoList: HTTPS URLs of at most 2048 characters");
    }
    if !(1..=100).contains(&request.max_pet_num) {
        return invalid("maxPetNum: 1 to 100");
    }
    if request.unit_type.is_unspecified() {
        return invalid("unitType: ROOM or AREA");
    }
    if request.units.len() > MAX_UNITS {
        return invalid(format!("units: at most {MAX_UNITS}"));
    }
    let units = request
        .units
        .iter()
        .map(|unit| label("units[]", unit, true))
        .collect::<Result<Vec<_>>>()?;
    if units.iter().collect::<BTreeSet<_>>().len() != units.len() {
        return invalid("units: names must differ");
    }
    let business = resolve_business(state, db, business).await?;
    let photos = serde_json::to_string(&request.photo_list)
        .map_err(|err| OperatorError::Internal(err.to_string()))?;
    let mut tx = db.begin().await?;
    let (type_id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_lodging_types (company_id, business_id, name, description, \
         photo_list, max_pet_num, unit_type, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(business.company_id)
    .bind(business.id)
    .bind(name)
    .bind(description)
    .bind(photos)
    .bind(i64::from(request.max_pet_num))
    .bind(request.unit_type.name())
    .bind(now_micros())
    .fetch_one(&mut *tx)
    .await?;
    let mut unit_ids = Vec::new();
    for unit in units {
        let (unit_id,): (i64,) = sqlx::query_as(
            "INSERT INTO moego_lodging_units (company_id, business_id, lodging_type_id, name) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(business.company_id)
        .bind(business.id)
        .bind(type_id)
        .bind(unit)
        .fetch_one(&mut *tx)
        .await?;
        unit_ids.push(state.ids.encode(IdKind::LodgingUnit, unit_id));
    }
    tx.commit().await?;
    Ok(CreatedLodgingType {
        lodging_type_id: state.ids.encode(IdKind::Lodging, type_id),
        lodging_unit_ids: unit_ids,
    })
}

/// Seeds a company's booking settings, closed dates, lodgings and services from its fixture,
/// after its businesses and staff, which the fixture names: businesses by name, staff by
/// "First Last".
pub async fn seed_company(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    fixture: &MoegoCompany,
) -> Result<()> {
    if fixture.booking_settings.is_empty()
        && fixture.closed_dates.is_empty()
        && fixture.lodgings.is_empty()
        && fixture.services.is_empty()
    {
        return Ok(());
    }
    let company_row = resolve_company(state, db, company).await?;
    let businesses: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM moego_businesses WHERE company_id = $1")
            .bind(company_row.id)
            .fetch_all(db.get().await?)
            .await?;
    let business = |name: &str| {
        businesses
            .iter()
            .find(|(_, known)| known == name)
            .map(|(id, _)| id.to_string())
            .ok_or_else(|| OperatorError::Invalid(format!("unknown business {name:?}")))
    };
    for (name, settings) in &fixture.booking_settings {
        put_business_settings(state, db, &business(name)?, settings).await?;
    }
    for (name, closed_dates) in &fixture.closed_dates {
        for closed_date in closed_dates {
            add_closed_date(state, db, &business(name)?, closed_date).await?;
        }
    }
    for (name, lodgings) in &fixture.lodgings {
        for lodging in lodgings {
            create_lodging_type(state, db, &business(name)?, lodging).await?;
        }
    }
    let staff: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, first_name, last_name FROM moego_staff WHERE company_id = $1")
            .bind(company_row.id)
            .fetch_all(db.get().await?)
            .await?;
    let member = |name: &str| {
        staff
            .iter()
            .find(|(_, first, last)| format!("{first} {last}").trim() == name.trim())
            .map(|(id, _, _)| id.to_string())
            .ok_or_else(|| OperatorError::Invalid(format!("unknown staff member {name:?}")))
    };
    for fixture_service in &fixture.services {
        let request = NewServiceRequest {
            businesses: fixture_service
                .businesses
                .iter()
                .map(|name| business(name))
                .collect::<Result<_>>()?,
            staff: fixture_service
                .staff
                .iter()
                .map(|name| member(name))
                .collect::<Result<_>>()?,
            ..fixture_service.clone()
        };
        create_service(state, db, company, &request)
            .await
            .map_err(|err| match err {
                OperatorError::Invalid(message) => {
                    OperatorError::Invalid(format!("service {:?}: {message}", fixture_service.name))
                }
                other => other,
            })?;
    }
    Ok(())
}
