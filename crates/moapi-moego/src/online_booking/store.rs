//! Storage of booking page visits (migration 0025). A visit's stored status is OPEN while it
//! may go on, SUBMITTED once it booked, CONTACTED or RECOVERED once an operator or a later
//! booking acted on it; an OPEN visit idle since before the cutoff (now less the configured
//! idle time) reads as ABANDONED. Every statement that asks "abandoned?" takes that cutoff.

use moapi_core::db::{build, query_as_with};
use moapi_core::pagination::Page;
use sea_query::{Alias, Cond, Expr, Order, Query};
use sqlx::AnyConnection;

use super::wire::{AbandonStatus, LeadType, Step};

pub const OPEN: &str = "OPEN";
pub const SUBMITTED: &str = "SUBMITTED";
pub const CONTACTED: &str = "CONTACTED";
pub const RECOVERED: &str = "RECOVERED";

const COLUMNS: &str = "id, company_id, business_id, step, status, lead_type, care_type, \
     customer_id, phone, email, data, created_at, last_active_at, updated_at, contacted_at, \
     contact_note, recovery_type, recovered_at, appointment_id, appointment_at";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VisitRow {
    pub id: i64,
    pub company_id: i64,
    pub business_id: i64,
    pub step: String,
    pub status: String,
    pub lead_type: String,
    pub care_type: String,
    pub customer_id: Option<i64>,
    pub phone: String,
    pub email: String,
    /// What the visit collected (`super::visit::Collected` as JSON).
    pub data: String,
    pub created_at: i64,
    pub last_active_at: i64,
    pub updated_at: i64,
    pub contacted_at: Option<i64>,
    pub contact_note: String,
    pub recovery_type: String,
    pub recovered_at: Option<i64>,
    pub appointment_id: Option<i64>,
    pub appointment_at: Option<i64>,
}

impl VisitRow {
    pub fn step(&self) -> Step {
        Step::from_name(&self.step)
    }

    /// Whether the page may go on with this visit.
    pub fn is_open(&self) -> bool {
        self.status == OPEN
    }

    pub fn lead_type(&self) -> LeadType {
        LeadType::from_name(&self.lead_type)
    }

    /// What the vendor's status reads for this visit at `cutoff`; `None` for a visit that is
    /// no abandoned booking (still going on, or submitted).
    pub fn abandon_status(&self, cutoff: i64) -> Option<AbandonStatus> {
        match self.status.as_str() {
            OPEN if self.last_active_at <= cutoff => Some(AbandonStatus::Abandoned),
            CONTACTED => Some(AbandonStatus::Contacted),
            RECOVERED => Some(AbandonStatus::Recovered),
            _ => None,
        }
    }
}

impl crate::access::Owned for VisitRow {
    fn company_id(&self) -> i64 {
        self.company_id
    }

    fn business_id(&self) -> Option<i64> {
        Some(self.business_id)
    }
}

/// A new visit of a business's page, having completed its welcome page at `now`.
pub async fn insert(
    conn: &mut AnyConnection,
    (company_id, business_id): (i64, i64),
    token_hash: &str,
    data: &str,
    now: i64,
) -> Result<VisitRow, sqlx::Error> {
    sqlx::query_as(&format!(
        "INSERT INTO moego_booking_visits (company_id, business_id, token_hash, step, status, \
         lead_type, data, created_at, last_active_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8) RETURNING {COLUMNS}"
    ))
    .bind(company_id)
    .bind(business_id)
    .bind(token_hash)
    .bind(Step::WelcomePage.name())
    .bind(OPEN)
    .bind(LeadType::NewVisitor.name())
    .bind(data)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// The visit of a business's page whose URL token hashes to `token_hash`.
pub async fn by_token(
    conn: &mut AnyConnection,
    business_id: i64,
    token_hash: &str,
) -> Result<Option<VisitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM moego_booking_visits WHERE token_hash = $1 AND business_id = $2"
    ))
    .bind(token_hash)
    .bind(business_id)
    .fetch_optional(conn)
    .await
}

pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<VisitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM moego_booking_visits WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Records a step a still OPEN visit completed at `now` with what it collected; `None` when
/// the visit is no longer open (submitted, contacted or recovered meanwhile) or changed since
/// `visit` was read (another window of the same visit answered first: its `updated_at`).
pub async fn advance(
    conn: &mut AnyConnection,
    visit: &VisitRow,
    now: i64,
) -> Result<Option<VisitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "UPDATE moego_booking_visits SET step = $2, lead_type = $3, care_type = $4, \
         customer_id = $5, phone = $6, email = $7, data = $8, last_active_at = $9, \
         updated_at = $9 WHERE id = $1 AND status = $10 AND updated_at = $11 RETURNING {COLUMNS}"
    ))
    .bind(visit.id)
    .bind(&visit.step)
    .bind(&visit.lead_type)
    .bind(&visit.care_type)
    .bind(visit.customer_id)
    .bind(&visit.phone)
    .bind(&visit.email)
    .bind(&visit.data)
    .bind(now)
    .bind(OPEN)
    .bind(visit.updated_at)
    .fetch_optional(conn)
    .await
}

/// Marks a visit SUBMITTED with the appointment it booked for `customer_id`, last in the
/// transaction that books (after the staff locks, as every booking takes them); false when it
/// is no longer open or changed since it was read (`updated_at`): the caller rolls back, so a
/// visit books once.
pub async fn submit(
    conn: &mut AnyConnection,
    visit: &VisitRow,
    customer_id: i64,
    (appointment_id, appointment_at): (i64, i64),
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE moego_booking_visits SET status = $2, step = $3, customer_id = $4, \
         appointment_id = $5, appointment_at = $6, last_active_at = $7, updated_at = $7 \
         WHERE id = $1 AND status = $8 AND updated_at = $9",
    )
    .bind(visit.id)
    .bind(SUBMITTED)
    .bind(Step::SubmitAppt.name())
    .bind(customer_id)
    .bind(appointment_id)
    .bind(appointment_at)
    .bind(now)
    .bind(OPEN)
    .bind(visit.updated_at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks an abandoned (or already contacted) booking CONTACTED at `now` with the operator's
/// note; the row after it, or `None` when it is no abandoned booking or was recovered.
pub async fn contact(
    conn: &mut AnyConnection,
    id: i64,
    note: &str,
    (now, cutoff): (i64, i64),
) -> Result<Option<VisitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "UPDATE moego_booking_visits SET status = $2, contacted_at = $3, contact_note = $4, \
         updated_at = $3 WHERE id = $1 \
         AND ((status = $5 AND last_active_at <= $6) OR status = $2) RETURNING {COLUMNS}"
    ))
    .bind(id)
    .bind(CONTACTED)
    .bind(now)
    .bind(note)
    .bind(OPEN)
    .bind(cutoff)
    .fetch_optional(conn)
    .await
}

/// An appointment just booked, and who booked it: the customer, and the phone and email a
/// visitor gave before being one with the visit that booked (empty and 0 when the booking did
/// not come from the page).
pub struct Booked<'a> {
    pub company_id: i64,
    pub business_id: i64,
    pub appointment_id: i64,
    pub start_at: i64,
    pub customer_id: i64,
    pub phone: &'a str,
    pub email: &'a str,
    pub visit_id: i64,
}

