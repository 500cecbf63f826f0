//! GetBookingAvailability: computed from working hours, closed days, staff time and lodging
//! room at each request, never stored.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::Json;
use chrono::{Days, NaiveDate, TimeZone};
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::{self, build, query_as_with, Conn};
use moapi_core::time::now_micros;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, IdKind, Status};
use sea_query::{Alias, Expr, Order, Query};
use sqlx::AnyConnection;

use super::wire::{
    AvailabilityByDate, AvailabilityFilter, GetBookingAvailabilityRequest,
    GetBookingAvailabilityResponse, PetParam, StaffAvailability,
};
use crate::access::{self, BusinessScope};
use crate::appointment::booking::{customers_pet, decode, staff_of_business};
use crate::appointment::{capacity, check};
use crate::business::hours::{self, WorkingHours};
use crate::company;
use crate::offering::services::lets_in;
use crate::offering::{day_range, store as lodgings};
use crate::pet::input::weight;
use crate::pet::profile::{PetProfile, PetProfiles};
use crate::setting::service::store::{self as services, ServiceRecord};
use crate::setting::service::wire::ServiceItemType;
use crate::wire::{check_max_items, Date, Interval};

/// Longest range one request may ask about, in days.
const MAX_DAYS: i64 = 62;
/// Slots start on the quarter hour of the company's wall clock.
const SLOT_STEP_MINUTES: i64 = 15;
const MICROS_PER_MINUTE: i64 = 60_000_000;

/// One pet of the request: the services it would get and its preferred staff member.
struct Wanted {
    services: Vec<ServiceRecord>,
    staff: Option<i64>,
}

impl Wanted {
    /// Minutes of staff time its services take one after the other.
    fn staffed_minutes(&self) -> i64 {
        self.services
            .iter()
            .filter(|service| !lodged(service))
            .map(|service| i64::from(service.values.duration_minutes))
            .sum()
    }

    fn needs_lodging(&self) -> bool {
        self.services.iter().any(lodged)
    }
}

/// Boarding and daycare take a lodging unit, not a staff member's time.
fn lodged(service: &ServiceRecord) -> bool {
    matches!(
        service.values.item_type,
        ServiceItemType::Boarding | ServiceItemType::Daycare
    )
}

