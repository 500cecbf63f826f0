//! What the public pages read and write: public trips by slug with their config, public
//! catalogs with their public trips, page views (`mogu_trip_views`, one row per trip, UTC day
//! and visitor hash) and the daily salts of those hashes (`deployment_settings`).

use moapi_core::db::{build, query_as_with};
use moapi_core::query::{Field, FieldType, ListRequest, ListSpec};
use rand::RngCore;
use sea_query::{Alias, Asterisk, Expr, Func, Iden, Order, Query, SimpleExpr};
use sqlx::AnyConnection;

use crate::catalog::store::MoguCatalogTrips;
use crate::trip::config::{self, TripConfig};
use crate::trip::store::{select_public_trips, StoredTrip};

#[derive(Iden)]
enum MoguTrips {
    Table,
    Id,
    Slug,
    DateExpiration,
}

#[derive(Iden)]
enum MoguTripViews {
    Table,
    TripId,
    Day,
    Views,
    LastViewedAt,
}

/// The public trip with this slug, expired or not.
pub async fn find_public_trip(
    conn: &mut AnyConnection,
    slug: &str,
) -> Result<Option<StoredTrip>, sqlx::Error> {
    let select = select_public_trips()
        .and_where(Expr::col((MoguTrips::Table, MoguTrips::Slug)).eq(slug))
        .to_owned();
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_optional(&mut *conn).await
}

/// The trip's config: the stored one, or the default one GET /trips/{tripId}/config shows.
pub async fn trip_config(
    conn: &mut AnyConnection,
    trip_id: i64,
) -> Result<Option<TripConfig>, sqlx::Error> {
    config::store::load(conn, trip_id).await
}

/// A public catalog's heading.
#[derive(Debug, sqlx::FromRow)]
pub struct PublicCatalog {
    pub id: i64,
    pub title: String,
    pub description: Option<String>,
    pub logo_url: Option<String>,
}

pub async fn find_public_catalog(
    conn: &mut AnyConnection,
    catalog_id: i64,
) -> Result<Option<PublicCatalog>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, title, description, logo_url FROM mogu_catalogs WHERE id = $1 AND is_public = 1",
    )
    .bind(catalog_id)
    .fetch_optional(&mut *conn)
    .await
}

/// One page of the catalog's trips a visitor may open (public, not expired at `now`), in the
/// order they were added, and how many there are in all.
pub async fn catalog_trips(
    conn: &mut AnyConnection,
    catalog_id: i64,
    now: i64,
    page: u64,
    page_size: u64,
) -> Result<(Vec<StoredTrip>, u64), sqlx::Error> {
    let membership = Expr::col((MoguCatalogTrips::Table, MoguCatalogTrips::TripId))
        .equals((MoguTrips::Table, MoguTrips::Id));
    let mut select = select_public_trips()
        .inner_join(MoguCatalogTrips::Table, membership)
        .and_where(Expr::col((MoguCatalogTrips::Table, MoguCatalogTrips::CatalogId)).eq(catalog_id))
        .and_where(not_expired(now))
        .to_owned();
    let mut count = select.clone();
    count.clear_selects().expr(Func::count(Expr::col(Asterisk)));
    let (sql, values) = build(&count);
    let (total,): (i64,) = query_as_with(&sql, values).fetch_one(&mut *conn).await?;
    select
        .order_by(
            (MoguCatalogTrips::Table, MoguCatalogTrips::AddedAt),
            Order::Asc,
        )
        .order_by((MoguTrips::Table, MoguTrips::Id), Order::Asc)
        .limit(page_size)
        .offset((page - 1) * page_size);
    let (sql, values) = build(&select);
    let trips = query_as_with(&sql, values).fetch_all(&mut *conn).await?;
    Ok((trips, total.max(0) as u64))
}

fn not_expired(now: i64) -> SimpleExpr {
    let expiration = Expr::col((MoguTrips::Table, MoguTrips::DateExpiration));
    expiration.clone().is_null().or(expiration.gt(now))
}

/// Counts one view of `trip_id` by `visitor` on `day`: one statement, so concurrent views on
/// any number of nodes all count.
pub async fn record_view(
    conn: &mut AnyConnection,
    trip_id: i64,
    day: &str,
    visitor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO mogu_trip_views (trip_id, day, visitor_hash, views, last_viewed_at) \
         VALUES ($1, $2, $3, 1, $4) \
         ON CONFLICT (trip_id, day, visitor_hash) DO UPDATE SET \
         views = mogu_trip_views.views + 1, \
         last_viewed_at = CASE WHEN excluded.last_viewed_at > mogu_trip_views.last_viewed_at \
         THEN excluded.last_viewed_at ELSE mogu_trip_views.last_viewed_at END",
    )
    .bind(trip_id)
    .bind(day)
    .bind(visitor)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

const SALT_PREFIX: &str = "visitor_salt:";

/// The salt of visitor hashes on `day` (`YYYY-MM-DD`), created by whichever node needs it
/// first. Creating a day's salt deletes older days' salts, so a finished day's hashes can no
/// longer be recomputed from a guessed address.
pub async fn daily_salt(conn: &mut AnyConnection, day: &str) -> Result<String, sqlx::Error> {
    let name = format!("{SALT_PREFIX}{day}");
    if let Some(salt) = setting(conn, &name).await? {
        return Ok(salt);
    }
    let mut fresh = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut fresh);
    sqlx::query(
        "INSERT INTO deployment_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(&name)
    .bind(hex::encode(fresh))
    .execute(&mut *conn)
    .await?;
    // Compared here rather than in SQL, where PostgreSQL's collation could order names
    // differently; a node whose clock lags never deletes a newer day's salt.
    let salts: Vec<(String,)> = sqlx::query_as(&format!(
        "SELECT name FROM deployment_settings WHERE substr(name, 1, {}) = $1",
        SALT_PREFIX.len()
    ))
    .bind(SALT_PREFIX)
    .fetch_all(&mut *conn)
    .await?;
    for (stale,) in salts.into_iter().filter(|(other,)| other < &name) {
        sqlx::query("DELETE FROM deployment_settings WHERE name = $1")
            .bind(stale)
            .execute(&mut *conn)
            .await?;
    }
    // Another node may have inserted first: everyone uses the stored value.
    setting(conn, &name).await?.ok_or(sqlx::Error::RowNotFound)
}