/// Marks RECOVERED the abandoned (or contacted) bookings at the business that were the
/// booker's and went idle before `now`, the booking's instant: theirs by customer, or, for
/// visits of a visitor not yet a customer, by the same phone and email (the visit that booked
/// aside). Answers how many.
pub async fn recover(
    conn: &mut AnyConnection,
    booked: &Booked<'_>,
    (now, cutoff): (i64, i64),
) -> Result<u64, sqlx::Error> {
    // Without a phone only the customer's own visits can match, which its index finds.
    let visitor = match booked.phone.is_empty() {
        true => "",
        false => " OR (customer_id IS NULL AND business_id = $7 AND phone = $13 AND email = $14)",
    };
    let sql = format!(
        "UPDATE moego_booking_visits SET status = $1, recovery_type = $2, recovered_at = $3, \
         appointment_id = $4, appointment_at = $5, updated_at = $3, customer_id = $6 \
         WHERE company_id = $8 AND ((status = $9 AND last_active_at <= $10) OR status = $11) \
         AND last_active_at < $3 AND id <> $12 \
         AND ((customer_id = $6 AND business_id = $7){visitor})"
    );
    let mut update = sqlx::query(&sql)
        .bind(RECOVERED)
        .bind(super::wire::RecoverType::ScheduleAppointment.name())
        .bind(now)
        .bind(booked.appointment_id)
        .bind(booked.start_at)
        .bind(booked.customer_id)
        .bind(booked.business_id)
        .bind(booked.company_id)
        .bind(OPEN)
        .bind(cutoff)
        .bind(CONTACTED)
        .bind(booked.visit_id);
    if !visitor.is_empty() {
        update = update.bind(booked.phone).bind(booked.email);
    }
    Ok(update.execute(conn).await?.rows_affected())
}

/// What `ListAbandonedBookings` asks for.
pub struct ListQuery {
    pub company_id: i64,
    pub business_ids: Vec<i64>,
    /// `[start, end)` of the abandon time (the last activity).
    pub abandoned: (i64, i64),
    pub lead_types: Vec<&'static str>,
    pub steps: Vec<&'static str>,
    pub statuses: Vec<AbandonStatus>,
    pub cutoff: i64,
}

/// A page of abandoned bookings, the most recently abandoned first, one row beyond the page.
pub async fn list(
    conn: &mut AnyConnection,
    query: &ListQuery,
    page: Page,
) -> Result<Vec<VisitRow>, sqlx::Error> {
    let col = |name: &str| Alias::new(name);
    let abandoned = || {
        Cond::all()
            .add(Expr::col(col("status")).eq(OPEN))
            .add(Expr::col(col("last_active_at")).lte(query.cutoff))
    };
    let wanted = |status: AbandonStatus| match status {
        AbandonStatus::Contacted => Cond::all().add(Expr::col(col("status")).eq(CONTACTED)),
        AbandonStatus::Recovered => Cond::all().add(Expr::col(col("status")).eq(RECOVERED)),
        _ => abandoned(),
    };
    let statuses = match query.statuses.is_empty() {
        true => vec![
            AbandonStatus::Abandoned,
            AbandonStatus::Contacted,
            AbandonStatus::Recovered,
        ],
        false => query.statuses.clone(),
    };
    let status_cond = statuses
        .into_iter()
        .fold(Cond::any(), |any, status| any.add(wanted(status)));
    let mut select = Query::select();
    select
        .exprs(COLUMNS.split(", ").map(|name| Expr::col(col(name.trim()))))
        .from(col("moego_booking_visits"))
        .and_where(Expr::col(col("company_id")).eq(query.company_id))
        .and_where(Expr::col(col("business_id")).is_in(query.business_ids.iter().copied()))
        .and_where(Expr::col(col("last_active_at")).gte(query.abandoned.0))
        .and_where(Expr::col(col("last_active_at")).lt(query.abandoned.1))
        .cond_where(status_cond)
        .order_by(col("last_active_at"), Order::Desc)
        .order_by(col("id"), Order::Desc)
        .limit(page.fetch_limit() as u64)
        .offset(page.offset() as u64);
    if !query.lead_types.is_empty() {
        select.and_where(Expr::col(col("lead_type")).is_in(query.lead_types.iter().copied()));
    }
    if !query.steps.is_empty() {
        select.and_where(Expr::col(col("step")).is_in(query.steps.iter().copied()));
    }
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_all(conn).await
}
