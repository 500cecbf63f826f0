//! Fixture appointments and blocks: booked through the API's own checks and writes (conflicts
//! refused, events emitted), moved to their status as `:updateStatus` moves them, and paid,
//! discounted and refunded through the order ledger as the operator verbs do. Days are counted
//! from the seed day and times are minutes after midnight, both in the company's time zone, so
//! the demo set always surrounds today and opens at nine in the morning where its businesses
//! are. Each appointment's writes are stamped at the history it describes ([`History`]), not
//! at the seed's instant, so that clients exporting by `lastUpdatedTime` find it where it
//! happened.

use std::collections::HashSet;

use axum::extract::State;
use chrono::{Days, NaiveDate, TimeDelta, TimeZone};
use chrono_tz::Tz;
use moapi_core::auth::{MoegoPrincipal, MoegoRestriction};
use moapi_core::db::Conn;
use moapi_core::time::now_micros;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, IdKind};
use moapi_moego::appointment::status::StageTimes;
use moapi_moego::appointment::wire::{
    AppointmentStatus, CreateAppointmentRequest, GroomingReportStatus, PetServiceInput,
    ServiceInput,
};
use moapi_moego::block::wire::CreateBlockRequest;
use moapi_moego::company::store::CompanyRow;
use moapi_moego::customer::input;
use moapi_moego::money::Amount;
use moapi_moego::order::ledger;
use moapi_moego::order::store as orders;
use moapi_moego::wire::Interval;
use moapi_moego::{appointment, block, company};
use serde::Deserialize;
use sqlx::AnyConnection;

use super::appointments::NewGroomingReportRequest;
use super::orders::{NewDiscountRequest, NewPaymentRequest, NewRefundRequest};
use super::{from_status, invalid, resolve_id, OperatorError, Result};
use crate::fixtures::MoegoCompany;

const MICROS_PER_MINUTE: i64 = 60_000_000;
const MINUTES_PER_DAY: i64 = 24 * 60;
const MICROS_PER_DAY: i64 = MINUTES_PER_DAY * MICROS_PER_MINUTE;
/// How long before its start (or before the seed, for one starting later) an appointment was
/// booked: more than the seven days an export window spans, so that last week's window holds
/// the orders settled in it and none merely booked then.
const BOOKED_AHEAD: i64 = 14 * MICROS_PER_DAY;

/// An appointment of a company's customer, everything named by name.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureAppointment {
    pub business: String,
    /// The customer's "First Last".
    pub customer: String,
    pub pets: Vec<FixtureBookedPet>,
    /// Days after the seed day (negative: before it).
    pub day: i64,
    /// Minutes after local midnight (the company's time zone) at which the first service
    /// starts.
    pub start: i64,
    /// Where the appointment ends up; booked UNCONFIRMED, then moved forward (or canceled).
    #[serde(default = "unconfirmed")]
    pub status: AppointmentStatus,
    /// A discount on the whole order, applied before the payments.
    #[serde(default)]
    pub discount: Option<NewDiscountRequest>,
    #[serde(default)]
    pub payments: Vec<FixturePayment>,
    /// Grooming reports of the appointment's pets, recorded as the operator records them.
    #[serde(default)]
    pub grooming_reports: Vec<FixtureGroomingReport>,
}

/// A grooming report of one of the appointment's pets (by name).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureGroomingReport {
    pub pet: String,
    #[serde(default)]
    pub status: GroomingReportStatus,
    #[serde(default)]
    pub content_json: String,
}

fn unconfirmed() -> AppointmentStatus {
    AppointmentStatus::Unconfirmed
}

/// A pet of the customer (by name) and its services in order, each right after the previous.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureBookedPet {
    pub pet: String,
    pub services: Vec<FixtureBookedService>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureBookedService {
    /// The service's name in the company catalog.
    pub service: String,
    /// The staff member's "First Last"; unassigned without it.
    #[serde(default)]
    pub staff: Option<String>,
    /// The name of a lodging unit of the appointment's business (required for BOARDING).
    #[serde(default)]
    pub lodging: Option<String>,
}

/// A payment of the appointment's order; `amount` (decimal text) defaults to what the order
/// still owes, and `refund` (decimal text) refunds part or all of it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixturePayment {
    #[serde(default)]
    pub amount: Option<String>,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub refund: Option<String>,
}

/// Time a staff member ("First Last") is not bookable at a business.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureBlock {
    pub business: String,
    pub staff: String,
    pub day: i64,
    pub start: i64,
    pub minutes: i64,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub color_code: String,
}