/// Answers the dates and, for each, each staff member's slots when the booking fits.
#[utoipa::path(post, path = "/v1/online-booking/availability", operation_id = "OnlineBookingService_GetBookingAvailability",
    request_body = GetBookingAvailabilityRequest,
    responses((status = 200, body = GetBookingAvailabilityResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn get_booking_availability(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<GetBookingAvailabilityRequest>,
) -> Result<Json<GetBookingAvailabilityResponse>, Status> {
    principal.require_scope(super::READ_SCOPE)?;
    let filter = request.filter.unwrap_or_default();
    let conn = db.get().await?;
    let scope = access::company_business(
        conn,
        &state.ids,
        &principal,
        request.company_id.as_deref(),
        "businessId",
        &request.business_id,
    )
    .await?;
    Ok(Json(
        compute(&state, conn, scope, &filter, now_micros()).await?,
    ))
}

/// The availability a filter asks about at a business the caller may read, as seen at `now`:
/// what the API answers and what the booking page offers.
pub async fn compute(
    state: &AppState,
    conn: &mut AnyConnection,
    scope: BusinessScope,
    filter: &AvailabilityFilter,
    now: i64,
) -> Result<GetBookingAvailabilityResponse, Status> {
    check_max_items("filter.serviceIds", filter.service_ids.len())?;
    check_max_items("filter.staffIds", filter.staff_ids.len())?;
    check_max_items("filter.pets", filter.pets.len())?;
    let zone = company::zone_of(conn, scope.company_id).await?;
    let days = requested_days(filter, company::local_time(now, zone).date_naive())?;
    let wanted = wanted(state, conn, scope, filter).await?;
    let staff = candidate_staff(state, conn, scope, filter, &wanted).await?;
    let window = wanted
        .iter()
        .map(Wanted::staffed_minutes)
        .max()
        .unwrap_or(0);
    let lodging_pets = wanted.iter().filter(|pet| pet.needs_lodging()).count() as i64;
    let range = (
        day_range(days[0], zone).0,
        day_range(days[days.len() - 1], zone).1,
    );
    let closed: Vec<Date> = check::closed_days(conn, scope, range).await?;
    let hours = hours::of_business(conn, scope.business_id).await?;
    let staff_ids: Vec<i64> = staff.iter().map(|(id, _)| *id).collect();
    let busy = staff_busy(conn, &staff_ids, range).await?;
    let units = match lodging_pets {
        0 => Vec::new(),
        _ => {
            lodgings::units(
                conn,
                scope.company_id,
                Some(&[scope.business_id]),
                ALL_UNITS,
            )
            .await?
        }
    };
    let mut answer = GetBookingAvailabilityResponse {
        available_dates: Vec::new(),
        availability: Vec::new(),
    };
    for day in days {
        let date = Date::from(day);
        if closed.contains(&date) {
            continue;
        }
        if lodging_pets > 0 && !has_room(conn, &units, day_range(day, zone), lodging_pets).await? {
            continue;
        }
        let mut by_staff = Vec::new();
        if window > 0 {
            // The day's candidate windows are the same for every staff member: worked out
            // (time zone, working hours, wire text) once.
            let candidates = day_candidates(day, zone, window, (now, hours.as_ref()));
            for ((staff_id, name), busy) in staff.iter().zip(&busy) {
                let slots: Vec<Interval> = candidates
                    .iter()
                    .filter(|(slot, _)| clear_of(busy, *slot))
                    .map(|(_, wire)| wire.clone())
                    .collect();
                if !slots.is_empty() {
                    by_staff.push(StaffAvailability {
                        staff_id: state.ids.encode(IdKind::Staff, *staff_id),
                        name: name.clone(),
                        available_slots: slots,
                    });
                }
            }
            if by_staff.is_empty() {
                continue;
            }
        }
        answer.available_dates.push(date);
        answer.availability.push(AvailabilityByDate {
            date,
            staff: by_staff,
        });
    }
    Ok(answer)
}

/// Every lodging unit of a business: businesses keep a handful.
pub(crate) const ALL_UNITS: moapi_core::pagination::Page = moapi_core::pagination::Page {
    number: 1,
    size: 100_000,
};

/// The days asked about: `startDate` (today by default) to `endDate` (the start by default),
/// at most [`MAX_DAYS`].
fn requested_days(filter: &AvailabilityFilter, today: NaiveDate) -> Result<Vec<NaiveDate>, Status> {
    let day = |field: &str, date: &Option<Date>| {
        date.as_ref()
            .filter(|date| !date.is_empty())
            .map(|date| date.calendar_day(field))
            .transpose()
    };
    let start = day("filter.startDate", &filter.start_date)?.unwrap_or(today);
    let end = day("filter.endDate", &filter.end_date)?.unwrap_or(start);
    if end < start {
        return Err(Status::invalid_argument(
            "filter.endDate: must not be before filter.startDate",
        ));
    }
    let count = (end - start).num_days() + 1;
    if count > MAX_DAYS {
        return Err(Status::invalid_argument(format!(
            "filter.endDate: at most {MAX_DAYS} days from filter.startDate"
        )));
    }
    Ok((0..count as u64).map(|n| start + Days::new(n)).collect())
}

/// Each pet and its services, checked: the pet the company's (or described), each service an
/// active one of the company offered at the business and to that pet. Without pets,
/// `filter.serviceIds` are one pet's services.
async fn wanted(
    state: &AppState,
    conn: &mut AnyConnection,
    scope: BusinessScope,
    filter: &AvailabilityFilter,
) -> Result<Vec<Wanted>, Status> {
    let unnamed = [PetParam::default()];
    let pets: &[PetParam] = match filter.pets.is_empty() {
        true => &unnamed,
        false => &filter.pets,
    };
    // The company's size and coat catalogs, which the services' pet filters read.
    let catalogs = PetProfiles::load(conn, scope.company_id, &[]).await?;
    let mut wanted = Vec::with_capacity(pets.len());
    for (index, param) in pets.iter().enumerate() {
        let field = format!("filter.pets[{index}]");
        let (references, references_field) = match param.service_ids.is_empty() {
            true => (&filter.service_ids, "filter.serviceIds".to_string()),
            false => (&param.service_ids, format!("{field}.serviceIds")),
        };
        if references.is_empty() {
            return Err(Status::invalid_argument(format!(
                "{field}.serviceIds: value is required (or filter.serviceIds for every pet)"
            )));
        }
        check_max_items(&references_field, references.len())?;
        let pet = pet_profile(state, conn, scope, &field, param).await?;
        let staff = match param.staff_id.as_deref().map(str::trim) {
            Some(staff) if !staff.is_empty() => {
                let staff_field = format!("{field}.staffId");
                Some(staff_of_business(state, conn, scope, &staff_field, staff).await?)
            }
            _ => None,
        };
        let mut chosen = Vec::with_capacity(references.len());
        for (number, reference) in references.iter().enumerate() {
            let service_field = format!("{references_field}[{number}]");
            let service = offered_service(state, conn, scope, &service_field, reference).await?;
            if !lets_in(&state.ids, &catalogs, &service.values.filters, &pet) {
                return Err(Status::invalid_argument(format!(
                    "{service_field}: the service is not offered to this pet"
                )));
            }
            chosen.push(service);
        }
        wanted.push(Wanted {
            services: chosen,
            staff,
        });
    }
    Ok(wanted)
}

/// The pet as the services' filters see it: an existing pet of the company by `id`, or the
/// one the parameters describe (type, breed, weight).
async fn pet_profile(
    state: &AppState,
    conn: &mut AnyConnection,
    scope: BusinessScope,
    field: &str,
    param: &PetParam,
) -> Result<PetProfile, Status> {
    match param.id.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() => {
            let id_field = format!("{field}.id");
            let pet = customers_pet(state, conn, (scope.company_id, None), &id_field, id).await?;
            Ok(PetProfile::of(conn, &pet).await?)
        }
        _ => {
            let weight = match &param.weight {
                Some(input) => weight(&format!("{field}.weight"), input)?,
                None => None,
            };
            Ok(PetProfile::described(param.pet_type, &param.breed, weight))
        }
    }
}

/// An active service of the company offered at the business (NOT_FOUND, code 7 for another
/// company's, FAILED_PRECONDITION when inactive, INVALID_ARGUMENT when not offered there).
async fn offered_service(
    state: &AppState,
    conn: &mut AnyConnection,
    scope: BusinessScope,
    field: &str,
    reference: &str,
) -> Result<ServiceRecord, Status> {
    let id = decode(state, IdKind::Service, reference.trim())?;
    let service = services::find(conn, id)
        .await?
        .ok_or_else(|| Status::not_found(format!("{field}: service not found")))?;
    if service.company_id != scope.company_id {
        return Err(Status::no_permission());
    }
    if service.values.inactive {
        return Err(Status::new(
            moapi_core::Code::FailedPrecondition,
            format!("{field}: the service is inactive"),
        ));
    }
    if !service.values.offered_at_any(&[scope.business_id]) {
        return Err(Status::invalid_argument(format!(
            "{field}: the service is not available at this business"
        )));
    }
    Ok(service)
}

/// The staff who could give every staffed service of the visit: live staff working at the
/// business, allowed by each such service, within `filter.staffIds` and the pets' preferred
/// staff when given; `(id, "First Last")` by ID. None when no service needs staff.
async fn candidate_staff(
    state: &AppState,
    conn: &mut AnyConnection,
    scope: BusinessScope,
    filter: &AvailabilityFilter,
    wanted: &[Wanted],
) -> Result<Vec<(i64, String)>, Status> {
    let mut named = BTreeSet::new();
    for (index, staff) in filter.staff_ids.iter().enumerate() {
        let field = format!("filter.staffIds[{index}]");
        named.insert(staff_of_business(state, conn, scope, &field, staff).await?);
    }
    if wanted.iter().all(|pet| pet.staffed_minutes() == 0) {
        return Ok(Vec::new());
    }
    let preferred: BTreeSet<i64> = wanted.iter().filter_map(|pet| pet.staff).collect();
    Ok(business_staff(conn, scope.business_id)
        .await?
        .into_iter()
        .filter(|(id, _)| named.is_empty() || named.contains(id))
        .filter(|(id, _)| preferred.iter().all(|preferred| preferred == id))
        .filter(|(id, _)| {
            wanted
                .iter()
                .flat_map(|pet| &pet.services)
                .filter(|service| !lodged(service))
                .all(|service| service.values.gives(*id))
        })
        .collect())
}

/// A staff slot row as `staff_busy` reads it.
#[derive(serde::Deserialize)]
struct HeldTime {
    staff_id: i64,
    start_at: i64,
    end_at: i64,
}

/// Each staff member's held time (appointments and blocks) overlapping `[start, end)`, in the
/// order of `staff`, merged into disjoint intervals in order, so that a slot is checked by one
/// binary search. One statement for all of them.
async fn staff_busy(
    conn: &mut AnyConnection,
    staff: &[i64],
    (start, end): (i64, i64),
) -> Result<Vec<Vec<(i64, i64)>>, sqlx::Error> {
    let mut merged: Vec<Vec<(i64, i64)>> = vec![Vec::new(); staff.len()];
    if staff.is_empty() {
        return Ok(merged);
    }
    let column = |name: &str| Alias::new(name);
    let mut bound = Query::select();
    bound
        .expr(Expr::col(column("longest")).max())
        .from(column("moego_staff_hold_bounds"))
        .and_where(Expr::col(column("staff_id")).is_in(staff.iter().copied()));
    let (sql, values) = build(&bound);
    let (longest,): (Option<i64>,) = query_as_with(&sql, values).fetch_one(&mut *conn).await?;
    // No bound: none of them ever held any time.
    let Some(longest) = longest else {
        return Ok(merged);
    };
    let mut select = Query::select();
    select
        .columns([column("staff_id"), column("start_at"), column("end_at")])
        .from(column("moego_staff_slots"))
        .and_where(Expr::col(column("staff_id")).is_in(staff.iter().copied()))
        .and_where(Expr::col(column("end_at")).gt(start))
        // A slot starting before `end` ends before `end + longest`: the index scan on
        // (staff_id, end_at) stops there instead of walking the whole future.
        .and_where(Expr::col(column("end_at")).lt(end.saturating_add(longest)))
        .and_where(Expr::col(column("start_at")).lt(end))
        .order_by(column("staff_id"), Order::Asc)
        .order_by(column("start_at"), Order::Asc);
    // One JSON document, not a row each: a busy fortnight is thousands of rows, and each row
    // would cross from SQLite's thread on its own.
    let held: Vec<HeldTime> = db::fetch_all_json(
        conn,
        &select,
        &[("staff_id", Order::Asc), ("start_at", Order::Asc)],
    )
    .await?;
    for HeldTime {
        staff_id,
        start_at: from,
        end_at: to,
    } in held
    {
        let Some(index) = staff.iter().position(|id| *id == staff_id) else {
            continue;
        };
        let intervals = &mut merged[index];
        match intervals.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => intervals.push((from, to)),
        }
    }
    Ok(merged)
}

