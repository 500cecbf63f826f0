//! Booking rules: what a create request names (business, customer, its pets, services of the
//! catalog, staff, lodging units) checked against the key's tenancy and the catalog's
//! availability, and each service's time window worked out; then the checked booking is
//! committed together with the others waiting at the same time ([`commit`]). The conflict
//! check that must see concurrent bookings runs in the write's transaction
//! (`store::insert_all`).

use std::collections::VecDeque;

use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::time::now_micros;
use moapi_core::{AppState, Code, IdKind, Status};
use sqlx::AnyConnection;

use super::store::{self, Booked, BookingNote, NewAppointment, NewDetail};
use super::wire::{Appointment, CreateAppointmentRequest, NoteType, ServiceInput};
use crate::access::{self, BusinessScope};
use crate::money::{Amount, Money};
use crate::online_booking::abandoned;
use crate::online_booking::store as visits;
use crate::pet::store::PetRow;
use crate::wire::{check_max_items, interval};

/// Longest note text accepted.
const MAX_NOTE_CHARS: usize = 10_000;
const MICROS_PER_MINUTE: i64 = 60_000_000;

pub fn decode(state: &AppState, kind: IdKind, id: &str) -> Result<i64, Status> {
    state
        .ids
        .decode(kind, id)
        .map_err(|_| Status::invalid_obfuscate())
}