pub(super) fn full_name(first: &str, last: &str) -> String {
    format!("{first} {last}").trim().to_string()
}

fn decimal(field: &str, text: &str) -> Result<()> {
    // Any currency reads a decimal alike; the order's own currency is applied when paying.
    match Amount::from_stored("USD", text.trim()) {
        Some(_) => Ok(()),
        None => invalid(format!("{field}: {text:?} is not a decimal amount")),
    }
}

pub(super) fn check_time(what: &str, calendar: SeedCalendar, day: i64, start: i64) -> Result<()> {
    if !(-366..=366).contains(&day) || !(0..MINUTES_PER_DAY).contains(&start) {
        return invalid(format!(
            "{what}: day must be within a year of the seed day and start in 0..1440 minutes"
        ));
    }
    match calendar.at(day, start, None) {
        Ok(_) => Ok(()),
        Err(OperatorError::Invalid(message)) => invalid(format!("{what}: {message}")),
        Err(other) => Err(other),
    }
}

/// Checks the names and values of the company's appointments and blocks before any write.
pub fn validate_company(company: &MoegoCompany) -> Result<()> {
    let calendar = SeedCalendar::in_zone(company::time_zone(&company.timezone));
    let businesses: HashSet<&str> = company.businesses.iter().map(|b| b.name.as_str()).collect();
    let staff: HashSet<String> = company
        .staff
        .iter()
        .map(|member| full_name(&member.staff.first_name, &member.staff.last_name))
        .collect();
    let services: HashSet<&str> = company.services.iter().map(|s| s.name.as_str()).collect();
    let fixture_codes: HashSet<&str> = company
        .discount_codes
        .iter()
        .map(|code| code.discount.code.trim())
        .collect();
    let unknown = |what: &str, kind: &str, name: &str| {
        invalid(format!(
            "company {:?}: {what} names unknown {kind} {name:?}",
            company.name
        ))
    };
    for (index, fixture) in company.blocks.iter().enumerate() {
        let what = format!("blocks[{index}]");
        if !businesses.contains(fixture.business.as_str()) {
            return unknown(&what, "business", &fixture.business);
        }
        if !staff.contains(fixture.staff.trim()) {
            return unknown(&what, "staff member", &fixture.staff);
        }
        check_time(&what, calendar, fixture.day, fixture.start)?;
        if !(1..=MINUTES_PER_DAY).contains(&fixture.minutes) {
            return invalid(format!("{what}: minutes must be 1 to 1440"));
        }
    }
    for (index, fixture) in company.appointments.iter().enumerate() {
        let what = format!("appointments[{index}]");
        if !businesses.contains(fixture.business.as_str()) {
            return unknown(&what, "business", &fixture.business);
        }
        let customer = company
            .customers
            .iter()
            .find(|c| full_name(&c.first_name, &c.last_name) == fixture.customer.trim());
        let Some(customer) = customer else {
            return unknown(&what, "customer", &fixture.customer);
        };
        check_time(&what, calendar, fixture.day, fixture.start)?;
        if fixture.status.is_unspecified() || fixture.pets.is_empty() {
            return invalid(format!("{what}: needs a status and at least one pet"));
        }
        // Pets name their owner by phone, in any format the customer fixture accepts.
        let phone = |text: &str| input::phone("phone", text, &company.country).ok();
        let owner = phone(&customer.phone);
        for booked in &fixture.pets {
            let owns = company.pets.iter().any(|pet| {
                owner.is_some()
                    && phone(&pet.owner) == owner
                    && pet.pet.name.trim() == booked.pet.trim()
            });
            if !owns {
                return unknown(&what, "pet of the customer", &booked.pet);
            }
            if booked.services.is_empty() {
                return invalid(format!("{what}: pet {:?} needs a service", booked.pet));
            }
            for service in &booked.services {
                if !services.contains(service.service.as_str()) {
                    return unknown(&what, "service", &service.service);
                }
                if let Some(member) = &service.staff {
                    if !staff.contains(member.trim()) {
                        return unknown(&what, "staff member", member);
                    }
                }
            }
        }
        if let Some(discount) = &fixture.discount {
            match (&discount.amount, &discount.percentage, &discount.code) {
                (Some(text), None, None) => decimal(&format!("{what}.discount.amount"), text)?,
                (None, Some(text), None) => {
                    ledger::DiscountValue::percentage(&format!("{what}.discount.percentage"), text)
                        .map_err(from_status)?;
                }
                (None, None, Some(code)) => {
                    if !fixture_codes.contains(code.trim()) {
                        return unknown(&what, "discount code", code);
                    }
                }
                _ => {
                    return invalid(format!(
                        "{what}.discount: give one of amount, percentage and code"
                    ))
                }
            }
        }
        if let Some(report) = fixture.grooming_reports.iter().find(|report| {
            !fixture
                .pets
                .iter()
                .any(|booked| booked.pet.trim() == report.pet.trim())
        }) {
            return unknown(&what, "pet of the appointment", &report.pet);
        }
        for (number, payment) in fixture.payments.iter().enumerate() {
            let field = format!("{what}.payments[{number}]");
            if let Some(amount) = &payment.amount {
                decimal(&format!("{field}.amount"), amount)?;
            }
            if let Some(refund) = &payment.refund {
                decimal(&format!("{field}.refund"), refund)?;
            }
        }
    }
    Ok(())
}