/// Whether `[start, end)` is clear of the disjoint, ordered `busy` intervals.
fn clear_of(busy: &[(i64, i64)], (start, end): (i64, i64)) -> bool {
    // The first interval ending after the start is the only one that could overlap.
    let next = busy.partition_point(|(_, to)| *to <= start);
    busy.get(next).is_none_or(|(from, _)| end <= *from)
}

/// Every live staff member working at the business, `(id, "First Last")` by ID.
pub(crate) async fn business_staff(
    conn: &mut AnyConnection,
    business_id: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, TRIM(s.first_name || ' ' || s.last_name) FROM moego_staff s \
         JOIN moego_staff_businesses b ON b.staff_id = s.id \
         WHERE b.business_id = $1 AND s.deleted = 0 ORDER BY s.id",
    )
    .bind(business_id)
    .fetch_all(conn)
    .await
}

/// Whether one lodging unit has room for `pets` more pets over the day.
async fn has_room(
    conn: &mut AnyConnection,
    units: &[lodgings::UnitRow],
    day: (i64, i64),
    pets: i64,
) -> Result<bool, Status> {
    Ok(unit_with_room(conn, units, day, pets).await?.is_some())
}

/// The first of `units` with room for `pets` more pets over `[start, end)`.
pub(crate) async fn unit_with_room(
    conn: &mut AnyConnection,
    units: &[lodgings::UnitRow],
    range: (i64, i64),
    pets: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let ids: Vec<i64> = units.iter().map(|unit| unit.id).collect();
    let lodged = capacity::pets_lodged_in(conn, &ids, range, None).await?;
    Ok(units
        .iter()
        .find(|unit| {
            let there = lodged.iter().filter(|(at, _)| *at == unit.id).count() as i64;
            there + pets <= unit.max_pet_num
        })
        .map(|unit| unit.id))
}

