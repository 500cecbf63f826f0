//! Operator verbs for vans (what a mobile grooming business sets up in the vendor's app):
//! creating a van at a business, editing and deleting it, and assigning its staff from a date
//! on; and the fixture section `vans`, whose assignments name staff by name and count days
//! from the seed day. Each write is one transaction (`moapi_moego::van`).

use moapi_core::db::Conn;
use moapi_core::{AppState, IdKind};
use moapi_moego::access::BusinessScope;
use moapi_moego::company::{self, store::CompanyRow};
use moapi_moego::van::{self, input};
use serde::{Deserialize, Serialize};

use super::bookings::{Names, SeedCalendar};
use super::{from_status, invalid, resolve_business_scope, resolve_id, OperatorError, Result};
use crate::fixtures::MoegoCompany;

/// How far from the seed day a fixture assignment may be: ten years either way.
const MAX_FIXTURE_DAYS: i64 = 3660;

/// A van as created and edited.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VanRequest {
    pub display_name: String,
    #[serde(default)]
    pub license_plate: String,
}

/// A van's staff from a date on: `stf_` IDs or raw numbers (none: no staff from then).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AssignmentRequest {
    pub staff_ids: Vec<String>,
}

/// What an assignment made: the van, the day it holds from, its staff.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Assignment {
    pub van_id: String,
    pub date: String,
    pub staff_ids: Vec<String>,
}

/// Creates a van at a business (`bus_` ID or raw number) at `at`; returns its `van_` ID.
pub async fn create_van(
    state: &AppState,
    db: &mut Conn,
    business: &str,
    request: &VanRequest,
    at: i64,
) -> Result<String> {
    let scope = resolve_business_scope(state, db, business).await?;
    create_at(state, db, scope, request, at).await
}

async fn create_at(
    state: &AppState,
    db: &mut Conn,
    business: BusinessScope,
    request: &VanRequest,
    at: i64,
) -> Result<String> {
    let values =
        input::van_values(&request.display_name, &request.license_plate).map_err(from_status)?;
    let row = van::create(db, business, &values, at)
        .await
        .map_err(from_status)?;
    Ok(state.ids.encode(IdKind::Van, row.id))
}

/// Renames a live van (`van_` ID or raw number) and sets its plate.
pub async fn edit_van(
    state: &AppState,
    db: &mut Conn,
    reference: &str,
    request: &VanRequest,
    at: i64,
) -> Result<String> {
    let id = resolve_id(state, IdKind::Van, reference)?;
    let values =
        input::van_values(&request.display_name, &request.license_plate).map_err(from_status)?;
    let row = van::edit(db, id, &values, at).await.map_err(from_status)?;
    Ok(state.ids.encode(IdKind::Van, row.id))
}

/// Deletes a live van: it leaves `ListVans`; its records stay readable.
pub async fn delete_van(state: &AppState, db: &mut Conn, reference: &str, at: i64) -> Result<()> {
    let id = resolve_id(state, IdKind::Van, reference)?;
    van::delete(db, id, at).await.map_err(from_status)
}

/// Makes the staff a van's staff from `date` (`YYYY-MM-DD`) until its next assignment,
/// replacing one made for that date.
pub async fn assign_staff(
    state: &AppState,
    db: &mut Conn,
    reference: &str,
    date: &str,
    request: &AssignmentRequest,
    at: i64,
) -> Result<Assignment> {
    let van_id = resolve_id(state, IdKind::Van, reference)?;
    let date = input::date("date", Some(date)).map_err(from_status)?;
    let staff_ids = request
        .staff_ids
        .iter()
        .map(|staff| resolve_id(state, IdKind::Staff, staff))
        .collect::<Result<Vec<i64>>>()?;
    van::assign(db, &state.ids, van_id, date, &staff_ids, at)
        .await
        .map_err(from_status)?;
    Ok(Assignment {
        van_id: state.ids.encode(IdKind::Van, van_id),
        date: input::date_text(date),
        staff_ids: staff_ids
            .iter()
            .map(|id| state.ids.encode(IdKind::Staff, *id))
            .collect(),
    })
}