/// The IDs a company's fixtures name, looked up once.
pub(super) struct Names {
    ids: std::sync::Arc<moapi_core::IdCodec>,
    businesses: Vec<(i64, String)>,
    staff: Vec<(i64, String)>,
    services: Vec<(i64, String)>,
    customers: Vec<(i64, String)>,
    pets: Vec<(i64, i64, String)>,
    /// `(id, business, name)` of each lodging unit.
    lodging_units: Vec<(i64, i64, String)>,
}

impl Names {
    pub(super) async fn load(state: &AppState, db: &mut Conn, company_id: i64) -> Result<Names> {
        let conn = db.get().await?;
        // `TRIM(first || ' ' || last)` is `full_name` in SQL both backends speak.
        Ok(Names {
            ids: state.ids.clone(),
            businesses: Self::rows(
                conn,
                "SELECT id, name FROM moego_businesses WHERE company_id = $1",
                company_id,
            )
            .await?,
            staff: Self::rows(
                conn,
                "SELECT id, TRIM(first_name || ' ' || last_name) FROM moego_staff \
                 WHERE company_id = $1",
                company_id,
            )
            .await?,
            services: Self::rows(
                conn,
                "SELECT id, name FROM moego_services WHERE company_id = $1",
                company_id,
            )
            .await?,
            customers: Self::rows(
                conn,
                "SELECT id, TRIM(first_name || ' ' || last_name) FROM moego_customers \
                 WHERE company_id = $1 AND deleted = 0",
                company_id,
            )
            .await?,
            pets: sqlx::query_as(
                "SELECT id, customer_id, name FROM moego_pets WHERE company_id = $1 AND deleted = 0",
            )
            .bind(company_id)
            .fetch_all(&mut *conn)
            .await?,
            lodging_units: sqlx::query_as(
                "SELECT id, business_id, name FROM moego_lodging_units WHERE company_id = $1",
            )
            .bind(company_id)
            .fetch_all(conn)
            .await?,
        })
    }

    /// `(id, name)` rows of one company.
    async fn rows(
        conn: &mut AnyConnection,
        sql: &'static str,
        company_id: i64,
    ) -> Result<Vec<(i64, String)>> {
        Ok(sqlx::query_as(sql).bind(company_id).fetch_all(conn).await?)
    }

    fn business(&self, name: &str) -> Result<String> {
        Ok(self.encode(IdKind::Business, named(&self.businesses, "business", name)?))
    }

    pub(super) fn business_id(&self, name: &str) -> Result<i64> {
        named(&self.businesses, "business", name)
    }

    pub(super) fn customer_id(&self, name: &str) -> Result<i64> {
        named(&self.customers, "customer", name)
    }

    pub(super) fn staff_id(&self, name: &str) -> Result<i64> {
        named(&self.staff, "staff member", name)
    }

    fn staff(&self, name: &str) -> Result<String> {
        Ok(self.encode(IdKind::Staff, self.staff_id(name)?))
    }

    pub(super) fn service_id(&self, name: &str) -> Result<i64> {
        named(&self.services, "service", name)
    }

    fn service(&self, name: &str) -> Result<String> {
        Ok(self.encode(IdKind::Service, self.service_id(name)?))
    }

