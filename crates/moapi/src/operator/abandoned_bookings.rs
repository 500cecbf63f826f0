//! Operator verbs for abandoned bookings: marking one CONTACTED (what a business does after
//! calling the customer back), and the fixture section `abandonedBookings`, whose visits walk
//! the booking page's steps (`online_booking::page::walk`) hours before the seed. A visit
//! walked to SUBMIT_APPT books, and so recovers the earlier abandoned visits of the same
//! visitor.

use chrono::NaiveTime;
use moapi_core::db::Conn;
use moapi_core::{AppState, IdKind};
use moapi_moego::company::{self, store::CompanyRow};
use moapi_moego::online_booking::abandoned;
use moapi_moego::online_booking::page::walk::{self, Walk};
use moapi_moego::online_booking::wire::{AbandonedBooking, PreferredDay, PreferredTime, Step};
use moapi_moego::setting::service::wire::ServiceItemType;
use serde::Deserialize;

use super::bookings::{Names, SeedCalendar};
use super::{from_status, invalid, resolve_id, OperatorError, Result};
use crate::fixtures::MoegoCompany;

/// Longest a fixture visit may lie before the seed: thirty days.
const MAX_HOURS_AGO: i64 = 30 * 24;

/// A visit of a business's booking page that stopped after `step` (or, at SUBMIT_APPT,
/// booked), its visitor last acting `hoursAgo` hours before the seed.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureAbandonedBooking {
    pub business: String,
    pub hours_ago: i64,
    pub step: Step,
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// An existing client ("First Last") whose pets `pets` names.
    #[serde(default)]
    pub customer: Option<String>,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub care: ServiceItemType,
    #[serde(default)]
    pub pets: Vec<String>,
    #[serde(default)]
    pub new_pet: Option<FixtureNewPet>,
    #[serde(default)]
    pub service: Option<String>,
    #[serde(default)]
    pub staff: Option<String>,
    /// The day chosen, counted from the seed day, and the earliest time wanted on it
    /// (minutes after midnight).
    #[serde(default)]
    pub day: Option<i64>,
    #[serde(default)]
    pub start: Option<i64>,
    #[serde(default)]
    pub preference: Option<FixturePreference>,
    /// The operator's note when the business already called back.
    #[serde(default)]
    pub contacted: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureNewPet {
    pub name: String,
    #[serde(rename = "type")]
    pub pet_type: String,
    #[serde(default)]
    pub breed: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixturePreference {
    pub day: PreferredDay,
    pub time: PreferredTime,
}

/// Checks the `abandonedBookings` section before anything is written: known businesses, a
/// step a visit can stop at, and times within thirty days before the seed.
pub fn validate_company(company: &MoegoCompany) -> Result<()> {
    for (index, fixture) in company.abandoned_bookings.iter().enumerate() {
        let what = format!("company {:?}: abandonedBookings[{index}]", company.name);
        if !company
            .businesses
            .iter()
            .any(|b| b.name == fixture.business)
        {
            return invalid(format!("{what}: unknown business {:?}", fixture.business));
        }
        if !(0..=MAX_HOURS_AGO).contains(&fixture.hours_ago) {
            return invalid(format!("{what}: hoursAgo must be 0 to {MAX_HOURS_AGO}"));
        }
        if matches!(fixture.step, Step::Unspecified | Step::WelcomePage) {
            return invalid(format!("{what}: step must be one after WELCOME_PAGE"));
        }
        if fixture
            .start
            .is_some_and(|start| !(0..24 * 60).contains(&start))
        {
            return invalid(format!(
                "{what}: start is minutes after midnight (0 to 1439)"
            ));
        }
    }
    Ok(())
}

/// Walks the company's fixture visits, in order, each at its hour before the seed.
pub async fn seed_company(
    state: &AppState,
    db: &mut Conn,
    company_row: &CompanyRow,
    fixture: &MoegoCompany,
) -> Result<()> {
    if fixture.abandoned_bookings.is_empty() {
        return Ok(());
    }
    let names = Names::load(state, db, company_row.id).await?;
    let calendar = SeedCalendar::in_zone(company::time_zone(&company_row.timezone_id));
    for (index, visit) in fixture.abandoned_bookings.iter().enumerate() {
        let context =
            |err: OperatorError| err.in_fixture(&fixture.name, "abandonedBookings", index);
        seed_visit(state, db, &names, calendar, visit)
            .await
            .map_err(context)?;
    }
    Ok(())
}

async fn seed_visit(
    state: &AppState,
    db: &mut Conn,
    names: &Names,
    calendar: SeedCalendar,
    visit: &FixtureAbandonedBooking,
) -> Result<()> {
    let customer = visit
        .customer
        .as_deref()
        .map(|name| names.customer_id(name))
        .transpose()?;
    let pets = match customer {
        Some(customer) => visit
            .pets
            .iter()
            .map(|pet| names.pet_id(customer, pet))
            .collect::<Result<Vec<_>>>()?,
        None if visit.pets.is_empty() => Vec::new(),
        None => return invalid("pets name a customer's pets: give customer too"),
    };
    let walked = Walk {
        phone: visit.phone.clone(),
        email: visit.email.clone(),
        care: visit.care,
        pets,
        new_pet: visit
            .new_pet
            .as_ref()
            .map(|pet| (pet.name.clone(), pet.pet_type.clone(), pet.breed.clone())),
        service_id: visit
            .service
            .as_deref()
            .map(|name| names.service_id(name))
            .transpose()?,
        staff_id: visit
            .staff
            .as_deref()
            .map(|name| names.staff_id(name))
            .transpose()?,
        date: visit.day.map(|day| calendar.date(day)).transpose()?,
        time: visit
            .start
            .and_then(|start| NaiveTime::from_hms_opt((start / 60) as u32, (start % 60) as u32, 0)),
        first_name: visit.first_name.clone(),
        last_name: visit.last_name.clone(),
        preference: visit.preference.as_ref().map(|p| (p.day, p.time)),
        until: visit.step,
    };
    let at = calendar.now - visit.hours_ago * 3_600_000_000;
    let business_id = names.business_id(&visit.business)?;
    let row = walk::walk(state, db, business_id, &walked, at)
        .await
        .map_err(from_status)?;
    if let Some(note) = &visit.contacted {
        abandoned::mark_contacted(state, db, row.id, note, calendar.now)
            .await
            .map_err(from_status)?;
    }
    Ok(())
}

/// Marks an abandoned booking (`abk_` ID or raw number) CONTACTED at `at` with a note.
pub async fn mark_contacted(
    state: &AppState,
    db: &mut Conn,
    reference: &str,
    note: &str,
    at: i64,
) -> Result<AbandonedBooking> {
    let id = resolve_id(state, IdKind::AbandonedBooking, reference)?;
    if note.chars().count() > 2000 {
        return invalid("note: at most 2000 characters");
    }
    abandoned::mark_contacted(state, db, id, note.trim(), at)
        .await
        .map_err(from_status)
}