async fn setting(conn: &mut AnyConnection, name: &str) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT value FROM deployment_settings WHERE name = $1")
            .bind(name)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(value,)| value))
}

/// What `GET /trips/{tripId}/visualizations` may filter and sort: the UTC day, as
/// `YYYY-MM-DD` text, newest first by default.
pub const VISUALIZATION_SPEC: ListSpec = ListSpec {
    table: "mogu_trip_views",
    fields: &[Field {
        name: "date",
        column: "day",
        ty: FieldType::Date,
        filter: true,
        search: false,
        sort: true,
    }],
    default_sort: ("day", Order::Desc),
    id_column: "day",
};

/// Views of a set of days: all views, unique visitors summed over the days, the last view.
#[derive(Debug, sqlx::FromRow)]
pub struct ViewTotals {
    pub views: i64,
    pub unique_visitors: i64,
    pub last_viewed_at: Option<i64>,
    pub days: i64,
}

/// Views of one UTC day.
#[derive(Debug, sqlx::FromRow)]
pub struct DailyViews {
    pub day: String,
    pub views: i64,
    pub unique_visitors: i64,
    pub last_viewed_at: i64,
}

fn views_sum() -> SimpleExpr {
    let sum = Func::coalesce([
        Func::sum(Expr::col((MoguTripViews::Table, MoguTripViews::Views))).into(),
        Expr::val(0i64).into(),
    ]);
    // PostgreSQL sums BIGINTs as NUMERIC, which the Any driver cannot read.
    Func::cast_as(sum, Alias::new("BIGINT")).into()
}

fn last_view() -> SimpleExpr {
    Func::max(Expr::col((
        MoguTripViews::Table,
        MoguTripViews::LastViewedAt,
    )))
    .into()
}

/// The totals over the days `request` filters, and its page of days.
pub async fn trip_views(
    conn: &mut AnyConnection,
    trip_id: i64,
    request: &ListRequest,
) -> Result<(ViewTotals, Vec<DailyViews>), sqlx::Error> {
    let of_trip = Expr::col((MoguTripViews::Table, MoguTripViews::TripId)).eq(trip_id);
    let day = || Expr::col((MoguTripViews::Table, MoguTripViews::Day));
    let totals = Query::select()
        .expr_as(views_sum(), Alias::new("views"))
        .expr_as(
            Func::count(Expr::col(Asterisk)),
            Alias::new("unique_visitors"),
        )
        .expr_as(last_view(), Alias::new("last_viewed_at"))
        .expr_as(Func::count_distinct(day()), Alias::new("days"))
        .from(MoguTripViews::Table)
        .and_where(of_trip.clone())
        .cond_where(request.condition.clone())
        .to_owned();
    let (sql, values) = build(&totals);
    let totals: ViewTotals = query_as_with(&sql, values).fetch_one(&mut *conn).await?;
    let mut page = Query::select()
        .expr_as(day(), Alias::new("day"))
        .expr_as(views_sum(), Alias::new("views"))
        .expr_as(
            Func::count(Expr::col(Asterisk)),
            Alias::new("unique_visitors"),
        )
        .expr_as(last_view(), Alias::new("last_viewed_at"))
        .from(MoguTripViews::Table)
        .and_where(of_trip)
        .group_by_col((MoguTripViews::Table, MoguTripViews::Day))
        .to_owned();
    request.apply(&VISUALIZATION_SPEC, &mut page);
    let (sql, values) = build(&page);
    let days = query_as_with(&sql, values).fetch_all(&mut *conn).await?;
    Ok((totals, days))
}

/// Whether the account owns trip `trip_id`.
pub async fn account_has_trip(
    conn: &mut AnyConnection,
    account_id: i64,
    trip_id: i64,
) -> Result<bool, sqlx::Error> {
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM mogu_trips WHERE id = $1 AND account_id = $2")
            .bind(trip_id)
            .bind(account_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::TestDb;

    async fn salt_names(conn: &mut AnyConnection) -> Vec<String> {
        let names: Vec<(String,)> = sqlx::query_as(
            "SELECT name FROM deployment_settings WHERE name LIKE 'visitor%' ORDER BY name",
        )
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        names.into_iter().map(|(name,)| name).collect()
    }

    #[tokio::test]
    async fn a_days_salt_is_made_once_and_replaces_only_older_days() {
        let test = TestDb::new().await;
        let mut db = test.state.db.conn();
        let db = db.get().await.unwrap();
        for day in ["2025-01-01", "2025-01-03"] {
            sqlx::query("INSERT INTO deployment_settings (name, value) VALUES ($1, 'old')")
                .bind(format!("{SALT_PREFIX}{day}"))
                .execute(&mut *db)
                .await
                .unwrap();
        }
        let salt = daily_salt(db, "2025-01-02").await.unwrap();
        assert_eq!(salt.len(), 64);
        assert_eq!(daily_salt(db, "2025-01-02").await.unwrap(), salt);
        // A node whose clock lags a day behind never deletes the salt of the day others are in.
        assert_eq!(
            salt_names(db).await,
            ["visitor_salt:2025-01-02", "visitor_salt:2025-01-03"]
        );
    }
}