/// A fixture van: its business by name, and its assignments.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureVan {
    pub business: String,
    pub display_name: String,
    #[serde(default)]
    pub license_plate: String,
    #[serde(default)]
    pub assignments: Vec<FixtureAssignment>,
}

/// The van's staff ("First Last") from `day` days after the seed day (negative: before) until
/// its next assignment.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureAssignment {
    pub day: i64,
    #[serde(default)]
    pub staff: Vec<String>,
}

/// Checks the `vans` section before anything is written: known businesses, valid names and
/// plates, days within ten years of the seed day and one assignment a day per van, staff
/// named among the company's live staff working at the van's business.
pub fn validate_company(company: &MoegoCompany) -> Result<()> {
    for (index, fixture) in company.vans.iter().enumerate() {
        let what = format!("company {:?}: vans[{index}]", company.name);
        let fail = |message: String| invalid(format!("{what}: {message}"));
        if !company
            .businesses
            .iter()
            .any(|b| b.name == fixture.business)
        {
            return fail(format!("unknown business {:?}", fixture.business));
        }
        if let Err(status) = input::van_values(&fixture.display_name, &fixture.license_plate) {
            return fail(status.message().to_string());
        }
        let mut days = std::collections::BTreeSet::new();
        for assignment in &fixture.assignments {
            if assignment.day.abs() > MAX_FIXTURE_DAYS || !days.insert(assignment.day) {
                return fail(format!(
                    "day {}: one assignment a day, within {MAX_FIXTURE_DAYS} days of the seed day",
                    assignment.day
                ));
            }
            for name in &assignment.staff {
                let works_there = company.staff.iter().any(|member| {
                    let full = format!("{} {}", member.staff.first_name, member.staff.last_name);
                    full.trim() == name.trim()
                        && !member.staff.deleted
                        && member.businesses.contains(&fixture.business)
                });
                if !works_there {
                    return fail(format!(
                        "{name:?} is no live staff member working at {:?}",
                        fixture.business
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Seeds the company's vans and their assignments, stamped at the seed's instant.
pub async fn seed_company(
    state: &AppState,
    db: &mut Conn,
    company_row: &CompanyRow,
    fixture: &MoegoCompany,
) -> Result<()> {
    if fixture.vans.is_empty() {
        return Ok(());
    }
    let names = Names::load(state, db, company_row.id).await?;
    let calendar = SeedCalendar::in_zone(company::time_zone(&company_row.timezone_id));
    for (index, fixture_van) in fixture.vans.iter().enumerate() {
        let context = |err: OperatorError| err.in_fixture(&fixture.name, "vans", index);
        let business = BusinessScope {
            company_id: company_row.id,
            business_id: names.business_id(&fixture_van.business).map_err(context)?,
        };
        let request = VanRequest {
            display_name: fixture_van.display_name.clone(),
            license_plate: fixture_van.license_plate.clone(),
        };
        let van_id = create_at(state, db, business, &request, calendar.now)
            .await
            .map_err(context)?;
        // Latest first: each assignment is then checked against its final span (it ends at
        // the van's next one, already made), so a fixture seeds whenever its end state has
        // each staff member on one van a day, whatever order it lists vans in.
        let mut assignments: Vec<&FixtureAssignment> = fixture_van.assignments.iter().collect();
        assignments.sort_by_key(|assignment| std::cmp::Reverse(assignment.day));
        for assignment in assignments {
            let staff_ids = assignment
                .staff
                .iter()
                .map(|name| Ok(state.ids.encode(IdKind::Staff, names.staff_id(name)?)))
                .collect::<Result<Vec<String>>>()
                .map_err(context)?;
            let date = input::date_text(calendar.date(assignment.day).map_err(context)?);
            let request = AssignmentRequest { staff_ids };
            assign_staff(state, db, &van_id, &date, &request, calendar.now)
                .await
                .map_err(context)?;
        }
    }
    Ok(())
}
