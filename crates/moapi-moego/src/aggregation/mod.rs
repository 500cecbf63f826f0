//! Client lookup (AggregationService): a receptionist's or an integration's "who is calling?"
//! — the customer with a phone number in the business's company, its pets, and its last and
//! next appointments.

pub mod wire;

use axum::extract::State;
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, IdKind, Status};
use sqlx::AnyConnection;

use crate::appointment::store as appointments;
use crate::pet::store::{self as pets, PetRecord};
use crate::pet::wire::WeightUnit;
use crate::{access, business, company, customer};
use wire::{
    CustomerSummary, LookupClientPetProfileRequest, LookupClientPetProfileResponse, PetView,
};

pub const READ_SCOPE: &str = "clients:read";

/// A live customer found by phone.
#[derive(sqlx::FromRow)]
pub struct CustomerMatch {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
}

/// The live customer of a company with an E.164 phone; the oldest when several share it.
pub async fn find_customer_by_phone(
    conn: &mut AnyConnection,
    company_id: i64,
    phone: &str,
) -> Result<Option<CustomerMatch>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, first_name, last_name, phone, email FROM moego_customers \
         WHERE company_id = $1 AND phone = $2 AND deleted = 0 ORDER BY id LIMIT 1",
    )
    .bind(company_id)
    .bind(phone)
    .fetch_optional(conn)
    .await
}

