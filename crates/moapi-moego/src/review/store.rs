//! Reviews in SQL (migration 0028): a review row, unique per appointment, and the staff and
//! pets it names in the order given.

use moapi_core::db::{self, build, query_as_with};
use moapi_core::pagination::Page;
use moapi_core::time::protojson_timestamp;
use moapi_core::{IdCodec, IdKind};
use sea_query::{Alias, Expr, Order, Query, SimpleExpr};
use sqlx::AnyConnection;

use super::wire::{Review, ReviewSource};
use crate::access::Owned;

const TABLE: &str = "moego_reviews";
const COLUMNS: [&str; 11] = [
    "id",
    "company_id",
    "business_id",
    "customer_id",
    "appointment_id",
    "source",
    "score",
    "content",
    "review_at",
    "created_at",
    "updated_at",
];

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewRow {
    pub id: i64,
    pub company_id: i64,
    pub business_id: i64,
    pub customer_id: i64,
    pub appointment_id: i64,
    pub source: String,
    pub score: i64,
    pub content: String,
    pub review_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Reviews belong to their appointment's business.
impl Owned for ReviewRow {
    fn company_id(&self) -> i64 {
        self.company_id
    }

    fn business_id(&self) -> Option<i64> {
        Some(self.business_id)
    }
}

/// One staff member or pet a review names: `(review, member)` in the order given.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Named {
    pub review_id: i64,
    pub member_id: i64,
}

/// The staff and pets of some reviews.
#[derive(Debug, Default)]
pub struct People {
    pub staff: Vec<Named>,
    pub pets: Vec<Named>,
}

impl ReviewRow {
    pub fn to_wire(&self, ids: &IdCodec, people: &People) -> Review {
        let of = |rows: &[Named], kind: IdKind| {
            rows.iter()
                .filter(|named| named.review_id == self.id)
                .map(|named| ids.encode(kind, named.member_id))
                .collect()
        };
        Review {
            id: ids.encode(IdKind::Review, self.id),
            customer_id: ids.encode(IdKind::Customer, self.customer_id),
            appointment_id: ids.encode(IdKind::Appointment, self.appointment_id),
            staff_ids: of(&people.staff, IdKind::Staff),
            pet_ids: of(&people.pets, IdKind::Pet),
            source: ReviewSource::from_name(&self.source),
            score: u32::try_from(self.score).unwrap_or_default(),
            content: self.content.clone(),
            review_time: protojson_timestamp(self.review_at),
            created_time: protojson_timestamp(self.created_at),
            last_updated_time: protojson_timestamp(self.updated_at),
        }
    }
}

/// A review to record: its appointment's owners, what the customer said and when, and the
/// staff and pets it is about.
#[derive(Debug, Clone)]
pub struct NewReview {
    pub company_id: i64,
    pub business_id: i64,
    pub customer_id: i64,
    pub appointment_id: i64,
    pub source: ReviewSource,
    pub score: i64,
    pub content: String,
    pub review_at: i64,
    pub staff_ids: Vec<i64>,
    pub pet_ids: Vec<i64>,
}

fn columns() -> impl Iterator<Item = Alias> {
    COLUMNS.into_iter().map(Alias::new)
}

/// Records a review with its staff and pets at `at`; `None` when its appointment already has
/// one (the unique appointment decides between two writers racing).
pub async fn insert(
    conn: &mut AnyConnection,
    review: &NewReview,
    at: i64,
) -> Result<Option<ReviewRow>, sqlx::Error> {
    let row: Option<ReviewRow> = sqlx::query_as(&format!(
        "INSERT INTO {TABLE} (company_id, business_id, customer_id, appointment_id, source, \
         score, content, review_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
         ON CONFLICT (appointment_id) DO NOTHING RETURNING {}",
        COLUMNS.join(", ")
    ))
    .bind(review.company_id)
    .bind(review.business_id)
    .bind(review.customer_id)
    .bind(review.appointment_id)
    .bind(review.source.name())
    .bind(review.score)
    .bind(&review.content)
    .bind(review.review_at)
    .bind(at)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    for (table, column, members) in [
        ("moego_review_staff", "staff_id", &review.staff_ids),
        ("moego_review_pets", "pet_id", &review.pet_ids),
    ] {
        let rows = members
            .iter()
            .enumerate()
            .map(|(position, member)| {
                vec![
                    SimpleExpr::from(row.id),
                    SimpleExpr::from(*member),
                    SimpleExpr::from(position as i64),
                ]
            })
            .collect();
        db::insert_rows(conn, table, &["review_id", column, "position"], rows).await?;
    }
    Ok(Some(row))
}

