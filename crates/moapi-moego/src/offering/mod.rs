//! Offerings (OfferingService): what a business offers to book, computed, never stored.
//! ListLodgings answers each lodging unit with whether it has room for one more pet on a
//! date, from the live stays that occupy it that day (the count bookings and
//! `appointments:check` make); ListServices is services.rs.

pub mod services;
pub mod store;
pub mod wire;

pub use services::list_services;

use std::collections::BTreeSet;

use axum::extract::State;
use axum::Json;
use chrono::{Days, NaiveDate, TimeZone};
use moapi_core::auth::{CompanyOwner, MoegoPrincipal};
use moapi_core::db::Conn;
use moapi_core::pagination::Page;
use moapi_core::time::now_micros;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, IdKind, Status};
use sqlx::AnyConnection;

use crate::access;
use crate::appointment::booking::{customers_pet, decode};
use crate::appointment::capacity;
use crate::company;
use crate::wire::check_max_items;
use wire::{ListLodgingsRequest, ListLodgingsResponse, LodgingAvailability};

pub const READ_SCOPE: &str = "offerings:read";

/// Lists the lodging units of the business (or of every business of the company the key
/// reaches) with their availability on the date (today in the company's time zone when
/// none is given).
#[utoipa::path(post, path = "/v1/offerings/lodgings:list", operation_id = "OfferingService_ListLodgings",
    request_body = ListLodgingsRequest,
    responses((status = 200, body = ListLodgingsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_lodgings(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListLodgingsRequest>,
) -> Result<Json<ListLodgingsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_optional(request.pagination.as_ref())?;
    check_max_items("serviceIds", request.service_ids.len())?;
    let conn = db.get().await?;
    let (owner, business_ids) = reached_businesses(
        conn,
        &state,
        &principal,
        (
            request.company_id.as_deref(),
            request.business_id.as_deref(),
        ),
    )
    .await?;
    let zone = company::zone_of(conn, owner.company_id).await?;
    let day = match request.date.filter(|date| !date.is_empty()) {
        Some(date) => date.calendar_day("date")?,
        None => company::local_time(now_micros(), zone).date_naive(),
    };
    let pet = match request.pet_id.as_deref().map(str::trim) {
        Some(pet) if !pet.is_empty() => {
            let company = (owner.company_id, None);
            Some(customers_pet(&state, conn, company, "petId", pet).await?.id)
        }
        _ => None,
    };
    for (index, service) in request.service_ids.iter().enumerate() {
        service_of_company(&state, conn, owner.company_id, index, service).await?;
    }
    let mut units = store::units(conn, owner.company_id, business_ids.as_deref(), page).await?;
    let next_page_token = page.finish(&mut units);
    let unit_ids: Vec<i64> = units.iter().map(|unit| unit.id).collect();
    let lodged: BTreeSet<(i64, i64)> =
        capacity::pets_lodged_in(conn, &unit_ids, day_range(day, zone), None)
            .await?
            .into_iter()
            .collect();
    let lodgings = units
        .into_iter()
        .map(|unit| {
            let pets = lodged.iter().filter(|(at, _)| *at == unit.id).count() as i64;
            let already_there = pet.is_some_and(|pet| lodged.contains(&(unit.id, pet)));
            let available = already_there || pets < unit.max_pet_num;
            LodgingAvailability {
                lodging_id: state.ids.encode(IdKind::LodgingUnit, unit.id),
                lodging_name: unit.name,
                available,
                unavailable_reason: if available {
                    String::new()
                } else {
                    format!(
                        "Over capacity: {} holds {} pets and {pets} are lodged on {day}",
                        unit.type_name, unit.max_pet_num
                    )
                },
            }
        })
        .collect();
    Ok(Json(ListLodgingsResponse {
        lodgings,
        next_page_token,
    }))
}

/// The company and the businesses an offering list covers: its `businessId` when given, else
/// every business of the company the key reaches (`None`: all of them).
async fn reached_businesses(
    conn: &mut AnyConnection,
    state: &AppState,
    principal: &MoegoPrincipal,
    (company_id, business_id): (Option<&str>, Option<&str>),
) -> Result<(CompanyOwner, Option<Vec<i64>>), Status> {
    let named: Vec<String> = business_id
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .into_iter()
        .collect();
    access::optionally_listed_businesses(
        conn,
        &state.ids,
        principal,
        company_id,
        "businessId",
        &named,
    )
    .await
}

/// A calendar day of a time zone as `[start, end)` in microseconds: from its first instant
/// to the next day's (23 or 25 hours across a daylight-saving change).
pub(crate) fn day_range(day: NaiveDate, zone: chrono_tz::Tz) -> (i64, i64) {
    let first_instant = |day: NaiveDate| {
        let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
        zone.from_local_datetime(&midnight)
            .earliest()
            // A zone whose clocks skip midnight starts that day at the skipped hour's end.
            .unwrap_or_else(|| zone.from_utc_datetime(&midnight))
            .timestamp_micros()
    };
    let next = day.checked_add_days(Days::new(1)).unwrap_or(day);
    (first_instant(day), first_instant(next))
}

/// Checks that `serviceIds[index]` is a service of the company: NOT_FOUND, or code 7 for
/// another company's.
async fn service_of_company(
    state: &AppState,
    conn: &mut AnyConnection,
    company_id: i64,
    index: usize,
    service: &str,
) -> Result<(), Status> {
    let id = decode(state, IdKind::Service, service.trim())?;
    let owner: Option<(i64,)> =
        sqlx::query_as("SELECT company_id FROM moego_services WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    match owner {
        None => Err(Status::not_found(format!(
            "serviceIds[{index}]: service not found"
        ))),
        Some((owner,)) if owner != company_id => Err(Status::no_permission()),
        Some(_) => Ok(()),
    }
}