    fn lodging_unit(&self, business: i64, name: &str) -> Result<String> {
        self.lodging_units
            .iter()
            .find(|(_, at, known)| *at == business && known == name.trim())
            .map(|(id, _, _)| self.encode(IdKind::LodgingUnit, *id))
            .ok_or_else(|| {
                OperatorError::Invalid(format!("unknown lodging unit {name:?} at the business"))
            })
    }

    pub(super) fn pet_id(&self, customer: i64, name: &str) -> Result<i64> {
        self.pets
            .iter()
            .find(|(_, owner, known)| *owner == customer && known == name.trim())
            .map(|(id, _, _)| *id)
            .ok_or_else(|| OperatorError::Invalid(format!("unknown pet {name:?}")))
    }

    fn pet(&self, customer: i64, name: &str) -> Result<String> {
        Ok(self.encode(IdKind::Pet, self.pet_id(customer, name)?))
    }

    fn encode(&self, kind: IdKind, id: i64) -> String {
        self.ids.encode(kind, id)
    }
}

/// The raw ID of the row called `name`.
fn named(rows: &[(i64, String)], what: &str, name: &str) -> Result<i64> {
    rows.iter()
        .find(|(_, known)| known == name.trim())
        .map(|(id, _)| *id)
        .ok_or_else(|| OperatorError::Invalid(format!("unknown {what} {name:?}")))
}

/// The seed's instant and its day in the company's time zone, from which fixture days and
/// start times count.
#[derive(Debug, Clone, Copy)]
pub(super) struct SeedCalendar {
    pub(super) now: i64,
    today: NaiveDate,
    zone: Tz,
}

impl SeedCalendar {
    pub(super) fn in_zone(zone: Tz) -> SeedCalendar {
        let now = now_micros();
        SeedCalendar {
            now,
            today: company::local_time(now, zone).date_naive(),
            zone,
        }
    }

    /// An interval of `minutes` from `start` minutes after local midnight of day `day` after
    /// the seed day.
    pub(super) fn at(self, day: i64, start: i64, minutes: Option<i64>) -> Result<Interval> {
        let from = self.instant(day, start)?;
        Ok(Interval::from_micros(
            Some(from),
            minutes.map(|m| from + m * MICROS_PER_MINUTE),
        ))
    }

    /// The calendar day `day` days after the seed day (negative: before it).
    pub(super) fn date(self, day: i64) -> Result<NaiveDate> {
        let days = Days::new(day.unsigned_abs());
        let date = match day < 0 {
            true => self.today.checked_sub_days(days),
            false => self.today.checked_add_days(days),
        };
        date.ok_or_else(|| OperatorError::Invalid(format!("day {day}: beyond the calendar")))
    }

    /// The instant `start` minutes after local midnight of day `day` after the seed day.
    pub(super) fn instant(self, day: i64, start: i64) -> Result<i64> {
        let local = self
            .date(day)?
            .and_hms_opt(0, 0, 0)
            .map(|midnight| midnight + TimeDelta::minutes(start));
        local
            .and_then(|local| self.zone.from_local_datetime(&local).earliest())
            .map(|instant| instant.timestamp_micros())
            .ok_or_else(|| {
                OperatorError::Invalid(format!(
                    "day {day}, start {start}: no such local time in {} (a daylight-saving gap)",
                    self.zone.name()
                ))
            })
    }
}

/// When the demo's history says each write of an appointment happened, from its start and
/// end and the seed's instant; nothing is later than the seed. It was booked two weeks before
/// it starts (two weeks before the seed, if it starts later) and its order opened then;
/// confirmed a day after booking; checked in at its start; ready and checked out at its end;
/// canceled the day before its start. Its discount, payments and refunds were taken when it
/// reached its status, so its order's `lastUpdatedTime` is then when money moved and its
/// booking otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct History {
    booked: i64,
    stages: StageTimes,
    /// When it reached its status: its `lastUpdatedTime`, and when its money moved.
    settled: i64,
}

impl History {
    fn of(start: i64, end: i64, status: AppointmentStatus, seed: i64) -> History {
        let past = |instant: i64| instant.min(seed);
        let booked = start.min(seed) - BOOKED_AHEAD;
        let stages = StageTimes {
            confirmed: booked + MICROS_PER_DAY,
            checked_in: past(start),
            ready: past(end),
            checked_out: past(end),
            canceled: past(start - MICROS_PER_DAY),
        };
        let settled = match status {
            AppointmentStatus::Confirmed => stages.confirmed,
            AppointmentStatus::CheckedIn => stages.checked_in,
            AppointmentStatus::Ready => stages.ready,
            AppointmentStatus::Finished => stages.checked_out,
            AppointmentStatus::Canceled => stages.canceled,
            _ => booked,
        };
        History {
            booked,
            stages,
            settled,
        }
    }
}