/// A customer of the business's company that may book: NOT_FOUND, code 7 for another
/// company's, FAILED_PRECONDITION when deleted.
pub async fn bookable_customer(
    state: &AppState,
    conn: &mut AnyConnection,
    scope: BusinessScope,
    field: &str,
    customer_id: &str,
) -> Result<i64, Status> {
    if customer_id.trim().is_empty() {
        return Err(Status::invalid_argument(format!(
            "{field}: value is required"
        )));
    }
    let id = decode(state, IdKind::Customer, customer_id)?;
    let (company_id, deleted): (i64, i64) =
        sqlx::query_as("SELECT company_id, deleted FROM moego_customers WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| Status::not_found(format!("{field}: customer not found")))?;
    if company_id != scope.company_id {
        return Err(Status::no_permission());
    }
    if deleted != 0 {
        return Err(Status::new(
            Code::FailedPrecondition,
            format!("{field}: the customer has been deleted"),
        ));
    }
    Ok(id)
}

/// A live pet of the customer (NOT_FOUND for a pet of another customer, code 7 for another
/// company's).
pub async fn customers_pet(
    state: &AppState,
    conn: &mut AnyConnection,
    (company_id, customer_id): (i64, Option<i64>),
    field: &str,
    pet_id: &str,
) -> Result<PetRow, Status> {
    let id = decode(state, IdKind::Pet, pet_id)?;
    let pet = crate::pet::store::find(conn, id)
        .await?
        .ok_or_else(|| Status::not_found(format!("{field}: pet not found")))?;
    if pet.company_id != company_id {
        return Err(Status::no_permission());
    }
    if customer_id.is_some_and(|customer| customer != pet.customer_id) {
        return Err(Status::not_found(format!(
            "{field}: the pet does not belong to the customer"
        )));
    }
    if pet.is_deleted() {
        return Err(Status::new(
            Code::FailedPrecondition,
            format!("{field}: the pet has been deleted"),
        ));
    }
    Ok(pet)
}

#[derive(sqlx::FromRow)]
struct ServiceRow {
    company_id: i64,
    name: String,
    category: String,
    service_item_type: String,
    service_type: String,
    price: String,
    currency_code: String,
    duration_minutes: i64,
    available_all_business: i64,
    available_business_ids: String,
    available_all_staff: i64,
    available_staff_ids: String,
    inactive: i64,
}

fn listed(all: i64, ids_json: &str, id: i64) -> bool {
    all != 0 || serde_json::from_str::<Vec<i64>>(ids_json).is_ok_and(|ids| ids.contains(&id))
}

/// A live staff member of the business's company who works at the business.
pub async fn staff_of_business(
    state: &AppState,
    conn: &mut AnyConnection,
    scope: BusinessScope,
    field: &str,
    staff_id: &str,
) -> Result<i64, Status> {
    let id = decode(state, IdKind::Staff, staff_id)?;
    let (company_id, deleted, works_here): (i64, i64, i64) = sqlx::query_as(
        "SELECT s.company_id, s.deleted, (SELECT COUNT(*) FROM moego_staff_businesses b \
         WHERE b.staff_id = s.id AND b.business_id = $2) FROM moego_staff s WHERE s.id = $1",
    )
    .bind(id)
    .bind(scope.business_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Status::not_found(format!("{field}: staff not found")))?;
    if company_id != scope.company_id {
        return Err(Status::no_permission());
    }
    if deleted != 0 || works_here == 0 {
        return Err(Status::invalid_argument(format!(
            "{field}: the staff member does not work at this business"
        )));
    }
    Ok(id)
}

/// A lodging unit of the business: its ID, and its and its type's names.
pub async fn lodging_unit_of_business(
    state: &AppState,
    conn: &mut AnyConnection,
    scope: BusinessScope,
    field: &str,
    unit_id: &str,
) -> Result<(i64, (String, String)), Status> {
    let id = decode(state, IdKind::LodgingUnit, unit_id)?;
    let (company_id, business_id, unit_name, type_name): (i64, i64, String, Option<String>) =
        sqlx::query_as(
            "SELECT u.company_id, u.business_id, u.name, t.name FROM moego_lodging_units u \
             LEFT JOIN moego_lodging_types t ON t.id = u.lodging_type_id WHERE u.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Status::not_found(format!("{field}: lodging unit not found")))?;
    if company_id != scope.company_id {
        return Err(Status::no_permission());
    }
    if business_id != scope.business_id {
        return Err(Status::invalid_argument(format!(
            "{field}: the lodging unit belongs to another business"
        )));
    }
    Ok((id, (unit_name, type_name.unwrap_or_default())))
}

/// A note's text: required, at most [`MAX_NOTE_CHARS`].
pub fn note_text(field: &str, note: &str) -> Result<String, Status> {
    let note = note.trim();
    if note.is_empty() {
        return Err(Status::invalid_argument(format!(
            "{field}: value is required"
        )));
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(Status::invalid_argument(format!(
            "{field}: at most {MAX_NOTE_CHARS} characters"
        )));
    }
    Ok(note.to_string())
}

/// A note type one of `allowed`.
pub fn note_type(
    field: &str,
    note_type: NoteType,
    allowed: &[NoteType],
) -> Result<&'static str, Status> {
    if allowed.contains(&note_type) {
        Ok(note_type.name())
    } else {
        let names: Vec<&str> = allowed.iter().map(|t| t.name()).collect();
        Err(Status::invalid_argument(format!(
            "{field}: value must be one of {}",
            names.join(", ")
        )))
    }
}

/// One requested service checked and timed. `cursor` is where the pet's previous service
/// ended: a service without a start begins there.
async fn checked_service(
    state: &AppState,
    conn: &mut AnyConnection,
    (scope, pet_id): (BusinessScope, i64),
    field: &str,
    input: &ServiceInput,
    cursor: Option<i64>,
) -> Result<NewDetail, Status> {
    if input.id.trim().is_empty() {
        return Err(Status::invalid_argument(format!(
            "{field}.id: value is required"
        )));
    }
    let service_id = decode(state, IdKind::Service, &input.id)?;
    let service: ServiceRow = sqlx::query_as(
        "SELECT company_id, name, category, service_item_type, service_type, price, \
         currency_code, duration_minutes, available_all_business, available_business_ids, \
         available_all_staff, available_staff_ids, inactive FROM moego_services WHERE id = $1",
    )
    .bind(service_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Status::not_found(format!("{field}.id: service not found")))?;
    if service.company_id != scope.company_id {
        return Err(Status::no_permission());
    }
    if service.inactive != 0 {
        return Err(Status::new(
            Code::FailedPrecondition,
            format!("{field}.id: the service is inactive"),
        ));
    }
    if !listed(
        service.available_all_business,
        &service.available_business_ids,
        scope.business_id,
    ) {
        return Err(Status::invalid_argument(format!(
            "{field}.id: the service is not available at this business"
        )));
    }
    check_max_items(&format!("{field}.staffIds"), input.staff_ids.len())?;
    let lodging_id = input.lodging_id.as_deref().filter(|id| !id.is_empty());
    // The vendor assigns only the first staff member named.
    let staff_id = match input.staff_ids.first() {
        None => None,
        Some(staff) => {
            let staff_field = format!("{field}.staffIds[0]");
            let id = staff_of_business(state, conn, scope, &staff_field, staff).await?;
            if !listed(
                service.available_all_staff,
                &service.available_staff_ids,
                id,
            ) {
                return Err(Status::invalid_argument(format!(
                    "{staff_field}: the service is not available for this staff member"
                )));
            }
            Some(id)
        }
    };
    let lodging = match lodging_id {
        None => None,
        Some(unit) => Some(
            lodging_unit_of_business(state, conn, scope, &format!("{field}.lodgingId"), unit)
                .await?,
        ),
    };
    let (lodging_unit_id, lodging_names) = lodging.unzip();
    let (start, end) = match &input.duration {
        Some(duration) => interval(&format!("{field}.duration"), duration)?,
        None => (None, None),
    };
    let start_at = start.or(cursor).ok_or_else(|| {
        Status::invalid_argument(format!(
            "{field}.duration.startTime: value is required for the first service"
        ))
    })?;
    let end_at = match end {
        Some(end) if end < start_at => {
            return Err(Status::invalid_argument(format!(
                "{field}.duration.endTime: must not be before the service starts"
            )))
        }
        Some(end) => end,
        None => start_at + service.duration_minutes * MICROS_PER_MINUTE,
    };
    match (service.service_item_type.as_str(), lodging_id) {
        ("GROOMING", _) if input.staff_ids.is_empty() => {
            return Err(Status::invalid_argument(format!(
                "{field}.staffIds: value is required for a GROOMING service"
            )))
        }
        ("GROOMING", Some(_)) => {
            return Err(Status::invalid_argument(format!(
                "{field}.lodgingId: a GROOMING service takes no lodging"
            )))
        }
        ("BOARDING", None) => {
            return Err(Status::invalid_argument(format!(
                "{field}.lodgingId: value is required for a BOARDING service"
            )))
        }
        _ => {}
    }
    let catalog_price = Amount::from_stored(&service.currency_code, &service.price)
        .ok_or_else(|| Status::internal(format!("service {service_id} has an unreadable price")))?;
    let price = match &input.price {
        None => catalog_price,
        Some(price) => overriding_price(&format!("{field}.price"), price, catalog_price)?,
    };
    Ok(NewDetail {
        pet_id,
        service_id,
        staff_id,
        lodging_unit_id,
        lodging_names,
        name: service.name,
        category: service.category,
        service_item_type: service.service_item_type,
        service_type: service.service_type,
        price,
        duration_minutes: service.duration_minutes,
        start_at,
        end_at,
        field: field.to_string(),
    })
}

/// A price a booking names for a service instead of the catalog's: in the catalog price's
/// currency, not negative, and in its currency's minor units (cents for USD).
fn overriding_price(field: &str, price: &Money, catalog: Amount) -> Result<Amount, Status> {
    let price = Amount::from_wire(field, price)?;
    if price.currency != catalog.currency {
        return Err(Status::invalid_argument(format!(
            "{field}: the service is priced in {}, not {}",
            catalog.currency.as_str(),
            price.currency.as_str()
        )));
    }
    if price.value.is_sign_negative() {
        return Err(Status::invalid_argument(format!(
            "{field}: must not be negative"
        )));
    }
    if price.rounded().value != price.value {
        return Err(Status::invalid_argument(format!(
            "{field}: at most {} decimal places in {}",
            price.currency.minor_units(),
            price.currency.as_str()
        )));
    }
    Ok(price)
}

/// A create request checked against every rule, ready to book.
pub async fn check_create(
    conn: &mut AnyConnection,
    state: &AppState,
    principal: &MoegoPrincipal,
    request: &CreateAppointmentRequest,
) -> Result<NewAppointment, Status> {
    let scope = access::business(
        conn,
        &state.ids,
        principal,
        "businessId",
        &request.business_id,
    )
    .await?;
    let customer_id =
        bookable_customer(state, conn, scope, "customerId", &request.customer_id).await?;
    if request.pet_services.is_empty() {
        return Err(Status::invalid_argument("petServices: value is required"));
    }
    check_max_items("petServices", request.pet_services.len())?;
    let mut details = Vec::new();
    let mut pet_rows: Vec<PetRow> = Vec::new();
    // Every pet starts when the first service does, unless its services say otherwise.
    let mut anchor = None;
    for (pet_index, pet_service) in request.pet_services.iter().enumerate() {
        let field = format!("petServices[{pet_index}]");
        let pet_field = format!("{field}.petId");
        if pet_service.pet_id.trim().is_empty() {
            return Err(Status::invalid_argument(format!(
                "{pet_field}: value is required"
            )));
        }
        let pet = customers_pet(
            state,
            conn,
            (scope.company_id, Some(customer_id)),
            &pet_field,
            &pet_service.pet_id,
        )
        .await?;
        let pet_id = pet.id;
        if pet_rows.iter().any(|seen| seen.id == pet_id) {
            return Err(Status::invalid_argument(format!(
                "{pet_field}: the pet is named twice; list all its services once"
            )));
        }
        pet_rows.push(pet);
        if pet_service.services.is_empty() {
            return Err(Status::invalid_argument(format!(
                "{field}.services: value is required"
            )));
        }
        check_max_items(&format!("{field}.services"), pet_service.services.len())?;
        let mut cursor = anchor;
        for (index, input) in pet_service.services.iter().enumerate() {
            let service_field = format!("{field}.services[{index}]");
            let detail =
                checked_service(state, conn, (scope, pet_id), &service_field, input, cursor)
                    .await?;
            anchor = anchor.or(Some(detail.start_at));
            cursor = Some(detail.end_at);
            details.push(detail);
        }
    }
    check_max_items("appointmentNotes", request.appointment_notes.len())?;
    let notes = request
        .appointment_notes
        .iter()
        .enumerate()
        .map(|(index, note)| {
            let field = format!("appointmentNotes[{index}]");
            Ok(BookingNote {
                note_type: note_type(
                    &format!("{field}.type"),
                    note.note_type,
                    &[
                        NoteType::AlertNotes,
                        NoteType::Comment,
                        NoteType::Additional,
                    ],
                )?,
                note: note_text(&format!("{field}.note"), &note.note)?,
            })
        })
        .collect::<Result<Vec<_>, Status>>()?;
    let start_at = details.iter().map(|d| d.start_at).min().unwrap_or_default();
    let end_at = details.iter().map(|d| d.end_at).max().unwrap_or_default();
    let pets = super::store::wire_pets(conn, &state.ids, pet_rows).await?;
    let tax = crate::order::ledger::business_tax(conn, scope.business_id).await?;
    Ok(NewAppointment {
        company_id: scope.company_id,
        business_id: scope.business_id,
        customer_id,
        start_at,
        end_at,
        details,
        notes,
        check_conflicts: request.ignore_conflict == Some(false),
        pets,
        tax,
    })
}

/// Books a checked appointment together with the bookings waiting beside it: one transaction
/// for the lot (see `moapi_core::group_commit`), each answered on its own. Call it holding no
/// connection: the batch writes on one of its own.
pub async fn commit(state: &AppState, appointment: NewAppointment) -> Result<Appointment, Status> {
    let writer = state.clone();
    state
        .db
        .group_commit::<NewAppointment, Result<Appointment, Status>>()
        .run(appointment, move |bookings| async move {
            book_all(&writer, bookings).await
        })
        .await?
}

/// Writes bookings under the write gate: all in one transaction; those deferred by an
/// earlier booking of the batch in the next; and, when a transaction fails, each of its
/// bookings alone, so that one booking's failure is only its own.
async fn book_all(
    state: &AppState,
    bookings: Vec<NewAppointment>,
) -> Vec<Result<Appointment, Status>> {
    let mut db = state.db.conn();
    let _gate = db.write_gate().await;
    let mut results: Vec<Option<Result<Appointment, Status>>> =
        bookings.iter().map(|_| None).collect();
    let mut rounds: VecDeque<Vec<usize>> = VecDeque::from([(0..bookings.len()).collect()]);
    while let Some(round) = rounds.pop_front() {
        let batch: Vec<&NewAppointment> = round.iter().map(|&index| &bookings[index]).collect();
        match book_in_one_transaction(state, &mut db, &batch, None).await {
            Ok(outcomes) => {
                let mut deferred = Vec::new();
                for (index, outcome) in round.into_iter().zip(outcomes) {
                    match outcome {
                        Booked::Created(appointment) => results[index] = Some(Ok(*appointment)),
                        Booked::Refused(refusal) => results[index] = Some(Err(refusal)),
                        Booked::Deferred => deferred.push(index),
                    }
                }
                if !deferred.is_empty() {
                    rounds.push_back(deferred);
                }
            }
            Err(error) if round.len() == 1 => results[round[0]] = Some(Err(error)),
            Err(_) => rounds.extend(round.into_iter().map(|index| vec![index])),
        }
    }
    results
        .into_iter()
        .map(|result| result.expect("every booking is answered"))
        .collect()
}

/// Books in one transaction, stamped at `at` or, without it, now.
async fn book_in_one_transaction(
    state: &AppState,
    db: &mut Conn,
    bookings: &[&NewAppointment],
    at: Option<i64>,
) -> Result<Vec<Booked>, Status> {
    let mut tx = db.begin().await?;
    let at = at.unwrap_or_else(now_micros);
    let outcomes = insert_and_recover(state, &mut tx, bookings, None, at).await?;
    tx.commit().await?;
    Ok(outcomes)
}

/// A booking made by a visit of the booking page: the phone and email it gave, and the visit.
pub struct OnlineBooker<'a> {
    pub phone: &'a str,
    pub email: &'a str,
    pub visit_id: i64,
}

