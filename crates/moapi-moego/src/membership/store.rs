//! Storage of memberships, their benefits, subscriptions and the bills of subscription
//! periods. Pages are read as one JSON document (`db::fetch_all_json`); a subscription's
//! status is compared in SQL the way [`super::period::Span::standing`] derives it, so a
//! `statusIn` filter pages like any other.

use moapi_core::db::{self, build};
use moapi_core::pagination::Page;
use moapi_core::query::like_pattern;
use moapi_core::time::protojson_timestamp;
use moapi_core::{IdCodec, IdKind, Status};
use sea_query::{
    Alias, Cond, Expr, Func, JoinType, Order as SortOrder, Query, SelectStatement, SimpleExpr,
};
use serde::Deserialize;
use sqlx::AnyConnection;

use super::period::{Cycle, Span};
use super::wire::{CustomizedBreed, Membership, Subscription, TimePeriod};
use crate::money::Amount;
use crate::order::store::stored_amount;
use crate::wire::Interval;

#[derive(Debug, Clone, Deserialize, sqlx::FromRow)]
pub struct MembershipRow {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub description: String,
    pub status: String,
    pub currency_code: String,
    pub price: String,
    pub tax_rate: String,
    pub tax_name: String,
    pub period_unit: String,
    pub period_value: i64,
    pub policy: String,
    pub enable_online_booking: i64,
    pub breed_filter: i64,
    pub customized_breeds: String,
    pub pet_size_filter: i64,
    pub customized_pet_sizes: String,
    pub coat_filter: i64,
    pub customized_coats: String,
    pub revision: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub deleted_at: Option<i64>,
    pub discounts: i64,
    pub quantities: i64,
}

const MEMBERSHIP_COLUMNS: [&str; 23] = [
    "id",
    "company_id",
    "name",
    "description",
    "status",
    "currency_code",
    "price",
    "tax_rate",
    "tax_name",
    "period_unit",
    "period_value",
    "policy",
    "enable_online_booking",
    "breed_filter",
    "customized_breeds",
    "pet_size_filter",
    "customized_pet_sizes",
    "coat_filter",
    "customized_coats",
    "revision",
    "created_at",
    "updated_at",
    "deleted_at",
];

fn damaged(what: &str, id: i64) -> Status {
    Status::internal(format!("{what} {id} is damaged"))
}

/// A stored JSON array of raw IDs.
pub fn raw_ids(text: &str) -> Result<Vec<i64>, Status> {
    serde_json::from_str(text).map_err(Status::internal)
}

impl MembershipRow {
    pub fn cycle(&self) -> Result<Cycle, Status> {
        Cycle::parse(&self.period_unit, self.period_value)
            .map_err(|_| damaged("membership", self.id))
    }

    pub fn price(&self) -> Result<Amount, Status> {
        stored_amount(&self.currency_code, &self.price)
    }

    /// The tax on one period's price at the membership's rate, rounded to the currency.
    pub fn tax(&self) -> Result<Amount, Status> {
        let rate: rust_decimal::Decimal = self
            .tax_rate
            .parse()
            .map_err(|_| damaged("membership", self.id))?;
        Ok(self
            .price()?
            .times(rate / rust_decimal::Decimal::ONE_HUNDRED)
            .rounded())
    }

    pub fn to_wire(&self, ids: &IdCodec) -> Result<Membership, Status> {
        let cycle = self.cycle()?;
        let price = self.price()?;
        let tax = self.tax()?;
        let encoded = |kind: IdKind, text: &str| -> Result<Vec<String>, Status> {
            Ok(raw_ids(text)?
                .into_iter()
                .map(|id| ids.encode(kind, id))
                .collect())
        };
        let breeds: Vec<StoredBreed> =
            serde_json::from_str(&self.customized_breeds).map_err(Status::internal)?;
        Ok(Membership {
            id: ids.encode(IdKind::Membership, self.id),
            name: self.name.clone(),
            description: self.description.clone(),
            status: self.status.clone(),
            price: price.to_wire(),
            billing_cycle: cycle.billing_cycle_name().map(str::to_string),
            policy: self.policy.clone(),
            company_id: ids.encode(IdKind::Company, self.company_id),
            billing_cycle_period: TimePeriod {
                unit: cycle.unit_name().to_string(),
                value: cycle.value() as i32,
            },
            created_time: protojson_timestamp(self.created_at),
            last_updated_time: protojson_timestamp(self.updated_at),
            deleted_time: self.deleted_at.map(protojson_timestamp),
            revision: i32::try_from(self.revision).unwrap_or(i32::MAX),
            total_price: price.plus(tax).to_wire(),
            total_tax: tax.to_wire(),
            enable_online_booking: self.enable_online_booking != 0,
            enable_discount_benefits: self.discounts > 0,
            enable_quantity_benefits: self.quantities > 0,
            breed_filter: self.breed_filter != 0,
            customized_breeds: breeds.into_iter().map(|b| b.into_wire(ids)).collect(),
            pet_size_filter: self.pet_size_filter != 0,
            customized_pet_sizes: encoded(IdKind::PetSize, &self.customized_pet_sizes)?,
            coat_filter: self.coat_filter != 0,
            customized_coats: encoded(IdKind::PetCoatType, &self.customized_coats)?,
            source: "MOEGO_PLATFORM".to_string(),
        })
    }
}