/// Seeds the company's blocks, then its appointments, through the API's handlers and checks
/// acting for the company (a key of its own is not needed: the principal never leaves this
/// process).
pub async fn seed_company(
    state: &AppState,
    db: &mut Conn,
    company: &CompanyRow,
    fixture: &MoegoCompany,
) -> Result<()> {
    if fixture.appointments.is_empty() && fixture.blocks.is_empty() {
        return Ok(());
    }
    let names = Names::load(state, db, company.id).await?;
    let principal = MoegoPrincipal {
        key_id: "seed".into(),
        client_id: company.client_id,
        restriction: MoegoRestriction::Company(company.id),
        scopes: vec![
            appointment::WRITE_SCOPE.to_string(),
            block::WRITE_SCOPE.to_string(),
        ],
    };
    let calendar = SeedCalendar::in_zone(company::time_zone(&company.timezone_id));
    for fixture_block in &fixture.blocks {
        let request = CreateBlockRequest {
            business_id: names.business(&fixture_block.business)?,
            staff_id: names.staff(&fixture_block.staff)?,
            duration: Some(calendar.at(
                fixture_block.day,
                fixture_block.start,
                Some(fixture_block.minutes),
            )?),
            description: fixture_block.description.clone(),
            color_code: fixture_block.color_code.clone(),
        };
        let _ = block::create_block(
            State(state.clone()),
            principal.clone(),
            db.take(),
            ProtoJson(request),
        )
        .await
        .map_err(from_status)?;
    }
    for (index, booking) in fixture.appointments.iter().enumerate() {
        book(state, db, &principal, &names, calendar, booking)
            .await
            .map_err(|err| err.in_fixture(&fixture.name, "appointments", index))?;
    }
    Ok(())
}

async fn book(
    state: &AppState,
    db: &mut Conn,
    principal: &MoegoPrincipal,
    names: &Names,
    calendar: SeedCalendar,
    booking: &FixtureAppointment,
) -> Result<()> {
    let business_raw_id = names.business_id(&booking.business)?;
    let business_id = names.business(&booking.business)?;
    let customer = named(&names.customers, "customer", &booking.customer)?;
    let mut pet_services = Vec::with_capacity(booking.pets.len());
    for (index, booked) in booking.pets.iter().enumerate() {
        let mut services = Vec::with_capacity(booked.services.len());
        for (number, service) in booked.services.iter().enumerate() {
            services.push(ServiceInput {
                id: names.service(&service.service)?,
                // The first pet's first service starts the appointment; the rest follow.
                duration: (index == 0 && number == 0)
                    .then(|| calendar.at(booking.day, booking.start, None))
                    .transpose()?,
                staff_ids: service
                    .staff
                    .iter()
                    .map(|member| names.staff(member))
                    .collect::<Result<_>>()?,
                lodging_id: service
                    .lodging
                    .as_deref()
                    .map(|unit| names.lodging_unit(business_raw_id, unit))
                    .transpose()?,
                price: None,
            });
        }
        pet_services.push(PetServiceInput {
            pet_id: names.pet(customer, &booked.pet)?,
            services,
        });
    }
    let request = CreateAppointmentRequest {
        business_id,
        customer_id: names.encode(IdKind::Customer, customer),
        pet_services,
        ignore_conflict: Some(false),
        appointment_notes: Vec::new(),
        auto_message_methods: Vec::new(),
    };
    // What `POST /v1/appointments` checks and writes, stamped at the history's instants.
    let checked = appointment::booking::check_create(db.get().await?, state, principal, &request)
        .await
        .map_err(from_status)?;
    let history = History::of(
        checked.start_at,
        checked.end_at,
        booking.status,
        calendar.now,
    );
    let created = appointment::booking::book_at(state, db, &checked, history.booked)
        .await
        .map_err(from_status)?;
    if booking.status != AppointmentStatus::Unconfirmed {
        let id = resolve_id(state, IdKind::Appointment, &created.id)?;
        appointment::move_status_at(state, db, id, booking.status, &history.stages)
            .await
            .map_err(from_status)?;
    }
    for report in &booking.grooming_reports {
        let request = NewGroomingReportRequest {
            pet_id: names.pet(customer, &report.pet)?,
            status: report.status,
            template_json: String::new(),
            content_json: report.content_json.clone(),
            report_url: String::new(),
            send_type: Default::default(),
            sending_method_list: Vec::new(),
        };
        super::appointments::record_grooming_report(state, db, &created.id, &request).await?;
    }
    if let Some(discount) = &booking.discount {
        super::orders::apply_discount(state, db, &created.order_id, discount, history.settled)
            .await?;
    }
    for payment in &booking.payments {
        let amount = match &payment.amount {
            Some(amount) => amount.clone(),
            None => owed(state, db, &created.order_id).await?,
        };
        let request = NewPaymentRequest {
            amount,
            method: payment.method.clone(),
            processing_fee: None,
        };
        let paid =
            super::orders::record_payment(state, db, &created.order_id, &request, history.settled)
                .await?;
        if let Some(refund) = &payment.refund {
            let request = NewRefundRequest {
                amount: refund.clone(),
                reason: String::new(),
                staff_id: None,
            };
            super::orders::refund_payment(state, db, &paid, &request, history.settled).await?;
        }
    }
    Ok(())
}