/// Writes bookings in the caller's transaction, and recovers each new appointment's
/// customer's abandoned online bookings at its business (with `online`, also those of the
/// visitor with that phone and email before becoming the customer, the visit itself aside).
async fn insert_and_recover(
    state: &AppState,
    conn: &mut AnyConnection,
    bookings: &[&NewAppointment],
    online: Option<&OnlineBooker<'_>>,
    at: i64,
) -> Result<Vec<Booked>, Status> {
    let outcomes = store::insert_all(conn, &state.ids, bookings, at).await?;
    for (booking, outcome) in bookings.iter().zip(&outcomes) {
        if let Booked::Created(appointment) = outcome {
            let booked = visits::Booked {
                company_id: booking.company_id,
                business_id: booking.business_id,
                appointment_id: decode(state, IdKind::Appointment, &appointment.id)?,
                start_at: booking.start_at,
                customer_id: booking.customer_id,
                phone: online.map(|booker| booker.phone).unwrap_or_default(),
                email: online.map(|booker| booker.email).unwrap_or_default(),
                visit_id: online.map(|booker| booker.visit_id).unwrap_or_default(),
            };
            abandoned::recover_in(conn, state, &booked, at).await?;
        }
    }
    Ok(outcomes)
}

/// Books one checked appointment in the caller's transaction at `at`, as [`commit`] would
/// (the booking page books with the customer and pets it creates in the same transaction;
/// `online` as for [`insert_and_recover`]).
pub async fn book_in(
    state: &AppState,
    conn: &mut AnyConnection,
    appointment: &NewAppointment,
    online: Option<&OnlineBooker<'_>>,
    at: i64,
) -> Result<Appointment, Status> {
    match insert_and_recover(state, conn, &[appointment], online, at)
        .await?
        .pop()
    {
        Some(Booked::Created(appointment)) => Ok(*appointment),
        Some(Booked::Refused(refusal)) => Err(refusal),
        // Deferred waits for an earlier booking of the same batch; this batch has one.
        Some(Booked::Deferred) | None => Err(Status::internal("a lone booking was not booked")),
    }
}

/// Books one checked appointment as [`commit`] would, but in its own transaction on `db` and
/// stamped at `at` (its `createdTime`, its order's, its APPOINTMENT_CREATED payload's): for
/// the operator's demo seed, whose appointments were booked in the past. Every API booking
/// goes through [`commit`] and is stamped now.
pub async fn book_at(
    state: &AppState,
    db: &mut Conn,
    appointment: &NewAppointment,
    at: i64,
) -> Result<Appointment, Status> {
    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    let appointment = book_in(state, &mut tx, appointment, None, at).await?;
    tx.commit().await?;
    Ok(appointment)
}