/// Looks up a customer of the business's company by phone (E.164-normalised, so any typing of
/// the number matches), with its live pets. No match answers an empty profile, not an error.
#[utoipa::path(post, path = "/v1/aggregation/clients:lookupClientPetProfile", operation_id = "AggregationService_LookupClientPetProfile",
    request_body = LookupClientPetProfileRequest,
    responses((status = 200, body = LookupClientPetProfileResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn lookup_client_pet_profile(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<LookupClientPetProfileRequest>,
) -> Result<Json<LookupClientPetProfileResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let business_id = request
        .business_id
        .as_deref()
        .filter(|id| !id.is_empty())
        .ok_or_else(|| Status::invalid_argument("businessId: value is required"))?;
    let phone = request
        .phone_number
        .as_deref()
        .map(str::trim)
        .filter(|phone| !phone.is_empty())
        .ok_or_else(|| Status::invalid_argument("phoneNumber: value is required"))?;
    let business_id = state
        .ids
        .decode(IdKind::Business, business_id)
        .map_err(|_| Status::invalid_obfuscate())?;
    let conn = db.get().await?;
    let business = business::store::find(conn, business_id)
        .await?
        .ok_or_else(|| Status::not_found("business not found"))?;
    let company = company::store::find(conn, business.company_id)
        .await?
        .ok_or_else(|| Status::internal("the business's company is missing"))?;
    access::require(&principal, company.owner(), Some(business.id))?;
    // A national number is read in the company's country, as stored numbers were.
    let phone = customer::input::phone("phoneNumber", phone, &company.country)?;
    let customer = find_customer_by_phone(conn, business.company_id, &phone).await?;
    let Some(customer) = customer else {
        return Ok(Json(LookupClientPetProfileResponse {
            customer: None,
            pets: Vec::new(),
            last_appointment: None,
            next_appointment: None,
        }));
    };
    let rows = pets::list_of_customer(conn, customer.id, false).await?;
    let records = pets::with_details(conn, rows).await?;
    let (last_appointment, next_appointment) =
        recent_appointments(conn, &state.ids, &company, (business.id, customer.id)).await?;
    Ok(Json(LookupClientPetProfileResponse {
        customer: Some(CustomerSummary {
            id: state.ids.encode(IdKind::Customer, customer.id),
            first_name: customer.first_name,
            last_name: customer.last_name,
            phone: customer.phone,
            email: (!customer.email.is_empty()).then_some(customer.email),
        }),
        pets: records
            .iter()
            .map(|record| pet_view(&state, record))
            .collect(),
        last_appointment,
        next_appointment,
    }))
}

/// The customer's last and next appointments at the business, as
/// `LookupClientPetProfileResponseAppointmentView`s.
async fn recent_appointments(
    conn: &mut AnyConnection,
    ids: &moapi_core::IdCodec,
    company: &company::store::CompanyRow,
    (business_id, customer_id): (i64, i64),
) -> Result<(Option<serde_json::Value>, Option<serde_json::Value>), sqlx::Error> {
    let zone = company::time_zone(&company.timezone_id);
    let (last, next) = appointments::last_and_next(
        conn,
        business_id,
        customer_id,
        moapi_core::time::now_micros(),
    )
    .await?;
    let mut views = Vec::new();
    for row in [last, next] {
        views.push(match row {
            Some(row) => {
                let details = appointments::details_of(conn, &[row.id]).await?;
                Some(appointment_view(ids, zone, &row, &details))
            }
            None => None,
        });
    }
    let next = views.pop().flatten();
    Ok((views.pop().flatten(), next))
}

/// A calendar day and minutes from midnight in the company's time zone, as the view writes
/// times.
fn day_and_minutes(micros: i64, zone: chrono_tz::Tz) -> (serde_json::Value, i64) {
    use chrono::{Datelike, Timelike};
    let at = company::local_time(micros, zone);
    (
        serde_json::json!({"year": at.year(), "month": at.month(), "day": at.day()}),
        i64::from(at.hour() * 60 + at.minute()),
    )
}

fn appointment_view(
    ids: &moapi_core::IdCodec,
    zone: chrono_tz::Tz,
    row: &appointments::AppointmentRow,
    details: &[appointments::DetailRow],
) -> serde_json::Value {
    let (start_date, start_time) = day_and_minutes(row.start_at, zone);
    let (end_date, end_time) = day_and_minutes(row.end_at, zone);
    let mut pets: Vec<(i64, Vec<serde_json::Value>)> = Vec::new();
    for detail in details {
        let mut service = serde_json::json!({
            "serviceId": ids.encode(IdKind::Service, detail.service_id),
            "serviceName": detail.name,
            "serviceItemType": detail.service_item_type,
            "serviceTime": detail.duration_minutes,
            // The view's price is a double, the vendor's type; the exact amount is the order's.
            "servicePrice": detail.price.parse::<f64>().unwrap_or_default(),
        });
        if let Some(staff) = detail.staff_id {
            service["staffId"] = ids.encode(IdKind::Staff, staff).into();
        }
        if let Some(unit) = detail.lodging_unit_id {
            service["lodgingId"] = ids.encode(IdKind::LodgingUnit, unit).into();
        }
        match pets.iter_mut().find(|(pet, _)| *pet == detail.pet_id) {
            Some((_, services)) => services.push(service),
            None => pets.push((detail.pet_id, vec![service])),
        }
    }
    serde_json::json!({
        "appointmentId": ids.encode(IdKind::Appointment, row.id),
        "startDate": start_date,
        "startTime": start_time,
        "endDate": end_date,
        "endTime": end_time,
        "mainCareType": details.first().map(|d| d.service_item_type.as_str()).unwrap_or("GROOMING"),
        "petServiceDetails": pets
            .into_iter()
            .map(|(pet, services)| serde_json::json!({
                "petId": ids.encode(IdKind::Pet, pet),
                "services": services,
            }))
            .collect::<Vec<_>>(),
    })
}

fn pet_view(state: &AppState, record: &PetRecord) -> PetView {
    let pet = record.to_wire(&state.ids);
    PetView {
        pet_id: pet.id,
        pet_name: pet.name,
        pet_type: pet.pet_type,
        breed: pet.breed,
        breed_mixed: false,
        gender: pet.gender,
        weight: pet
            .weight
            .map(|weight| {
                let unit = match weight.unit {
                    WeightUnit::Pound => "lb",
                    _ => "kg",
                };
                format!("{} {unit}", weight.value)
            })
            .unwrap_or_default(),
        coat_type: pet.coat,
        fixed: pet.fixed,
        birthday: pet.birthday,
        evaluation_status: pet.evaluation_status,
        feeding_schedules: Vec::new(),
        medication_schedules: Vec::new(),
        vaccine_list: pet.vaccinations,
    }
}