/// What an order still owes, as decimal text.
async fn owed(state: &AppState, db: &mut Conn, order: &str) -> Result<String> {
    let id = resolve_id(state, IdKind::Order, order)?;
    let row = orders::find(db.get().await?, id)
        .await?
        .ok_or_else(|| OperatorError::Internal(format!("order {order} just opened")))?;
    let amount = |value: &str| row.amount(value).map_err(from_status);
    Ok(ledger::remain(
        amount(&row.total_amount)?,
        amount(&row.paid_amount)?,
        amount(&row.refunded_amount)?,
    )
    .stored())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_is_stamped_where_it_happened_and_never_after_the_seed() {
        let hour = 60 * MICROS_PER_MINUTE;
        let seed = 1_000 * MICROS_PER_DAY;
        let past = (
            seed - 13 * MICROS_PER_DAY,
            seed - 13 * MICROS_PER_DAY + 2 * hour,
        );
        let finished = History::of(past.0, past.1, AppointmentStatus::Finished, seed);
        assert_eq!(finished.booked, past.0 - 14 * MICROS_PER_DAY);
        assert_eq!(finished.stages.confirmed, finished.booked + MICROS_PER_DAY);
        assert_eq!(finished.stages.checked_in, past.0);
        assert_eq!(finished.stages.checked_out, past.1);
        assert_eq!(finished.settled, past.1);
        let canceled = History::of(past.0, past.1, AppointmentStatus::Canceled, seed);
        assert_eq!(canceled.settled, past.0 - MICROS_PER_DAY);
        // Later than the seed: booked two weeks before the seed, stages reached at the seed.
        let later = (seed + hour, seed + 3 * hour);
        let ready = History::of(later.0, later.1, AppointmentStatus::Ready, seed);
        assert_eq!(ready.booked, seed - 14 * MICROS_PER_DAY);
        assert_eq!((ready.stages.checked_in, ready.settled), (seed, seed));
        let confirmed = History::of(later.0, later.1, AppointmentStatus::Confirmed, seed);
        assert_eq!(confirmed.settled, seed - 13 * MICROS_PER_DAY);
        let unconfirmed = History::of(later.0, later.1, AppointmentStatus::Unconfirmed, seed);
        assert_eq!(unconfirmed.settled, unconfirmed.booked);
    }

    #[test]
    fn fixture_times_are_local_to_the_company_and_a_skipped_hour_is_refused() {
        let calendar = SeedCalendar {
            now: 0,
            today: NaiveDate::from_ymd_opt(2026, 3, 7).expect("a date"),
            zone: chrono_tz::America::Los_Angeles,
        };
        let nine = calendar.at(0, 540, Some(90)).expect("09:00 exists");
        assert_eq!(nine.start_time.as_deref(), Some("2026-03-07T17:00:00Z"));
        assert_eq!(nine.end_time.as_deref(), Some("2026-03-07T18:30:00Z"));
        // Daylight saving starts on March 8: 09:00 is an hour earlier in UTC, 02:30 never is.
        let next = calendar.at(1, 540, None).expect("09:00 exists");
        assert_eq!(next.start_time.as_deref(), Some("2026-03-08T16:00:00Z"));
        assert!(calendar.at(1, 150, None).is_err());
        assert!(check_time("appointments[0]", calendar, 1, 150).is_err());
        assert!(check_time("appointments[0]", calendar, 1, 180).is_ok());
    }
}
