//! `appointments:check`: whether pets could be booked at a business over a date range,
//! without writing anything. It reports the pets' live appointments overlapping the range,
//! the business's closed days in it, and the lodging units the pets would overfill.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::Json;
use chrono::{Days, NaiveDate};
use chrono_tz::Tz;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, IdKind, Status};
use sqlx::AnyConnection;

use super::booking::{bookable_customer, customers_pet, lodging_unit_of_business};
use super::wire::{
    CheckAvailabilityRequest, CheckAvailabilityResponse, ClosedDateCheck, ConflictCheck,
    LodgingCapacityCheck, PetAppointmentsOverview,
};
use super::{appointment_of, capacity, store, READ_SCOPE};
use crate::access::{self, BusinessScope};
use crate::company;
use crate::setting::lodging::{Lodging, LodgingType, LodgingUnit, LodgingUnitType};
use crate::wire::{check_max_items, interval, Date};

/// Checks availability; every part of the answer is present, empty when it found nothing.
#[utoipa::path(post, path = "/v1/appointments:check", operation_id = "AppointmentService_CheckAppointmentAvailability",
    request_body = CheckAvailabilityRequest,
    responses((status = 200, body = CheckAvailabilityResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn check_availability(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<CheckAvailabilityRequest>,
) -> Result<Json<CheckAvailabilityResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let range = request
        .date_range
        .as_ref()
        .ok_or_else(|| Status::invalid_argument("dateRange: value is required"))?;
    let range = match interval("dateRange", range)? {
        (Some(start), Some(end)) if start < end => (start, end),
        (Some(_), Some(_)) => {
            return Err(Status::invalid_argument(
                "dateRange: endTime must be after startTime",
            ))
        }
        _ => {
            return Err(Status::invalid_argument(
                "dateRange: startTime and endTime are required",
            ))
        }
    };
    check_max_items("petIds", request.pet_ids.len())?;
    check_max_items("lodgingUnitIds", request.lodging_unit_ids.len())?;
    let conn = db.get().await?;
    let scope = access::business(
        conn,
        &state.ids,
        &principal,
        "businessId",
        &request.business_id,
    )
    .await?;
    let customer = match request.customer_id.as_deref().filter(|id| !id.is_empty()) {
        Some(id) => Some(bookable_customer(&state, conn, scope, "customerId", id).await?),
        None => None,
    };
    let except = match request
        .appointment_id
        .as_deref()
        .filter(|id| !id.is_empty())
    {
        Some(id) => Some(appointment_of(&state, &principal, conn, id, None).await?.id),
        None => None,
    };
    let mut pets = BTreeSet::new();
    for (index, pet) in request.pet_ids.iter().enumerate() {
        let field = format!("petIds[{index}]");
        pets.insert(
            customers_pet(&state, conn, (scope.company_id, customer), &field, pet)
                .await?
                .id,
        );
    }
    let mut units = Vec::new();
    for (index, unit) in request.lodging_unit_ids.iter().enumerate() {
        let field = format!("lodgingUnitIds[{index}]");
        units.push(
            lodging_unit_of_business(&state, conn, scope, &field, unit)
                .await?
                .0,
        );
    }
    let conflicts = pet_conflicts(&state, conn, &pets, range, except).await?;
    let closed_dates = closed_days(conn, scope, range).await?;
    let lodgings = overfilled(&state, conn, &units, &pets, range, except).await?;
    Ok(Json(CheckAvailabilityResponse {
        appointment_conflict_check: ConflictCheck { conflicts },
        business_closed_date_check: ClosedDateCheck { closed_dates },
        lodging_over_capacity_check: LodgingCapacityCheck { lodgings },
    }))
}

async fn pet_conflicts(
    state: &AppState,
    conn: &mut AnyConnection,
    pets: &BTreeSet<i64>,
    range: (i64, i64),
    except: Option<i64>,
) -> Result<Vec<PetAppointmentsOverview>, Status> {
    let mut conflicts = Vec::new();
    for pet in pets {
        let rows = store::pet_overlaps(conn, *pet, range, except).await?;
        if rows.is_empty() {
            continue;
        }
        // The pet's appointments book it, so rendering them renders it too.
        let (appointments, mut pets) = store::render_with_pets(conn, &state.ids, &rows).await?;
        let pet = pets
            .remove(pet)
            .ok_or_else(|| Status::internal(format!("pet {pet} vanished")))?;
        conflicts.push(PetAppointmentsOverview { pet, appointments });
    }
    Ok(conflicts)
}

/// The calendar day of an instant in a time zone.
fn day_of(micros: i64, zone: Tz) -> NaiveDate {
    company::local_time(micros, zone).date_naive()
}

/// The business's closed days within the range (end exclusive), as calendar days of its
/// company's time zone.
pub(crate) async fn closed_days(
    conn: &mut AnyConnection,
    scope: BusinessScope,
    (start, end): (i64, i64),
) -> Result<Vec<Date>, Status> {
    // A zone's day is at most one day off the UTC day, so UTC days one wider find every range.
    let text = |day: NaiveDate| day.format("%Y-%m-%d").to_string();
    let utc_day = |micros: i64| day_of(micros, chrono_tz::UTC);
    let ranges: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT d.start_date, d.end_date, c.timezone_id FROM moego_closed_dates d \
         JOIN moego_companies c ON c.id = $2 \
         WHERE d.business_id = $1 AND d.start_date <= $3 AND d.end_date >= $4 \
         ORDER BY d.start_date",
    )
    .bind(scope.business_id)
    .bind(scope.company_id)
    .bind(text(utc_day(end - 1) + Days::new(1)))
    .bind(text(utc_day(start) - Days::new(1)))
    .fetch_all(conn)
    .await?;
    let Some(zone) = ranges.first().map(|(_, _, zone)| company::time_zone(zone)) else {
        return Ok(Vec::new());
    };
    let (first, last) = (day_of(start, zone), day_of(end - 1, zone));
    let parse = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    let mut days = BTreeSet::new();
    for (from, to, _) in ranges {
        let (Some(from), Some(to)) = (parse(&from), parse(&to)) else {
            continue;
        };
        let mut day = from.max(first);
        while day <= to.min(last) {
            days.insert(day);
            day = day.checked_add_days(Days::new(1)).unwrap_or(NaiveDate::MAX);
        }
    }
    Ok(days.into_iter().map(Date::from).collect())
}