/// A breed filter entry as stored: the pet type's raw ID and name, and breed names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct StoredBreed {
    pub pet_type_id: i64,
    pub pet_type_name: String,
    pub breeds: Vec<String>,
    pub is_all: bool,
}

impl StoredBreed {
    fn into_wire(self, ids: &IdCodec) -> CustomizedBreed {
        CustomizedBreed {
            pet_type_id: ids.encode(IdKind::PetType, self.pet_type_id),
            pet_type_name: self.pet_type_name,
            breeds: self.breeds,
            is_all: Some(self.is_all),
        }
    }
}

fn select_memberships() -> SelectStatement {
    let mut select = Query::select();
    select
        .columns(MEMBERSHIP_COLUMNS.map(|c| (Alias::new("m"), Alias::new(c))))
        .expr_as(
            Expr::cust(
                "(SELECT COUNT(*) FROM moego_membership_discounts d WHERE d.membership_id = m.id)",
            ),
            Alias::new("discounts"),
        )
        .expr_as(
            Expr::cust(
                "(SELECT COUNT(*) FROM moego_membership_quantities q WHERE q.membership_id = m.id)",
            ),
            Alias::new("quantities"),
        )
        .from_as(Alias::new("moego_memberships"), Alias::new("m"));
    select
}

/// What `memberships:list` selects, already validated and authorized.
#[derive(Debug, Clone, Default)]
pub struct MembershipQuery {
    pub company_id: i64,
    pub name_like: String,
    pub statuses: Vec<String>,
}

/// A company's memberships by ID, one row beyond the page.
pub async fn list_memberships(
    conn: &mut AnyConnection,
    query: &MembershipQuery,
    page: Page,
) -> Result<Vec<MembershipRow>, sqlx::Error> {
    let mut select = select_memberships();
    let column = |name: &str| Expr::col((Alias::new("m"), Alias::new(name)));
    select
        .and_where(column("company_id").eq(query.company_id))
        .order_by((Alias::new("m"), Alias::new("id")), SortOrder::Asc)
        .limit(page.fetch_limit() as u64)
        .offset(page.offset() as u64);
    if !query.statuses.is_empty() {
        select.and_where(column("status").is_in(query.statuses.iter().map(String::as_str)));
    }
    if !query.name_like.is_empty() {
        select.and_where(
            Expr::expr(Func::lower(column("name")))
                .like(like_pattern(&query.name_like.to_lowercase())),
        );
    }
    db::fetch_all_json(conn, &select, &[("id", SortOrder::Asc)]).await
}

