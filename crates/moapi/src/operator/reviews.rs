//! Operator verbs for reviews: the review link of a FINISHED appointment (what the vendor
//! texts the customer after the service), importing a review that came through one of the
//! vendor's channels, and the fixture section `reviews`, whose reviews name their appointment
//! by business, customer and day. Each review is one transaction (`moapi_moego::review`).

use moapi_core::db::Conn;
use moapi_core::time::parse_instant;
use moapi_core::{AppState, IdKind};
use moapi_moego::appointment::store as appointments;
use moapi_moego::appointment::wire::AppointmentStatus;
use moapi_moego::company::{self, store::CompanyRow};
use moapi_moego::review::wire::{Review, ReviewSource};
use moapi_moego::review::{self, input, store, ReviewInput};
use serde::Deserialize;

use super::bookings::{Names, SeedCalendar};
use super::{from_status, invalid, resolve_id, OperatorError, Result};
use crate::fixtures::MoegoCompany;

const MICROS_PER_HOUR: i64 = 3_600_000_000;
/// Latest a fixture review may come after its visit: thirty days.
const MAX_HOURS_AFTER: i64 = 30 * 24;

/// A review to import: its channel (required), score and text, when the customer gave it
/// (RFC 3339; default now), and the staff and pets it names (`stf_`/`pet_` IDs or raw numbers;
/// default: the appointment's).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImportReviewRequest {
    #[serde(default)]
    pub source: ReviewSource,
    pub score: i64,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub review_time: Option<String>,
    #[serde(default)]
    pub staff_ids: Option<Vec<String>>,
    #[serde(default)]
    pub pet_ids: Option<Vec<String>>,
}

/// The appointment an operator request names, reviewable: live and FINISHED.
async fn reviewable(state: &AppState, db: &mut Conn, appointment: &str) -> Result<i64> {
    let id = resolve_id(state, IdKind::Appointment, appointment)?;
    let row = appointments::find(db.get().await?, id).await?;
    Ok(review::reviewable(row).map_err(from_status)?.id)
}

/// A fresh review link of a FINISHED appointment not reviewed yet (`apt_` ID or raw number).
pub async fn review_link(state: &AppState, db: &mut Conn, appointment: &str) -> Result<String> {
    let id = reviewable(state, db, appointment).await?;
    if store::of_appointment(db.get().await?, id).await?.is_some() {
        return Err(from_status(review::already_reviewed()));
    }
    Ok(review::page::review_url(state, id))
}

/// Imports the review of a FINISHED appointment, recorded at `at`; answers it as
/// `ListReviews` does.
pub async fn import_review(
    state: &AppState,
    db: &mut Conn,
    appointment: &str,
    request: &ImportReviewRequest,
    at: i64,
) -> Result<Review> {
    let id = resolve_id(state, IdKind::Appointment, appointment)?;
    let review_at = match &request.review_time {
        None => None,
        Some(text) => Some(parse_instant(text).ok_or_else(|| {
            OperatorError::Invalid(format!("reviewTime: {text:?} is not an RFC 3339 timestamp"))
        })?),
    };
    let members = |references: &Option<Vec<String>>, kind: IdKind| {
        references
            .as_ref()
            .map(|references| {
                references
                    .iter()
                    .map(|reference| resolve_id(state, kind, reference))
                    .collect::<Result<Vec<i64>>>()
            })
            .transpose()
    };
    let given = ReviewInput {
        source: request.source,
        score: request.score,
        content: request.content.clone(),
        review_at,
        staff_ids: members(&request.staff_ids, IdKind::Staff)?,
        pet_ids: members(&request.pet_ids, IdKind::Pet)?,
    };
    let row = review::record(db, &state.ids, id, &given, at)
        .await
        .map_err(from_status)?;
    let people = store::people_of(db.get().await?, &[row.id]).await?;
    Ok(row.to_wire(&state.ids, &people))
}

/// A fixture review: its appointment by business, customer ("First Last") and day (counted
/// from the seed day, as the appointment's), what the customer said through which channel,
/// and how many hours after the visit ended.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureReview {
    pub business: String,
    pub customer: String,
    pub day: i64,
    pub source: ReviewSource,
    pub score: i64,
    #[serde(default)]
    pub content: String,
    #[serde(default = "two_hours")]
    pub hours_after: i64,
}

