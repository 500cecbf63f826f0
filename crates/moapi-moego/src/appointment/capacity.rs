//! Lodging capacity: how many pets a lodging unit holds over a time range, and the check a
//! booking that asks for conflicts to be checked (`ignoreConflict: false`) makes in its
//! transaction before it takes a unit. It counts pets as `appointments:check` does, so the
//! two agree: a unit is full when the distinct pets of its live stays overlapping the range,
//! with the booking's, would outnumber its type's `maxPetNum`.

use std::collections::BTreeSet;

use moapi_core::db;
use moapi_core::time::protojson_timestamp;
use moapi_core::{Code, IdCodec, IdKind, Status};
use sea_query::{Alias, Expr, Query, SeaRc, TableRef};
use sqlx::AnyConnection;

use super::store::NewDetail;

/// The pets already lodged in a unit during `[start, end)` by live appointments other than
/// `except`.
pub async fn lodged_pets(
    conn: &mut AnyConnection,
    unit_id: i64,
    range: (i64, i64),
    except: Option<i64>,
) -> Result<Vec<i64>, sqlx::Error> {
    Ok(pets_lodged_in(conn, &[unit_id], range, except)
        .await?
        .into_iter()
        .map(|(_, pet)| pet)
        .collect())
}

/// Which pets the live stays (of appointments other than `except`) overlapping `[start, end)`
/// lodge in each of some units: `(unit, pet)` pairs, each once, in one statement.
pub async fn pets_lodged_in(
    conn: &mut AnyConnection,
    units: &[i64],
    (start, end): (i64, i64),
    except: Option<i64>,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let (details, appointments) = (Alias::new("d"), Alias::new("a"));
    let detail = |column: &str| Expr::col((details.clone(), Alias::new(column)));
    let appointment = |column: &str| Expr::col((appointments.clone(), Alias::new(column)));
    let mut select = Query::select();
    select
        .distinct()
        .columns(["lodging_unit_id", "pet_id"].map(|c| (details.clone(), Alias::new(c))))
        .from_as(Alias::new("moego_pet_service_details"), details.clone())
        .inner_join(
            TableRef::TableAlias(
                SeaRc::new(Alias::new("moego_appointments")),
                SeaRc::new(appointments.clone()),
            ),
            appointment("id").equals((details.clone(), Alias::new("appointment_id"))),
        )
        .and_where(detail("lodging_unit_id").is_in(units.iter().copied()))
        .and_where(detail("end_at").gt(start))
        .and_where(detail("start_at").lt(end))
        .and_where(appointment("deleted").eq(0))
        .and_where(appointment("status").ne("CANCELED"))
        .and_where(appointment("id").ne(except.unwrap_or(0)));
    let (sql, values) = db::build(&select);
    db::query_as_with(&sql, values).fetch_all(conn).await
}

/// Takes the booking locks of lodging units, in ID order (so that two bookings never wait for
/// each other crosswise): concurrent bookings of a unit, other nodes' too, then count its pets
/// one after the other.
pub async fn lock_units(
    conn: &mut AnyConnection,
    units: &BTreeSet<i64>,
) -> Result<(), sqlx::Error> {
    for unit_id in units {
        sqlx::query(
            "INSERT INTO moego_lodging_booking_locks (lodging_unit_id, bookings) VALUES ($1, 1) \
             ON CONFLICT (lodging_unit_id) DO UPDATE \
             SET bookings = moego_lodging_booking_locks.bookings + 1",
        )
        .bind(unit_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The refusal (FAILED_PRECONDITION) of the first of a booking's services whose lodging unit
/// would hold more pets than its type allows, counting the booking's own pets in it.
pub async fn first_overfilled(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    details: &[NewDetail],
) -> Result<Option<Status>, sqlx::Error> {
    for detail in details {
        let Some(unit_id) = detail.lodging_unit_id else {
            continue;
        };
        let range = (detail.start_at, detail.end_at);
        let mut pets: BTreeSet<i64> = lodged_pets(conn, unit_id, range, None)
            .await?
            .into_iter()
            .collect();
        pets.extend(
            details
                .iter()
                .filter(|other| {
                    other.lodging_unit_id == Some(unit_id)
                        && other.start_at < detail.end_at
                        && detail.start_at < other.end_at
                })
                .map(|other| other.pet_id),
        );
        let (capacity,): (i64,) = sqlx::query_as(
            "SELECT t.max_pet_num FROM moego_lodging_units u \
             JOIN moego_lodging_types t ON t.id = u.lodging_type_id WHERE u.id = $1",
        )
        .bind(unit_id)
        .fetch_one(&mut *conn)
        .await?;
        if pets.len() as i64 > capacity {
            return Ok(Some(Status::new(
                Code::FailedPrecondition,
                format!(
                    "{}.lodgingId: lodging unit {} holds at most {capacity} pets and would hold \
                     {} from {} to {}",
                    detail.field,
                    ids.encode(IdKind::LodgingUnit, unit_id),
                    pets.len(),
                    protojson_timestamp(detail.start_at),
                    protojson_timestamp(detail.end_at)
                ),
            )));
        }
    }
    Ok(None)
}