#[derive(sqlx::FromRow)]
struct UnitRow {
    unit_name: String,
    type_id: i64,
    type_name: String,
    description: String,
    photo_list: String,
    max_pet_num: i64,
    unit_type: String,
}

/// The units that would hold more pets than their type allows with these pets added, grouped
/// by lodging type.
async fn overfilled(
    state: &AppState,
    conn: &mut AnyConnection,
    units: &[i64],
    pets: &BTreeSet<i64>,
    range: (i64, i64),
    except: Option<i64>,
) -> Result<Vec<Lodging>, Status> {
    let mut lodgings: Vec<Lodging> = Vec::new();
    for unit in units.iter().collect::<BTreeSet<_>>() {
        let row: UnitRow = sqlx::query_as(
            "SELECT u.name AS unit_name, t.id AS type_id, t.name AS type_name, t.description, \
             t.photo_list, t.max_pet_num, t.unit_type FROM moego_lodging_units u \
             JOIN moego_lodging_types t ON t.id = u.lodging_type_id WHERE u.id = $1",
        )
        .bind(unit)
        .fetch_one(&mut *conn)
        .await?;
        let mut lodged: BTreeSet<i64> = capacity::lodged_pets(conn, *unit, range, except)
            .await?
            .into_iter()
            .collect();
        lodged.extend(pets);
        if lodged.len() as i64 <= row.max_pet_num {
            continue;
        }
        let unit_wire = LodgingUnit {
            id: state.ids.encode(IdKind::LodgingUnit, *unit),
            name: row.unit_name.clone(),
        };
        let type_id = state.ids.encode(IdKind::Lodging, row.type_id);
        match lodgings.iter_mut().find(|l| l.lodging_type.id == type_id) {
            Some(lodging) => lodging.lodging_units.push(unit_wire),
            None => lodgings.push(Lodging {
                lodging_type: LodgingType {
                    id: type_id,
                    name: row.type_name,
                    description: row.description,
                    photo_list: serde_json::from_str(&row.photo_list).unwrap_or_default(),
                    max_pet_num: i32::try_from(row.max_pet_num).unwrap_or(i32::MAX),
                    lodging_unit_type: LodgingUnitType::from_name(&row.unit_type),
                },
                lodging_units: vec![unit_wire],
            }),
        }
    }
    Ok(lodgings)
}