fn two_hours() -> i64 {
    2
}

/// Checks the `reviews` section before anything is written: each names one FINISHED fixture
/// appointment, reviewed once, with a channel, a score of 1 to 5, a text within the limit,
/// given within thirty days of the visit.
pub fn validate_company(company: &MoegoCompany) -> Result<()> {
    let mut reviewed = std::collections::BTreeSet::new();
    for (index, fixture) in company.reviews.iter().enumerate() {
        let fail = |message: String| {
            invalid(format!(
                "company {:?}: reviews[{index}]: {message}",
                company.name
            ))
        };
        let matching: Vec<usize> = company
            .appointments
            .iter()
            .enumerate()
            .filter(|(_, booked)| {
                booked.business == fixture.business
                    && booked.customer.trim() == fixture.customer.trim()
                    && booked.day == fixture.day
                    && booked.status == AppointmentStatus::Finished
            })
            .map(|(position, _)| position)
            .collect();
        let [appointment] = matching[..] else {
            return fail(format!(
                "names {} FINISHED appointments of {:?} at {:?} on day {}; it must name one",
                matching.len(),
                fixture.customer,
                fixture.business,
                fixture.day
            ));
        };
        if !reviewed.insert(appointment) {
            return fail("the appointment is reviewed twice".to_string());
        }
        let checks = input::source(fixture.source)
            .and_then(|_| input::score(fixture.score))
            .and_then(|_| input::content(&fixture.content));
        if let Err(status) = checks {
            return fail(status.message().to_string());
        }
        if !(0..=MAX_HOURS_AFTER).contains(&fixture.hours_after) {
            return fail(format!("hoursAfter: 0 to {MAX_HOURS_AFTER}"));
        }
    }
    Ok(())
}

/// Seeds the company's reviews, each stamped `hoursAfter` its visit ended (never after the
/// seed), with its appointment's staff and pets.
pub async fn seed_company(
    state: &AppState,
    db: &mut Conn,
    company_row: &CompanyRow,
    fixture: &MoegoCompany,
) -> Result<()> {
    if fixture.reviews.is_empty() {
        return Ok(());
    }
    let names = Names::load(state, db, company_row.id).await?;
    let calendar = SeedCalendar::in_zone(company::time_zone(&company_row.timezone_id));
    for (index, fixture_review) in fixture.reviews.iter().enumerate() {
        let context = |err: OperatorError| err.in_fixture(&fixture.name, "reviews", index);
        let business_id = names
            .business_id(&fixture_review.business)
            .map_err(context)?;
        let customer_id = names
            .customer_id(&fixture_review.customer)
            .map_err(context)?;
        let day = (
            calendar.instant(fixture_review.day, 0).map_err(context)?,
            calendar
                .instant(fixture_review.day + 1, 0)
                .map_err(context)?,
        );
        let (appointment_id, ended): (i64, i64) = sqlx::query_as(
            "SELECT id, end_at FROM moego_appointments WHERE business_id = $1 \
             AND customer_id = $2 AND start_at >= $3 AND start_at < $4 AND status = 'FINISHED' \
             AND deleted = 0 ORDER BY start_at, id LIMIT 1",
        )
        .bind(business_id)
        .bind(customer_id)
        .bind(day.0)
        .bind(day.1)
        .fetch_optional(db.get().await?)
        .await?
        .ok_or_else(|| {
            context(OperatorError::Invalid(format!(
                "no FINISHED appointment of {:?} on day {}",
                fixture_review.customer, fixture_review.day
            )))
        })?;
        let given = ReviewInput {
            source: fixture_review.source,
            score: fixture_review.score,
            content: fixture_review.content.clone(),
            review_at: None,
            staff_ids: None,
            pet_ids: None,
        };
        let at = (ended + fixture_review.hours_after * MICROS_PER_HOUR).min(calendar.now);
        review::record(db, &state.ids, appointment_id, &given, at)
            .await
            .map_err(|status| context(from_status(status)))?;
    }
    Ok(())
}