/// The visit's start times on a day, every [`SLOT_STEP_MINUTES`] of the wall clock, as
/// `[start, start + window)` with its wire form: after `now` and within one working range
/// (always, without working hours). A staff member's slots are those clear of their held time.
fn day_candidates(
    day: NaiveDate,
    zone: chrono_tz::Tz,
    window: i64,
    (now, hours): (i64, Option<&WorkingHours>),
) -> Vec<((i64, i64), Interval)> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    (0..24 * 60)
        .step_by(SLOT_STEP_MINUTES as usize)
        .filter_map(|minute| {
            let local = midnight + chrono::TimeDelta::minutes(minute);
            // A wall-clock time a daylight-saving change skips is no slot.
            zone.from_local_datetime(&local).earliest()
        })
        .map(|at| at.timestamp_micros())
        .map(|start| (start, start + window * MICROS_PER_MINUTE))
        .filter(|(start, _)| *start > now)
        .filter(|(start, end)| hours.is_none_or(|hours| hours.covers(*start, *end)))
        .map(|(start, end)| ((start, end), Interval::from_micros(Some(start), Some(end))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::clear_of;

    #[test]
    fn a_slot_is_clear_only_between_held_intervals() {
        let busy = [(10, 20), (30, 40)];
        assert!(clear_of(&busy, (0, 10)));
        assert!(clear_of(&busy, (20, 30)));
        assert!(clear_of(&busy, (40, 50)));
        assert!(!clear_of(&busy, (5, 11)));
        assert!(!clear_of(&busy, (19, 31)));
        assert!(!clear_of(&busy, (35, 36)));
        assert!(!clear_of(&busy, (0, 100)));
        assert!(clear_of(&[], (0, 100)));
    }
}
