//! Storage of appointments: the 0012 header row, its pet service details, the staff slots it
//! holds and its order (read through a join, so the money always follows the order). Writes
//! take the caller's transaction and append their APPOINTMENT_* event there.

use std::collections::{BTreeSet, HashMap};

use moapi_core::db::{self, build, query_as_with};
use moapi_core::pagination::Page;
use moapi_core::time::protojson_timestamp;
use moapi_core::{IdCodec, IdKind, Status};
use sea_query::{Alias, Cond, Expr, Order, Query, SelectStatement, SimpleExpr};
use serde_json::Value;
use sqlx::AnyConnection;

use super::capacity;
use super::wire::{
    Appointment, AppointmentStatus, PaymentStatus, PetServiceDetail, ServiceDetail,
    ServiceItemType, ServiceType,
};
use crate::event::{self, EventType};
use crate::money::Amount;
use crate::order::{benefits, ledger};
use crate::pet::store as pets;
use crate::pet::wire::Pet;
use crate::wire::Interval;

#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct AppointmentRow {
    pub id: i64,
    pub company_id: i64,
    pub business_id: i64,
    pub customer_id: i64,
    pub status: String,
    pub start_at: i64,
    pub end_at: i64,
    pub color_code: String,
    pub ticket_comment: String,
    pub booking_request_id: Option<i64>,
    pub created_by: String,
    pub updated_by: String,
    pub confirmed_at: Option<i64>,
    pub check_in_at: Option<i64>,
    pub ready_at: Option<i64>,
    pub check_out_at: Option<i64>,
    pub canceled_at: Option<i64>,
    pub no_show: i64,
    pub deleted: i64,
    pub created_at: i64,
    pub updated_at: i64,
    // The order's columns come from a join; a booking fills them from the order it opened.
    #[sqlx(default)]
    pub order_id: Option<i64>,
    #[sqlx(default)]
    pub currency_code: Option<String>,
    #[sqlx(default)]
    pub total_amount: Option<String>,
    #[sqlx(default)]
    pub paid_amount: Option<String>,
    #[sqlx(default)]
    pub refunded_amount: Option<String>,
}

impl crate::access::Owned for AppointmentRow {
    fn company_id(&self) -> i64 {
        self.company_id
    }

    fn business_id(&self) -> Option<i64> {
        Some(self.business_id)
    }
}

impl AppointmentRow {
    pub fn status(&self) -> AppointmentStatus {
        AppointmentStatus::from_name(&self.status)
    }

    pub fn is_deleted(&self) -> bool {
        self.deleted != 0
    }

    /// The wire form without pet service details, which [`render`] adds.
    fn to_wire(&self, ids: &IdCodec) -> Appointment {
        let money = |value: &Option<String>| {
            self.currency_code
                .as_deref()
                .zip(value.as_deref())
                .and_then(|(currency, value)| Amount::from_stored(currency, value))
        };
        let (total, paid, refunded) = (
            money(&self.total_amount),
            money(&self.paid_amount),
            money(&self.refunded_amount),
        );
        let payment_status = match (&total, &paid, &refunded) {
            (Some(total), Some(paid), Some(refunded)) => {
                PaymentStatus::from_name(ledger::payment_status(total, paid, refunded))
            }
            _ => PaymentStatus::Unspecified,
        };
        let time = |micros: Option<i64>| micros.map(protojson_timestamp);
        Appointment {
            id: ids.encode(IdKind::Appointment, self.id),
            business_id: ids.encode(IdKind::Business, self.business_id),
            customer_id: ids.encode(IdKind::Customer, self.customer_id),
            duration: Some(Interval::from_micros(
                Some(self.start_at),
                Some(self.end_at),
            )),
            pet_service_details: Vec::new(),
            status: self.status(),
            ticket_comment: self.ticket_comment.clone(),
            color_code: self.color_code.clone(),
            order_id: self
                .order_id
                .map(|id| ids.encode(IdKind::Order, id))
                .unwrap_or_default(),
            total_amount: total.map(|amount| amount.to_wire()),
            paid_amount: paid
                .zip(refunded)
                .map(|(paid, refunded)| ledger::net_paid(paid, refunded).to_wire()),
            refund_amount: refunded.map(|amount| amount.to_wire()),
            payment_status,
            created_by: self.created_by.clone(),
            created_time: time(Some(self.created_at)),
            last_updated_by: self.updated_by.clone(),
            last_updated_time: time(Some(self.updated_at)),
            check_in_time: time(self.check_in_at),
            check_out_time: time(self.check_out_at),
            booking_request_id: self
                .booking_request_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            confirmed_time: time(self.confirmed_at),
            ready_time: time(self.ready_at),
            canceled_time: time(self.canceled_at),
            no_show: self.no_show != 0,
            is_deleted: false,
        }
    }
}