pub async fn find_membership(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<MembershipRow>, sqlx::Error> {
    let mut select = select_memberships();
    select.and_where(Expr::col((Alias::new("m"), Alias::new("id"))).eq(id));
    let (sql, values) = build(&select);
    db::query_as_with(&sql, values).fetch_optional(conn).await
}

#[derive(Debug, Clone, Deserialize, sqlx::FromRow)]
pub struct SubscriptionRow {
    pub id: i64,
    pub company_id: i64,
    pub business_id: i64,
    pub customer_id: i64,
    pub membership_id: i64,
    pub currency_code: String,
    pub price: String,
    pub start_at: i64,
    pub cancel_at_period_end: i64,
    pub cancelled_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub next_bill_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub deleted_at: Option<i64>,
    /// The membership's cycle, read with it.
    pub period_unit: String,
    pub period_value: i64,
}

const SUBSCRIPTION_COLUMNS: [&str; 15] = [
    "id",
    "company_id",
    "business_id",
    "customer_id",
    "membership_id",
    "currency_code",
    "price",
    "start_at",
    "cancel_at_period_end",
    "cancelled_at",
    "ends_at",
    "next_bill_at",
    "created_at",
    "updated_at",
    "deleted_at",
];

impl SubscriptionRow {
    pub fn span(&self) -> Result<Span, Status> {
        Ok(Span {
            start: self.start_at,
            cycle: Cycle::parse(&self.period_unit, self.period_value)
                .map_err(|_| damaged("subscription", self.id))?,
            ends_at: self.ends_at,
        })
    }

    pub fn price(&self) -> Result<Amount, Status> {
        stored_amount(&self.currency_code, &self.price)
    }

    /// The subscription as it stands at `now`.
    pub fn to_wire(&self, ids: &IdCodec, now: i64) -> Result<Subscription, Status> {
        let standing = self.span()?.standing(now);
        Ok(Subscription {
            id: ids.encode(IdKind::Subscription, self.id),
            customer_id: ids.encode(IdKind::Customer, self.customer_id),
            membership_id: ids.encode(IdKind::Membership, self.membership_id),
            company_id: ids.encode(IdKind::Company, self.company_id),
            price: self.price()?.to_wire(),
            created_time: protojson_timestamp(self.created_at),
            last_updated_time: protojson_timestamp(self.updated_at),
            deleted_time: self.deleted_at.map(protojson_timestamp),
            validity_period: standing
                .validity
                .map(|(from, to)| Interval::from_micros(Some(from), Some(to))),
            next_billing_date: standing.next_billing.map(protojson_timestamp),
            expired_time: standing.expired.map(protojson_timestamp),
            cancel_at_period_end: self.cancel_at_period_end != 0,
            status: standing.status.to_string(),
        })
    }
}

fn select_subscriptions() -> SelectStatement {
    let mut select = Query::select();
    select
        .columns(SUBSCRIPTION_COLUMNS.map(|c| (Alias::new("s"), Alias::new(c))))
        .columns(["period_unit", "period_value"].map(|c| (Alias::new("m"), Alias::new(c))))
        .from_as(Alias::new("moego_subscriptions"), Alias::new("s"))
        .join_as(
            JoinType::InnerJoin,
            Alias::new("moego_memberships"),
            Alias::new("m"),
            Expr::col((Alias::new("m"), Alias::new("id")))
                .equals((Alias::new("s"), Alias::new("membership_id"))),
        );
    select
}

fn subscription_column(name: &str) -> Expr {
    Expr::col((Alias::new("s"), Alias::new(name)))
}

/// The condition that a subscription has v1SubscriptionStatus `status` at `now`, as
/// `Span::standing` derives it; PAUSED (moapi pauses nothing) and unknown names match none.
fn status_condition(status: &str, now: i64) -> SimpleExpr {
    let ended = subscription_column("ends_at")
        .is_not_null()
        .and(subscription_column("ends_at").lte(now));
    let not_ended = subscription_column("ends_at")
        .is_null()
        .or(subscription_column("ends_at").gt(now));
    match status {
        "CANCELLED" => ended,
        "PENDING" => subscription_column("start_at")
            .gt(now)
            .and(
                subscription_column("ends_at")
                    .is_null()
                    .or(subscription_column("ends_at").gt(subscription_column("start_at"))),
            )
            .and(not_ended),
        "ACTIVE" => subscription_column("start_at").lte(now).and(not_ended),
        _ => Expr::val(1).eq(0),
    }
}

/// What `memberships/subscriptions:list` selects, already validated and authorized.
#[derive(Debug, Clone, Default)]
pub struct SubscriptionQuery {
    pub company_id: i64,
    pub customer_ids: Vec<i64>,
    pub membership_ids: Vec<i64>,
    pub statuses: Vec<String>,
    /// The instant statuses are read at.
    pub now: i64,
}

/// A company's subscriptions by ID, one row beyond the page.
pub async fn list_subscriptions(
    conn: &mut AnyConnection,
    query: &SubscriptionQuery,
    page: Page,
) -> Result<Vec<SubscriptionRow>, sqlx::Error> {
    let mut select = select_subscriptions();
    select
        .and_where(subscription_column("company_id").eq(query.company_id))
        .order_by((Alias::new("s"), Alias::new("id")), SortOrder::Asc)
        .limit(page.fetch_limit() as u64)
        .offset(page.offset() as u64);
    if !query.customer_ids.is_empty() {
        select.and_where(
            subscription_column("customer_id").is_in(query.customer_ids.iter().copied()),
        );
    }
    if !query.membership_ids.is_empty() {
        select.and_where(
            subscription_column("membership_id").is_in(query.membership_ids.iter().copied()),
        );
    }
    if !query.statuses.is_empty() {
        let mut any = Cond::any();
        for status in &query.statuses {
            any = any.add(status_condition(status, query.now));
        }
        select.cond_where(any);
    }
    db::fetch_all_json(conn, &select, &[("id", SortOrder::Asc)]).await
}

pub async fn find_subscription(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<SubscriptionRow>, sqlx::Error> {
    let mut select = select_subscriptions();
    select.and_where(subscription_column("id").eq(id));
    let (sql, values) = build(&select);
    db::query_as_with(&sql, values).fetch_optional(conn).await
}

/// Raw IDs of subscriptions with a period begun by `now` and not billed, after ID `after`.
pub async fn due_subscriptions(
    conn: &mut AnyConnection,
    now: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM moego_subscriptions \
         WHERE next_bill_at <= $1 AND deleted_at IS NULL AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(now)
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Sets when a subscription's next bill is due; the write is the transaction's first, so it
/// also queues concurrent billers of one subscription behind each other (PostgreSQL's row
/// lock; SQLite's single writer).
pub async fn lock_subscription(conn: &mut AnyConnection, id: i64) -> Result<bool, sqlx::Error> {
    let locked =
        sqlx::query("UPDATE moego_subscriptions SET next_bill_at = next_bill_at WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    Ok(locked.rows_affected() == 1)
}