/// The review of an appointment, if it has one.
pub async fn of_appointment(
    conn: &mut AnyConnection,
    appointment_id: i64,
) -> Result<Option<ReviewRow>, sqlx::Error> {
    let mut select = Query::select();
    select
        .columns(columns())
        .from(Alias::new(TABLE))
        .and_where(Expr::col(Alias::new("appointment_id")).eq(appointment_id));
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_optional(conn).await
}

/// What `ListReviews` narrows a business's reviews to (empty: no narrowing).
#[derive(Debug, Default)]
pub struct ListQuery {
    pub business_id: i64,
    pub sources: Vec<ReviewSource>,
    /// Reviews naming at least one of these staff members.
    pub staff_ids: Vec<i64>,
}

/// A page of a business's reviews, newest first (review time, then ID, both descending), one
/// row more than the page holds (see `Page::finish`).
pub async fn list(
    conn: &mut AnyConnection,
    query: &ListQuery,
    page: Page,
) -> Result<Vec<ReviewRow>, sqlx::Error> {
    let table = Alias::new(TABLE);
    let mut select = Query::select();
    select
        .columns(COLUMNS.map(|column| (table.clone(), Alias::new(column))))
        .from(table.clone())
        .and_where(Expr::col((table.clone(), Alias::new("business_id"))).eq(query.business_id))
        .order_by((table.clone(), Alias::new("review_at")), Order::Desc)
        .order_by((table.clone(), Alias::new("id")), Order::Desc)
        .limit(page.fetch_limit() as u64)
        .offset(page.offset() as u64);
    if !query.sources.is_empty() {
        select.and_where(
            Expr::col((table.clone(), Alias::new("source")))
                .is_in(query.sources.iter().map(|source| source.name())),
        );
    }
    if !query.staff_ids.is_empty() {
        let named = Alias::new("x");
        select.and_where(Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from_as(Alias::new("moego_review_staff"), named.clone())
                .and_where(
                    Expr::col((named.clone(), Alias::new("review_id")))
                        .equals((table, Alias::new("id"))),
                )
                .and_where(
                    Expr::col((named, Alias::new("staff_id")))
                        .is_in(query.staff_ids.iter().copied()),
                )
                .to_owned(),
        ));
    }
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_all(conn).await
}

/// The staff and pets of some reviews, each in the order given.
pub async fn people_of(
    conn: &mut AnyConnection,
    review_ids: &[i64],
) -> Result<People, sqlx::Error> {
    if review_ids.is_empty() {
        return Ok(People::default());
    }
    let mut people = Vec::with_capacity(2);
    for (table, column) in [
        ("moego_review_staff", "staff_id"),
        ("moego_review_pets", "pet_id"),
    ] {
        let mut select = Query::select();
        select
            .column(Alias::new("review_id"))
            .expr_as(Expr::col(Alias::new(column)), Alias::new("member_id"))
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new("review_id")).is_in(review_ids.iter().copied()))
            .order_by(Alias::new("review_id"), Order::Asc)
            .order_by(Alias::new("position"), Order::Asc);
        let (sql, values) = build(&select);
        people.push(query_as_with(&sql, values).fetch_all(&mut *conn).await?);
    }
    let pets = people.pop().unwrap_or_default();
    let staff = people.pop().unwrap_or_default();
    Ok(People { staff, pets })
}

/// A staff member or pet of an appointment, with the name a page shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Participant {
    pub id: i64,
    pub name: String,
}

/// The staff and the pets of an appointment's services, each in the order its first service
/// was booked (unassigned services name no staff).
pub async fn participants(
    conn: &mut AnyConnection,
    appointment_id: i64,
) -> Result<(Vec<Participant>, Vec<Participant>), sqlx::Error> {
    // `TRIM(first || ' ' || last)`: the full name in SQL both backends speak.
    let staff = sqlx::query_as(
        "SELECT s.id, TRIM(s.first_name || ' ' || s.last_name) AS name \
         FROM moego_pet_service_details d JOIN moego_staff s ON s.id = d.staff_id \
         WHERE d.appointment_id = $1 \
         GROUP BY s.id, s.first_name, s.last_name ORDER BY MIN(d.id)",
    )
    .bind(appointment_id)
    .fetch_all(&mut *conn)
    .await?;
    let pets = sqlx::query_as(
        "SELECT p.id, p.name FROM moego_pet_service_details d \
         JOIN moego_pets p ON p.id = d.pet_id WHERE d.appointment_id = $1 \
         GROUP BY p.id, p.name ORDER BY MIN(d.id)",
    )
    .bind(appointment_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok((staff, pets))
}