/// What a deleted appointment answers since the vendor's 1.2.0: its ID and the flag only.
pub fn deleted_wire(ids: &IdCodec, id: i64) -> Appointment {
    Appointment {
        id: ids.encode(IdKind::Appointment, id),
        is_deleted: true,
        ..Appointment::default()
    }
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct DetailRow {
    pub id: i64,
    pub appointment_id: i64,
    pub pet_id: i64,
    pub service_id: i64,
    pub staff_id: Option<i64>,
    pub lodging_unit_id: Option<i64>,
    pub name: String,
    pub category: String,
    pub service_item_type: String,
    pub service_type: String,
    pub price: String,
    pub currency_code: String,
    pub duration_minutes: i64,
    pub start_at: i64,
    pub end_at: i64,
    pub lodging_unit_name: Option<String>,
    pub lodging_type_name: Option<String>,
}

impl DetailRow {
    fn to_wire(&self, ids: &IdCodec) -> ServiceDetail {
        ServiceDetail {
            id: ids.encode(IdKind::Service, self.service_id),
            name: self.name.clone(),
            service_item_type: ServiceItemType::from_name(&self.service_item_type),
            category: self.category.clone(),
            price: Amount::from_stored(&self.currency_code, &self.price).map(|a| a.to_wire()),
            duration: Interval::from_micros(Some(self.start_at), Some(self.end_at)),
            staff_ids: self
                .staff_id
                .map(|id| vec![ids.encode(IdKind::Staff, id)])
                .unwrap_or_default(),
            service_type: ServiceType::from_name(&self.service_type),
            service_time: i32::try_from(self.duration_minutes).unwrap_or(i32::MAX),
            pet_service_detail_id: ids.encode(IdKind::PetServiceDetail, self.id),
            lodging_id: self
                .lodging_unit_id
                .map(|id| ids.encode(IdKind::LodgingUnit, id))
                .unwrap_or_default(),
            lodging_unit_name: self.lodging_unit_name.clone().unwrap_or_default(),
            lodging_type_name: self.lodging_type_name.clone().unwrap_or_default(),
        }
    }
}

/// An appointment by ID, deleted or not.
pub async fn find(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<AppointmentRow>, sqlx::Error> {
    let mut select = base_select();
    select.and_where(Expr::col((Alias::new("a"), Alias::new("id"))).eq(id));
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_optional(conn).await
}

/// `alias.column` for sea-query.
fn col(alias: &str, column: &str) -> (Alias, Alias) {
    (Alias::new(alias), Alias::new(column))
}

/// Columns of the table aliased `alias`, for sea-query.
pub fn columns_of(alias: &str, columns: &[&str]) -> Vec<(Alias, Alias)> {
    columns.iter().map(|column| col(alias, column)).collect()
}

/// Joins `table AS alias ON alias.column = other.column`.
pub fn join(
    select: &mut SelectStatement,
    kind: sea_query::JoinType,
    (table, alias): (&str, &str),
    column: &str,
    (other, other_column): (&str, &str),
) {
    select.join_as(
        kind,
        Alias::new(table),
        Alias::new(alias),
        Expr::col(col(alias, column)).equals(col(other, other_column)),
    );
}

/// The columns of `moego_appointments` an [`AppointmentRow`] reads.
const APPOINTMENT_COLUMNS: [&str; 21] = [
    "id",
    "company_id",
    "business_id",
    "customer_id",
    "status",
    "start_at",
    "end_at",
    "color_code",
    "ticket_comment",
    "booking_request_id",
    "created_by",
    "updated_by",
    "confirmed_at",
    "check_in_at",
    "ready_at",
    "check_out_at",
    "canceled_at",
    "no_show",
    "deleted",
    "created_at",
    "updated_at",
];

/// The columns of `moego_orders` an [`AppointmentRow`] reads (beside the order's ID).
const ORDER_MONEY_COLUMNS: [&str; 4] = [
    "currency_code",
    "total_amount",
    "paid_amount",
    "refunded_amount",
];

/// The appointment select with its order joined, as sea-query sees it.
fn base_select() -> SelectStatement {
    let mut select = Query::select();
    select
        .columns(columns_of("a", &APPOINTMENT_COLUMNS))
        .expr_as(
            Expr::col((Alias::new("o"), Alias::new("id"))),
            Alias::new("order_id"),
        )
        .columns(columns_of("o", &ORDER_MONEY_COLUMNS))
        .from_as(Alias::new("moego_appointments"), Alias::new("a"));
    let left = sea_query::JoinType::LeftJoin;
    join(
        &mut select,
        left,
        ("moego_orders", "o"),
        "appointment_id",
        ("a", "id"),
    );
    select
}

/// The columns of `moego_pet_service_details` a booking writes, which a [`DetailRow`] reads
/// after its ID.
const DETAIL_COLUMNS: [&str; 14] = [
    "appointment_id",
    "pet_id",
    "service_id",
    "staff_id",
    "lodging_unit_id",
    "name",
    "category",
    "service_item_type",
    "service_type",
    "price",
    "currency_code",
    "duration_minutes",
    "start_at",
    "end_at",
];

/// The details of some appointments, with their lodging names.
pub async fn details_of(
    conn: &mut AnyConnection,
    appointment_ids: &[i64],
) -> Result<Vec<DetailRow>, sqlx::Error> {
    let mut select = Query::select();
    select
        .columns(columns_of("d", &["id"]))
        .columns(columns_of("d", &DETAIL_COLUMNS))
        .expr_as(
            Expr::col((Alias::new("u"), Alias::new("name"))),
            Alias::new("lodging_unit_name"),
        )
        .expr_as(
            Expr::col((Alias::new("t"), Alias::new("name"))),
            Alias::new("lodging_type_name"),
        )
        .from_as(Alias::new("moego_pet_service_details"), Alias::new("d"))
        .and_where(
            Expr::col((Alias::new("d"), Alias::new("appointment_id")))
                .is_in(appointment_ids.iter().copied()),
        )
        .order_by((Alias::new("d"), Alias::new("id")), Order::Asc);
    let left = sea_query::JoinType::LeftJoin;
    join(
        &mut select,
        left,
        ("moego_lodging_units", "u"),
        "id",
        ("d", "lodging_unit_id"),
    );
    join(
        &mut select,
        left,
        ("moego_lodging_types", "t"),
        "id",
        ("u", "lodging_type_id"),
    );
    db::fetch_all_json(conn, &select, &[("id", Order::Asc)]).await
}

/// The wire form of some appointments, each with its pets (as PetService renders them) and
/// their services; a deleted one answers only its ID and the flag.
pub async fn render(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    rows: &[AppointmentRow],
) -> Result<Vec<Appointment>, sqlx::Error> {
    Ok(render_with_pets(conn, ids, rows).await?.0)
}

/// [`render`], also answering the wire form of the pets the appointments book.
pub async fn render_with_pets(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    rows: &[AppointmentRow],
) -> Result<(Vec<Appointment>, HashMap<i64, Pet>), sqlx::Error> {
    let live: Vec<i64> = rows
        .iter()
        .filter(|row| !row.is_deleted())
        .map(|row| row.id)
        .collect();
    if live.is_empty() {
        let deleted = rows.iter().map(|row| deleted_wire(ids, row.id)).collect();
        return Ok((deleted, HashMap::new()));
    }
    let details = details_of(conn, &live).await?;
    let pet_ids: Vec<i64> = details
        .iter()
        .map(|detail| detail.pet_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let pets = rendered_pets(conn, ids, &pet_ids).await?;
    Ok((assemble(ids, rows, &details, &pets), pets))
}

/// Pets by ID in their wire form, as PetService renders them.
async fn rendered_pets(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    pet_ids: &[i64],
) -> Result<HashMap<i64, Pet>, sqlx::Error> {
    let pet_rows = pets::find_many(conn, pet_ids).await?;
    wire_pets(conn, ids, pet_rows).await
}

/// Pets already read, by ID in their wire form (with their codes and notes).
pub async fn wire_pets(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    pet_rows: Vec<pets::PetRow>,
) -> Result<HashMap<i64, Pet>, sqlx::Error> {
    Ok(pets::with_details(conn, pet_rows)
        .await?
        .iter()
        .map(|record| (record.row.id, record.to_wire(ids)))
        .collect())
}

/// Appointments in their wire form from their rows, their details and their pets.
fn assemble(
    ids: &IdCodec,
    rows: &[AppointmentRow],
    details: &[DetailRow],
    pets: &HashMap<i64, Pet>,
) -> Vec<Appointment> {
    rows.iter()
        .map(|row| {
            if row.is_deleted() {
                return deleted_wire(ids, row.id);
            }
            let mut appointment = row.to_wire(ids);
            let mut by_pet: Vec<(i64, Vec<ServiceDetail>)> = Vec::new();
            for detail in details.iter().filter(|d| d.appointment_id == row.id) {
                let service = detail.to_wire(ids);
                match by_pet.iter_mut().find(|(pet, _)| *pet == detail.pet_id) {
                    Some((_, services)) => services.push(service),
                    None => by_pet.push((detail.pet_id, vec![service])),
                }
            }
            appointment.pet_service_details = by_pet
                .into_iter()
                .filter_map(|(pet_id, service_details)| {
                    pets.get(&pet_id).map(|pet| PetServiceDetail {
                        pet: pet.clone(),
                        service_details,
                    })
                })
                .collect();
            appointment
        })
        .collect()
}

/// One appointment rendered, and the event payload it makes.
async fn render_one(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    id: i64,
) -> Result<Appointment, Status> {
    let row = find(conn, id)
        .await?
        .ok_or_else(|| Status::internal(format!("appointment {id} vanished in its transaction")))?;
    Ok(render(conn, ids, &[row])
        .await?
        .pop()
        .expect("one row renders one appointment"))
}

/// Renders the appointment and appends its event, both inside the caller's transaction.
pub async fn announce(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    company_id: i64,
    id: i64,
    event_type: EventType,
) -> Result<Appointment, Status> {
    let appointment = render_one(conn, ids, id).await?;
    emit(conn, ids, company_id, &appointment, event_type).await?;
    Ok(appointment)
}

/// Appends an appointment's event in the caller's transaction.
async fn emit(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    company_id: i64,
    appointment: &Appointment,
    event_type: EventType,
) -> Result<(), Status> {
    let payload: Value = serde_json::to_value(appointment).map_err(Status::internal)?;
    event::emit(conn, ids, company_id, event_type, "appointment", payload).await?;
    Ok(())
}

/// A service of a pet, checked and timed, ready to store.
#[derive(Debug, Clone)]
pub struct NewDetail {
    pub pet_id: i64,
    pub service_id: i64,
    pub staff_id: Option<i64>,
    pub lodging_unit_id: Option<i64>,
    /// The lodging unit's and its type's names, for the answer.
    pub lodging_names: Option<(String, String)>,
    pub name: String,
    pub category: String,
    pub service_item_type: String,
    pub service_type: String,
    pub price: Amount,
    pub duration_minutes: i64,
    pub start_at: i64,
    pub end_at: i64,
    /// Where it sits in the request, for error messages.
    pub field: String,
}

pub struct BookingNote {
    pub note_type: &'static str,
    pub note: String,
}

pub struct NewAppointment {
    pub company_id: i64,
    pub business_id: i64,
    pub customer_id: i64,
    pub start_at: i64,
    pub end_at: i64,
    pub details: Vec<NewDetail>,
    pub notes: Vec<BookingNote>,
    pub check_conflicts: bool,
    /// The booked pets as the answer and the event show them, read while checking.
    pub pets: HashMap<i64, Pet>,
    /// The business's currency and tax, read while checking.
    pub tax: ledger::BusinessTax,
}

/// Takes the booking locks of some staff members (ascending, so two bookings never wait on
/// each other crosswise). The first statement of a booking's transaction: on SQLite it takes
/// the database write lock, on PostgreSQL the staff rows' locks, until the commit.
pub async fn lock_staff(
    conn: &mut AnyConnection,
    staff: &BTreeSet<i64>,
) -> Result<(), sqlx::Error> {
    for staff_id in staff {
        sqlx::query(
            "INSERT INTO moego_staff_booking_locks (staff_id, bookings) VALUES ($1, 1) \
             ON CONFLICT (staff_id) DO UPDATE \
             SET bookings = moego_staff_booking_locks.bookings + 1",
        )
        .bind(staff_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// What holds a staff member's time.
pub enum Holder {
    Appointment(i64),
    Block(i64),
}

/// The first live appointment (other than `except`) or block holding some of a staff
/// member's time in `[start, end)`.
pub async fn staff_conflict(
    conn: &mut AnyConnection,
    staff_id: i64,
    (start, end): (i64, i64),
    except: Option<i64>,
) -> Result<Option<Holder>, sqlx::Error> {
    let found: Option<(Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT appointment_id, block_id FROM moego_staff_slots \
         WHERE staff_id = $1 AND end_at > $2 AND start_at < $3 \
         AND (appointment_id IS NULL OR appointment_id <> $4) LIMIT 1",
    )
    .bind(staff_id)
    .bind(start)
    .bind(end)
    .bind(except.unwrap_or(0))
    .fetch_optional(conn)
    .await?;
    Ok(found.and_then(|(appointment, block)| {
        appointment
            .map(Holder::Appointment)
            .or(block.map(Holder::Block))
    }))
}

/// Refuses the first detail whose staff member is taken (FAILED_PRECONDITION).
pub async fn refuse_conflicts(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    details: &[(String, i64, i64, i64)],
    except: Option<i64>,
) -> Result<(), Status> {
    match first_conflict(conn, ids, details, except).await? {
        Some(refusal) => Err(refusal),
        None => Ok(()),
    }
}

/// The refusal (FAILED_PRECONDITION) of the first detail whose staff member is taken.
async fn first_conflict(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    details: &[(String, i64, i64, i64)],
    except: Option<i64>,
) -> Result<Option<Status>, sqlx::Error> {
    for (field, staff_id, start, end) in details {
        if let Some(holder) = staff_conflict(conn, *staff_id, (*start, *end), except).await? {
            let by = match holder {
                Holder::Appointment(id) => {
                    format!("appointment {}", ids.encode(IdKind::Appointment, id))
                }
                Holder::Block(id) => format!("block {}", ids.encode(IdKind::Block, id)),
            };
            return Ok(Some(Status::new(
                moapi_core::Code::FailedPrecondition,
                format!(
                    "{field}: staff {} is not free from {} to {}: held by {by}",
                    ids.encode(IdKind::Staff, *staff_id),
                    protojson_timestamp(*start),
                    protojson_timestamp(*end)
                ),
            )));
        }
    }
    Ok(None)
}

/// Holds staff time: `(staff, window, holder)` each.
async fn insert_slots(
    conn: &mut AnyConnection,
    slots: &[(i64, (i64, i64), Holder)],
) -> Result<(), sqlx::Error> {
    let rows = slots
        .iter()
        .map(|(staff_id, (start, end), holder)| {
            let (appointment, block) = match holder {
                Holder::Appointment(id) => (Some(*id), None),
                Holder::Block(id) => (None, Some(*id)),
            };
            vec![
                (*staff_id).into(),
                (*start).into(),
                (*end).into(),
                appointment.into(),
                block.into(),
            ]
        })
        .collect();
    db::insert_rows(
        conn,
        "moego_staff_slots",
        &[
            "staff_id",
            "start_at",
            "end_at",
            "appointment_id",
            "block_id",
        ],
        rows,
    )
    .await?;
    raise_hold_bounds(conn, slots).await
}

/// Raises each staff member's longest held time (`moego_staff_hold_bounds`) to the longest
/// of `slots` where it grows (read first: most slots are no longer than one already held, and
/// then the row is neither written nor locked), in staff order (as the booking locks are
/// taken, so writers never wait on each other crosswise).
async fn raise_hold_bounds(
    conn: &mut AnyConnection,
    slots: &[(i64, (i64, i64), Holder)],
) -> Result<(), sqlx::Error> {
    let mut longest: std::collections::BTreeMap<i64, i64> = std::collections::BTreeMap::new();
    for (staff_id, (start, end), _) in slots {
        let held = longest.entry(*staff_id).or_default();
        *held = (*held).max(end - start);
    }
    if longest.is_empty() {
        return Ok(());
    }
    let mut known = Query::select();
    known
        .columns([Alias::new("staff_id"), Alias::new("longest")])
        .from(Alias::new("moego_staff_hold_bounds"))
        .and_where(Expr::col(Alias::new("staff_id")).is_in(longest.keys().copied()));
    let (sql, values) = build(&known);
    let bounds: Vec<(i64, i64)> = query_as_with(&sql, values).fetch_all(&mut *conn).await?;
    for (staff_id, bound) in bounds {
        if longest.get(&staff_id).is_some_and(|held| *held <= bound) {
            longest.remove(&staff_id);
        }
    }
    if longest.is_empty() {
        return Ok(());
    }
    let values: Vec<String> = (0..longest.len())
        .map(|n| format!("(${}, ${})", 2 * n + 1, 2 * n + 2))
        .collect();
    let sql = format!(
        "INSERT INTO moego_staff_hold_bounds (staff_id, longest) VALUES {} \
         ON CONFLICT (staff_id) DO UPDATE SET longest = CASE \
         WHEN excluded.longest > moego_staff_hold_bounds.longest THEN excluded.longest \
         ELSE moego_staff_hold_bounds.longest END",
        values.join(", ")
    );
    let mut upsert = sqlx::query(&sql);
    for (staff_id, held) in longest {
        upsert = upsert.bind(staff_id).bind(held);
    }
    upsert.execute(conn).await?;
    Ok(())
}

/// Holds a block's staff time.
pub async fn hold_for_block(
    conn: &mut AnyConnection,
    staff_id: i64,
    window: (i64, i64),
    block_id: i64,
) -> Result<(), sqlx::Error> {
    insert_slots(conn, &[(staff_id, window, Holder::Block(block_id))]).await
}

/// What became of one booking of a batch ([`insert_all`]).
pub enum Booked {
    /// Written; its answer, which is also its APPOINTMENT_CREATED payload.
    Created(Box<Appointment>),
    /// Refused by its conflict check; nothing of it was written.
    Refused(Status),
    /// It checks conflicts and wants staff time an earlier booking of the batch takes, which
    /// the database cannot show it before the batch commits: it must be booked after.
    Deferred,
}

/// Books appointments in the caller's transaction, answering what became of each in the
/// order given. The staff locks and conflict checks of those that ask for them come first;
/// then the rows of all that pass are written with one multi-row statement per table (the
/// appointments, their pet service details, staff slots, initial notes, orders and their
/// lines, and one APPOINTMENT_CREATED each), so a batch costs about what one booking does.
pub async fn insert_all(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    bookings: &[&NewAppointment],
    now: i64,
) -> Result<Vec<Booked>, Status> {
    // The staff locks make concurrent checks (other nodes' too) see each other; a booking
    // that ignores conflicts checks nothing, so it takes none.
    let checked_staff: BTreeSet<i64> = bookings
        .iter()
        .filter(|booking| booking.check_conflicts)
        .flat_map(|booking| booking.details.iter().filter_map(|d| d.staff_id))
        .collect();
    lock_staff(conn, &checked_staff).await?;
    let checked_units: BTreeSet<i64> = bookings
        .iter()
        .filter(|booking| booking.check_conflicts)
        .flat_map(|booking| booking.details.iter().filter_map(|d| d.lodging_unit_id))
        .collect();
    capacity::lock_units(conn, &checked_units).await?;
    let mut outcomes: Vec<Option<Booked>> = Vec::with_capacity(bookings.len());
    // Staff time and lodging stays the batch's accepted bookings take: `(staff or unit, start,
    // end)` each.
    let mut taken: Vec<(i64, i64, i64)> = Vec::new();
    let mut lodged: Vec<(i64, i64, i64)> = Vec::new();
    for booking in bookings {
        let wanted: Vec<(String, i64, i64, i64)> = booking
            .details
            .iter()
            .filter_map(|d| {
                d.staff_id
                    .map(|s| (d.field.clone(), s, d.start_at, d.end_at))
            })
            .collect();
        let stays: Vec<(i64, i64, i64)> = booking
            .details
            .iter()
            .filter_map(|d| d.lodging_unit_id.map(|unit| (unit, d.start_at, d.end_at)))
            .collect();
        if booking.check_conflicts {
            let overlaps = |held: &[(i64, i64, i64)], (holder, start, end): (i64, i64, i64)| {
                held.iter()
                    .any(|(other, from, to)| holder == *other && start < *to && *from < end)
            };
            let overlaps_batch = wanted
                .iter()
                .any(|(_, staff, start, end)| overlaps(&taken, (*staff, *start, *end)))
                || stays.iter().any(|stay| overlaps(&lodged, *stay));
            if overlaps_batch {
                outcomes.push(Some(Booked::Deferred));
                continue;
            }
            if let Some(refusal) = first_conflict(conn, ids, &wanted, None).await? {
                outcomes.push(Some(Booked::Refused(refusal)));
                continue;
            }
            if let Some(refusal) = capacity::first_overfilled(conn, ids, &booking.details).await? {
                outcomes.push(Some(Booked::Refused(refusal)));
                continue;
            }
        }
        taken.extend(
            wanted
                .iter()
                .map(|(_, staff, start, end)| (*staff, *start, *end)),
        );
        lodged.extend(stays);
        outcomes.push(None);
    }
    let accepted: Vec<&NewAppointment> = bookings
        .iter()
        .zip(&outcomes)
        .filter(|(_, outcome)| outcome.is_none())
        .map(|(booking, _)| *booking)
        .collect();
    let mut created = write_all(conn, ids, &accepted, now).await?.into_iter();
    Ok(outcomes
        .into_iter()
        .map(|outcome| {
            outcome.unwrap_or_else(|| {
                let appointment = created
                    .next()
                    .expect("one appointment per accepted booking");
                Booked::Created(Box::new(appointment))
            })
        })
        .collect())
}

/// Writes checked bookings (see [`insert_all`]) and answers them. Everything the answers
/// show was just written or read by the checks, so they are assembled here rather than read
/// back: a booking holds SQLite's single writer, and each statement saved is time every other
/// writer waits.
async fn write_all(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    bookings: &[&NewAppointment],
    now: i64,
) -> Result<Vec<Appointment>, Status> {
    if bookings.is_empty() {
        return Ok(Vec::new());
    }
    let out_of_order = |what: &str| Status::internal(format!("{what} came back out of order"));
    let appointment_rows = bookings
        .iter()
        .map(|booking| {
            vec![
                booking.company_id.into(),
                booking.business_id.into(),
                booking.customer_id.into(),
                booking.start_at.into(),
                booking.end_at.into(),
                now.into(),
                now.into(),
            ]
        })
        .collect();
    let rows: Vec<AppointmentRow> = db::insert_rows_returning(
        conn,
        "moego_appointments",
        &[
            "company_id",
            "business_id",
            "customer_id",
            "start_at",
            "end_at",
            "created_at",
            "updated_at",
        ],
        appointment_rows,
        &APPOINTMENT_COLUMNS,
    )
    .await?;
    let rows = db::in_written_order(
        rows,
        |row| row.id,
        |row| (row.company_id, row.customer_id, row.start_at, row.end_at),
        bookings
            .iter()
            .map(|b| (b.company_id, b.customer_id, b.start_at, b.end_at)),
    )
    .ok_or_else(|| out_of_order("booked appointments"))?;
    let details: Vec<(i64, &NewDetail)> = rows
        .iter()
        .zip(bookings)
        .flat_map(|(row, booking)| booking.details.iter().map(move |d| (row.id, d)))
        .collect();
    let detail_rows = details
        .iter()
        .map(|(appointment_id, detail)| {
            vec![
                (*appointment_id).into(),
                detail.pet_id.into(),
                detail.service_id.into(),
                detail.staff_id.into(),
                detail.lodging_unit_id.into(),
                detail.name.as_str().into(),
                detail.category.as_str().into(),
                detail.service_item_type.as_str().into(),
                detail.service_type.as_str().into(),
                detail.price.stored().into(),
                detail.price.currency.as_str().into(),
                detail.duration_minutes.into(),
                detail.start_at.into(),
                detail.end_at.into(),
            ]
        })
        .collect();
    let detail_ids: Vec<(i64, i64)> = db::insert_rows_returning(
        conn,
        "moego_pet_service_details",
        &DETAIL_COLUMNS,
        detail_rows,
        &["id", "appointment_id"],
    )
    .await?;
    let detail_ids = db::in_written_order(
        detail_ids,
        |(id, _)| *id,
        |(_, appointment_id)| *appointment_id,
        details.iter().map(|(appointment_id, _)| *appointment_id),
    )
    .ok_or_else(|| out_of_order("pet service details"))?;
    let slots: Vec<(i64, (i64, i64), Holder)> = details
        .iter()
        .filter_map(|(appointment_id, d)| {
            d.staff_id.map(|staff_id| {
                let window = (d.start_at, d.end_at);
                (staff_id, window, Holder::Appointment(*appointment_id))
            })
        })
        .collect();
    insert_slots(conn, &slots).await?;
    let notes: Vec<super::notes::NewNote> = rows
        .iter()
        .zip(bookings)
        .flat_map(|(row, booking)| {
            booking.notes.iter().map(|note| super::notes::NewNote {
                appointment_id: row.id,
                note_type: note.note_type,
                note: &note.note,
            })
        })
        .collect();
    super::notes::insert_all(conn, &notes, now).await?;
    let stored: Vec<DetailRow> = details
        .iter()
        .zip(&detail_ids)
        .map(|((appointment_id, detail), (id, _))| detail.stored_as(*appointment_id, *id))
        .collect();
    // Each booking's details are one run of `details`, in booking order.
    let runs: Vec<std::ops::Range<usize>> = bookings
        .iter()
        .scan(0, |next, booking| {
            let run = *next..*next + booking.details.len();
            *next = run.end;
            Some(run)
        })
        .collect();
    let orders: Vec<ledger::NewOrder> = rows
        .iter()
        .zip(bookings)
        .zip(&runs)
        .map(|((row, booking), run)| ledger::NewOrder {
            company_id: booking.company_id,
            business_id: booking.business_id,
            customer_id: booking.customer_id,
            appointment_id: Some(row.id),
            title: format!("Appointment {}", ids.encode(IdKind::Appointment, row.id)),
            created_by: "",
            lines: details[run.clone()]
                .iter()
                .zip(&detail_ids[run.clone()])
                .map(|((_, detail), (id, _))| ledger::OrderLine {
                    service_id: detail.service_id,
                    pet_detail_id: *id,
                    name: detail.name.clone(),
                    unit_price: detail.price,
                    quantity: 1,
                })
                .collect(),
        })
        .collect();
    let taxed: Vec<(&ledger::NewOrder, &ledger::BusinessTax)> = orders
        .iter()
        .zip(bookings)
        .map(|(order, booking)| (order, &booking.tax))
        .collect();
    let opened = ledger::open_orders(conn, &taxed, now).await?;
    let mut booked: Vec<benefits::BookedOrder> = opened
        .into_iter()
        .zip(bookings)
        .zip(&runs)
        .map(|((order, booking), run)| benefits::BookedOrder {
            order_id: order.id,
            company_id: booking.company_id,
            business_id: booking.business_id,
            customer_id: booking.customer_id,
            total: order.total,
            lines: details[run.clone()]
                .iter()
                .zip(order.item_ids)
                .map(|((_, detail), item_id)| benefits::BookedLine {
                    item_id,
                    service_id: detail.service_id,
                    pet_id: detail.pet_id,
                    price: detail.price,
                })
                .collect(),
        })
        .collect();
    benefits::apply_at_booking(conn, ids, &mut booked, now).await?;
    let mut created = Vec::with_capacity(rows.len());
    for (((mut row, booking), order), run) in rows.into_iter().zip(bookings).zip(booked).zip(runs) {
        let zero = Amount::zero(order.total.currency).stored();
        row.order_id = Some(order.order_id);
        row.currency_code = Some(order.total.currency.as_str().to_string());
        row.total_amount = Some(order.total.stored());
        row.paid_amount = Some(zero.clone());
        row.refunded_amount = Some(zero);
        created.extend(assemble(ids, &[row], &stored[run], &booking.pets));
    }
    let events = created
        .iter()
        .zip(bookings)
        .map(|(appointment, booking)| {
            Ok(event::NewMoegoEvent {
                company_id: booking.company_id,
                event_type: EventType::AppointmentCreated,
                payload_key: "appointment",
                payload: serde_json::to_value(appointment).map_err(Status::internal)?,
            })
        })
        .collect::<Result<Vec<_>, Status>>()?;
    event::emit_all(conn, ids, events).await?;
    Ok(created)
}

impl NewDetail {
    /// The row this detail became.
    fn stored_as(&self, appointment_id: i64, id: i64) -> DetailRow {
        let (lodging_unit_name, lodging_type_name) = self.lodging_names.clone().unzip();
        DetailRow {
            id,
            appointment_id,
            pet_id: self.pet_id,
            service_id: self.service_id,
            staff_id: self.staff_id,
            lodging_unit_id: self.lodging_unit_id,
            name: self.name.clone(),
            category: self.category.clone(),
            service_item_type: self.service_item_type.clone(),
            service_type: self.service_type.clone(),
            price: self.price.stored(),
            currency_code: self.price.currency.as_str().to_string(),
            duration_minutes: self.duration_minutes,
            start_at: self.start_at,
            end_at: self.end_at,
            lodging_unit_name,
            lodging_type_name,
        }
    }
}

/// The status columns a move writes: the new status and the instants of the stages it
/// reaches.
#[derive(Debug)]
pub struct StatusChange {
    pub from: AppointmentStatus,
    pub to: AppointmentStatus,
    /// The `*_at` columns of the stages reached, set to now where still empty.
    pub stamps: Vec<&'static str>,
}

/// Applies a status move if the appointment is still live and in `change.from` (another
/// writer may have moved it since it was read); false when it was not. Each stage reached is
/// stamped at its time in `times` (where still empty) and `updated_at` is the latest of them.
/// Canceling releases its staff time.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: i64,
    change: &StatusChange,
    times: &super::status::StageTimes,
) -> Result<bool, sqlx::Error> {
    let stamps: String = change
        .stamps
        .iter()
        .enumerate()
        .map(|(index, column)| format!(", {column} = COALESCE({column}, ${})", index + 5))
        .collect();
    let instants: Vec<i64> = change
        .stamps
        .iter()
        .map(|column| times.of(column))
        .collect();
    // Every move stamps at least its target stage.
    let updated_at = instants.iter().copied().max().unwrap_or(times.canceled);
    let sql = format!(
        "UPDATE moego_appointments SET status = $2, updated_at = $1{stamps} \
         WHERE id = $3 AND status = $4 AND deleted = 0"
    );
    let mut query = sqlx::query(&sql)
        .bind(updated_at)
        .bind(change.to.name())
        .bind(id)
        .bind(change.from.name());
    for instant in instants {
        query = query.bind(instant);
    }
    let updated = query.execute(&mut *conn).await?.rows_affected();
    if updated == 1 && change.to == AppointmentStatus::Canceled {
        release_slots(conn, id).await?;
    }
    Ok(updated == 1)
}

async fn release_slots(conn: &mut AnyConnection, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM moego_staff_slots WHERE appointment_id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The staff and times of an appointment's details.
pub async fn staffed_details(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Vec<(i64, Option<i64>, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, staff_id, start_at, end_at FROM moego_pet_service_details \
         WHERE appointment_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

/// Moves a live appointment (every detail and staff slot) to start at `start`, keeping
/// their places relative to it, and sets its window; false when it is no longer live, in
/// its status and at its start (another writer moved it).
pub async fn reschedule(
    conn: &mut AnyConnection,
    row: &AppointmentRow,
    (start, end): (i64, i64),
    now: i64,
) -> Result<bool, sqlx::Error> {
    let shift = start - row.start_at;
    let moved = sqlx::query(
        "UPDATE moego_appointments SET start_at = $1, end_at = $2, updated_at = $3 \
         WHERE id = $4 AND status = $5 AND start_at = $6 AND deleted = 0",
    )
    .bind(start)
    .bind(end)
    .bind(now)
    .bind(row.id)
    .bind(&row.status)
    .bind(row.start_at)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if moved != 1 {
        return Ok(false);
    }
    for table in ["moego_pet_service_details", "moego_staff_slots"] {
        sqlx::query(&format!(
            "UPDATE {table} SET start_at = start_at + $1, end_at = end_at + $1 \
             WHERE appointment_id = $2"
        ))
        .bind(shift)
        .bind(row.id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(true)
}

/// Soft-deletes an appointment and releases its staff time; false when already deleted.
pub async fn soft_delete(conn: &mut AnyConnection, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let deleted = sqlx::query(
        "UPDATE moego_appointments SET deleted = 1, updated_at = $1 WHERE id = $2 AND deleted = 0",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if deleted == 1 {
        release_slots(conn, id).await?;
    }
    Ok(deleted == 1)
}

/// What `appointments:list` selects, already validated.
#[derive(Debug, Default)]
pub struct ListQuery {
    pub company_id: i64,
    pub business_ids: Vec<i64>,
    /// `[from, before)` windows in microseconds over start, end, last update, check-in and
    /// check-out.
    pub start: (Option<i64>, Option<i64>),
    pub end: (Option<i64>, Option<i64>),
    pub updated: (Option<i64>, Option<i64>),
    pub check_in: (Option<i64>, Option<i64>),
    pub check_out: (Option<i64>, Option<i64>),
    pub statuses: Vec<&'static str>,
    pub service_types: Vec<&'static str>,
    pub service_ids: Vec<i64>,
    pub pet_ids: Vec<i64>,
    pub customer_ids: Vec<i64>,
}

fn window(select: &mut SelectStatement, column: &str, (from, before): (Option<i64>, Option<i64>)) {
    let column = (Alias::new("a"), Alias::new(column));
    if let Some(from) = from {
        select.and_where(Expr::col(column.clone()).gte(from));
    }
    if let Some(before) = before {
        select.and_where(Expr::col(column).lt(before));
    }
}

/// A page of live appointments by start time (then ID), one row beyond the page.
pub async fn list(
    conn: &mut AnyConnection,
    query: &ListQuery,
    page: Page,
) -> Result<Vec<AppointmentRow>, sqlx::Error> {
    let column = |name: &str| (Alias::new("a"), Alias::new(name));
    let mut select = base_select();
    select
        .and_where(Expr::col(column("company_id")).eq(query.company_id))
        .and_where(Expr::col(column("business_id")).is_in(query.business_ids.iter().copied()))
        .and_where(Expr::col(column("deleted")).eq(0))
        .order_by(column("start_at"), Order::Asc)
        .order_by(column("id"), Order::Asc)
        .limit(page.fetch_limit() as u64)
        .offset(page.offset() as u64);
    window(&mut select, "start_at", query.start);
    window(&mut select, "end_at", query.end);
    window(&mut select, "updated_at", query.updated);
    window(&mut select, "check_in_at", query.check_in);
    window(&mut select, "check_out_at", query.check_out);
    if !query.statuses.is_empty() {
        select.and_where(Expr::col(column("status")).is_in(query.statuses.iter().copied()));
    }
    if !query.customer_ids.is_empty() {
        select
            .and_where(Expr::col(column("customer_id")).is_in(query.customer_ids.iter().copied()));
    }
    // Detail filters: the appointment has a detail matching every one given.
    let mut detail = Cond::all();
    let detail_column = |name: &str| (Alias::new("d"), Alias::new(name));
    if !query.service_types.is_empty() {
        detail = detail.add(
            Expr::col(detail_column("service_item_type"))
                .is_in(query.service_types.iter().copied()),
        );
    }
    if !query.service_ids.is_empty() {
        detail = detail
            .add(Expr::col(detail_column("service_id")).is_in(query.service_ids.iter().copied()));
    }
    if !query.pet_ids.is_empty() {
        detail =
            detail.add(Expr::col(detail_column("pet_id")).is_in(query.pet_ids.iter().copied()));
    }
    if !detail.is_empty() {
        let mut exists = Query::select();
        exists
            .expr(Expr::val(1))
            .from_as(Alias::new("moego_pet_service_details"), Alias::new("d"))
            .and_where(Expr::col(detail_column("appointment_id")).equals(column("id")))
            .cond_where(detail);
        select.and_where(Expr::exists(exists));
    }
    db::fetch_all_json(
        conn,
        &select,
        &[("start_at", Order::Asc), ("id", Order::Asc)],
    )
    .await
}

/// The live appointments (other than `except`) in which a pet has a service overlapping
/// `[start, end)`, by start time, read in one statement.
pub async fn pet_overlaps(
    conn: &mut AnyConnection,
    pet_id: i64,
    (start, end): (i64, i64),
    except: Option<i64>,
) -> Result<Vec<AppointmentRow>, sqlx::Error> {
    let detail = |column: &str| col("d", column);
    let mut booked = Query::select();
    booked
        .column(detail("appointment_id"))
        .from_as(Alias::new("moego_pet_service_details"), Alias::new("d"))
        .and_where(Expr::col(detail("pet_id")).eq(pet_id))
        .and_where(Expr::col(detail("end_at")).gt(start))
        .and_where(Expr::col(detail("start_at")).lt(end));
    let mut select = base_select();
    select
        .and_where(Expr::col(col("a", "id")).in_subquery(booked))
        .and_where(Expr::col(col("a", "deleted")).eq(0))
        .and_where(Expr::col(col("a", "status")).ne("CANCELED"))
        .and_where(Expr::col(col("a", "id")).ne(except.unwrap_or(0)))
        .order_by(col("a", "start_at"), Order::Asc)
        .order_by(col("a", "id"), Order::Asc);
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_all(conn).await
}

/// A customer's live appointments (not canceled, finished or deleted) starting at or after
/// `from`, soonest first, with their business's name and their services' names joined by ", ".
pub async fn upcoming_of_customer(
    conn: &mut AnyConnection,
    customer_id: i64,
    from: i64,
    limit: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT a.id, a.start_at, b.name FROM moego_appointments a \
         JOIN moego_businesses b ON b.id = a.business_id \
         WHERE a.customer_id = $1 AND a.start_at >= $2 AND a.deleted = 0 \
         AND a.status NOT IN ('CANCELED', 'FINISHED') ORDER BY a.start_at, a.id LIMIT $3",
    )
    .bind(customer_id)
    .bind(from)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|(id, _, _)| *id).collect();
    let details = if ids.is_empty() {
        Vec::new()
    } else {
        details_of(conn, &ids).await?
    };
    Ok(rows
        .into_iter()
        .map(|(id, start_at, business)| {
            let services: Vec<&str> = details
                .iter()
                .filter(|detail| detail.appointment_id == id)
                .map(|detail| detail.name.as_str())
                .collect();
            (start_at, business, services.join(", "))
        })
        .collect())
}

/// Narrows an appointments select (table `a`) to the live appointment of a customer nearest
/// `now`: with `before`, its latest starting before `now`, else its earliest from `now` on.
/// `customer_id` is a value or an outer query's column. Canceled and deleted appointments are
/// not appointments to report.
fn narrow_to_nearest(
    select: &mut SelectStatement,
    customer_id: impl Into<SimpleExpr>,
    before: bool,
    now: i64,
) {
    let start = Expr::col(col("a", "start_at"));
    let order = if before { Order::Desc } else { Order::Asc };
    select
        .and_where(Expr::col(col("a", "customer_id")).eq(customer_id))
        .and_where(if before {
            start.lt(now)
        } else {
            start.gte(now)
        })
        .and_where(Expr::col(col("a", "deleted")).eq(0))
        .and_where(Expr::col(col("a", "status")).ne("CANCELED"))
        .order_by(col("a", "start_at"), order.clone())
        .order_by(col("a", "id"), order)
        .limit(1);
}

/// As a scalar subquery, when the live appointment nearest `now` (see [`narrow_to_nearest`])
/// of the customer whose ID is the outer query's `customer_id` column started or starts: one
/// probe of the customer's start-time index.
pub fn nearest_start_of_customer(
    customer_id: (Alias, Alias),
    before: bool,
    now: i64,
) -> SimpleExpr {
    let mut select = Query::select();
    select
        .column(col("a", "start_at"))
        .from_as(Alias::new("moego_appointments"), Alias::new("a"));
    narrow_to_nearest(&mut select, Expr::col(customer_id), before, now);
    SimpleExpr::SubQuery(None, Box::new(select.into_sub_query_statement()))
}

/// The customer's latest live appointment at the business starting before `now` and its
/// earliest starting from `now` (see [`narrow_to_nearest`]), one statement each.
pub async fn last_and_next(
    conn: &mut AnyConnection,
    business_id: i64,
    customer_id: i64,
    now: i64,
) -> Result<(Option<AppointmentRow>, Option<AppointmentRow>), sqlx::Error> {
    let mut found = Vec::new();
    for before in [true, false] {
        let mut select = base_select();
        narrow_to_nearest(&mut select, customer_id, before, now);
        select.and_where(Expr::col(col("a", "business_id")).eq(business_id));
        let (sql, values) = build(&select);
        found.push(
            query_as_with(&sql, values)
                .fetch_optional(&mut *conn)
                .await?,
        );
    }
    let next = found.pop().flatten();
    Ok((found.pop().flatten(), next))
}
