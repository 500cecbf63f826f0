//! Catalog storage in `mogu_catalogs` and its trip set in `mogu_catalog_trips`, always scoped
//! to one account: another account's catalog or trip behaves exactly like a missing one. A
//! write that touches the trip set runs in one transaction that first claims the catalog row
//! (an UPDATE, so PostgreSQL locks it and SQLite takes its write lock), then checks that every
//! trip named belongs to the account, so a refused request writes nothing.

use sqlx::{AnyConnection, Connection};
use std::collections::BTreeMap;

use moapi_core::db::{build, query_as_with, query_with};
use moapi_core::query::{FieldType, ListRequest, ListSpec};
use moapi_core::time::now_micros;
use sea_query::{
    Alias, Condition, Expr, Func, Iden, OnConflict, Order, Query, SelectStatement, SimpleExpr,
    Value,
};
use sqlx::any::AnyRow;
use sqlx::{Any, FromRow, Row, Transaction};

use crate::trip::store::{field, searchable, sortable, LIST_SPEC as TRIP_LIST_SPEC};

#[derive(Iden, Clone, Copy)]
enum MoguCatalogs {
    Table,
    Id,
    AccountId,
    Title,
    Description,
    LogoUrl,
    Filters,
    IsPublic,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum MoguCatalogTrips {
    Table,
    CatalogId,
    TripId,
    AddedAt,
}

#[derive(Iden)]
enum MoguTrips {
    Table,
    Id,
    AccountId,
}

/// The fields of a catalog its agents choose; the server adds the ID, owner, trip count and
/// timestamps. Values here are already valid.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewCatalog {
    pub title: String,
    pub description: Option<String>,
    pub logo_url: Option<String>,
    pub filters: BTreeMap<String, bool>,
    pub is_public: bool,
}

impl NewCatalog {
    /// Each chosen field with its column, in one order for inserts and updates alike.
    fn columns(&self) -> [(MoguCatalogs, Value); 5] {
        let filters = serde_json::to_string(&self.filters).unwrap_or_else(|_| "{}".into());
        [
            (MoguCatalogs::Title, self.title.clone().into()),
            (MoguCatalogs::Description, self.description.clone().into()),
            (MoguCatalogs::LogoUrl, self.logo_url.clone().into()),
            (MoguCatalogs::Filters, filters.into()),
            (MoguCatalogs::IsPublic, i64::from(self.is_public).into()),
        ]
    }
}

/// A catalog as stored, with the number of trips it holds.
#[derive(Debug, Clone)]
pub struct StoredCatalog {
    pub id: i64,
    pub account_id: i64,
    pub fields: NewCatalog,
    pub trip_count: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl FromRow<'_, AnyRow> for StoredCatalog {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        let filters: String = row.try_get("filters")?;
        let filters = serde_json::from_str(&filters).map_err(|err| sqlx::Error::ColumnDecode {
            index: "filters".into(),
            source: Box::new(err),
        })?;
        Ok(StoredCatalog {
            id: row.try_get("id")?,
            account_id: row.try_get("account_id")?,
            fields: NewCatalog {
                title: row.try_get("title")?,
                description: row.try_get("description")?,
                logo_url: row.try_get("logo_url")?,
                filters,
                is_public: row.try_get::<i64, _>("is_public")? != 0,
            },
            trip_count: row.try_get("trip_count")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// What `GET /catalogs` may filter, search and sort by. `tripCount` is computed per row, so
/// it is shown but neither filters nor sorts.
pub const LIST_SPEC: ListSpec = ListSpec {
    table: "mogu_catalogs",
    fields: &[
        sortable(field("id", "id", FieldType::Integer)),
        sortable(searchable(field("title", "title", FieldType::Text))),
        searchable(field("description", "description", FieldType::Text)),
        field("logoUrl", "logo_url", FieldType::Text),
        field("isPublic", "is_public", FieldType::Flag),
        sortable(field("createdAt", "created_at", FieldType::Instant)),
        sortable(field("updatedAt", "updated_at", FieldType::Instant)),
    ],
    default_sort: ("created_at", Order::Desc),
    id_column: "id",
};

/// Why a write of a catalog's trip set was refused or failed.
#[derive(Debug)]
pub enum CatalogWriteError {
    /// These trips are unknown or another account's: nothing was written.
    UnknownTrips(Vec<i64>),
    Database(sqlx::Error),
}

impl From<sqlx::Error> for CatalogWriteError {
    fn from(err: sqlx::Error) -> Self {
        CatalogWriteError::Database(err)
    }
}

fn of_account(account_id: i64) -> SimpleExpr {
    Expr::col((MoguCatalogs::Table, MoguCatalogs::AccountId)).eq(account_id)
}

fn with_id(catalog_id: i64) -> SimpleExpr {
    Expr::col((MoguCatalogs::Table, MoguCatalogs::Id)).eq(catalog_id)
}

/// Every catalog with every column [`StoredCatalog`] reads, its trip count included.
fn select_catalog_columns() -> SelectStatement {
    let columns = [
        MoguCatalogs::Id,
        MoguCatalogs::AccountId,
        MoguCatalogs::CreatedAt,
        MoguCatalogs::UpdatedAt,
    ];
    let fields = NewCatalog::default().columns().map(|(column, _)| column);
    let trip_count = Query::select()
        .expr(Func::count(Expr::col(MoguCatalogTrips::TripId)))
        .from(MoguCatalogTrips::Table)
        .and_where(
            Expr::col((MoguCatalogTrips::Table, MoguCatalogTrips::CatalogId))
                .equals((MoguCatalogs::Table, MoguCatalogs::Id)),
        )
        .to_owned();
    Query::select()
        .columns(
            columns
                .into_iter()
                .chain(fields)
                .map(|column| (MoguCatalogs::Table, column)),
        )
        .expr_as(
            SimpleExpr::SubQuery(None, Box::new(trip_count.into_sub_query_statement())),
            Alias::new("trip_count"),
        )
        .from(MoguCatalogs::Table)
        .to_owned()
}

/// The condition "the trip is in catalog `catalog_id`", over the trip list's table.
pub fn trips_in_catalog(catalog_id: i64) -> Condition {
    let members = Query::select()
        .column(MoguCatalogTrips::TripId)
        .from(MoguCatalogTrips::Table)
        .and_where(Expr::col(MoguCatalogTrips::CatalogId).eq(catalog_id))
        .to_owned();
    let trip_id = Expr::col((
        Alias::new(TRIP_LIST_SPEC.table),
        Alias::new(TRIP_LIST_SPEC.id_column),
    ));
    Condition::all().add(trip_id.in_subquery(members))
}

/// The account's catalog `catalog_id`, if it has one.
pub async fn find_catalog(
    conn: &mut AnyConnection,
    account_id: i64,
    catalog_id: i64,
) -> Result<Option<StoredCatalog>, sqlx::Error> {
    let select = select_catalog_columns()
        .and_where(of_account(account_id))
        .and_where(with_id(catalog_id))
        .to_owned();
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_optional(&mut *conn).await
}

/// One page of the account's catalogs matching `request`, and how many match in all.
pub async fn list_catalogs(
    conn: &mut AnyConnection,
    account_id: i64,
    request: &ListRequest,
) -> Result<(Vec<StoredCatalog>, i64), sqlx::Error> {
    let scope = Condition::all().add(of_account(account_id));
    request
        .fetch_page(conn, &LIST_SPEC, scope, select_catalog_columns())
        .await
}

/// Stores a new catalog holding `trip_ids` (the account's trips) and returns its ID.
pub async fn insert_catalog(
    conn: &mut AnyConnection,
    account_id: i64,
    catalog: &NewCatalog,
    trip_ids: &[i64],
) -> Result<i64, CatalogWriteError> {
    // Written first so that SQLite's transaction takes the write lock at once, rather than
    // upgrading a read lock later; a refusal below rolls the row back.
    let mut tx = conn.begin().await?;
    let now = now_micros();
    let generated: [(MoguCatalogs, Value); 3] = [
        (MoguCatalogs::AccountId, account_id.into()),
        (MoguCatalogs::CreatedAt, now.into()),
        (MoguCatalogs::UpdatedAt, now.into()),
    ];
    let (columns, values): (Vec<_>, Vec<_>) =
        generated.into_iter().chain(catalog.columns()).unzip();
    let insert = Query::insert()
        .into_table(MoguCatalogs::Table)
        .columns(columns)
        .values_panic(values.into_iter().map(SimpleExpr::from))
        .returning_col(MoguCatalogs::Id)
        .to_owned();
    let (sql, values) = build(&insert);
    let (id,): (i64,) = query_as_with(&sql, values).fetch_one(&mut *tx).await?;
    refuse_unknown_trips(&mut tx, account_id, trip_ids).await?;
    add_links(&mut tx, account_id, id, trip_ids).await?;
    tx.commit().await?;
    Ok(id)
}

/// Writes the fields that differ between `before` and `after` and, when `trip_ids` is given,
/// makes it the catalog's trip set; `updatedAt` is bumped when anything changed. `false` when
/// the account has no such catalog.
pub async fn update_catalog(
    conn: &mut AnyConnection,
    account_id: i64,
    catalog_id: i64,
    before: &NewCatalog,
    after: &NewCatalog,
    trip_ids: Option<&[i64]>,
) -> Result<bool, CatalogWriteError> {
    let changes: Vec<(MoguCatalogs, Value)> = after
        .columns()
        .into_iter()
        .zip(before.columns())
        .filter(|((_, new), (_, old))| new != old)
        .map(|(change, _)| change)
        .collect();
    let mut tx = conn.begin().await?;
    if !claim(&mut tx, account_id, catalog_id, &changes).await? {
        return Ok(false);
    }
    let mut changed = !changes.is_empty();
    if let Some(trip_ids) = trip_ids {
        refuse_unknown_trips(&mut tx, account_id, trip_ids).await?;
        let kept = Expr::col(MoguCatalogTrips::TripId).is_not_in(trip_ids.iter().copied());
        changed |= remove_links(&mut tx, catalog_id, kept).await? > 0;
        changed |= add_links(&mut tx, account_id, catalog_id, trip_ids).await? > 0;
    }
    if changed {
        touch(&mut tx, catalog_id).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// How a request changes a catalog's trip set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TripSetChange {
    /// Adds the account's trips named; trips already in the catalog stay as they are.
    Add,
    /// Removes the trips named; IDs not in the catalog are ignored.
    Remove,
}

/// Applies `change` with `trip_ids` to the catalog's trip set, bumping `updatedAt` when a link
/// came or went. `false` when the account has no such catalog.
pub async fn change_trips(
    conn: &mut AnyConnection,
    account_id: i64,
    catalog_id: i64,
    trip_ids: &[i64],
    change: TripSetChange,
) -> Result<bool, CatalogWriteError> {
    let mut tx = conn.begin().await?;
    if !claim(&mut tx, account_id, catalog_id, &[]).await? {
        return Ok(false);
    }
    let links_changed = match change {
        TripSetChange::Add => {
            refuse_unknown_trips(&mut tx, account_id, trip_ids).await?;
            add_links(&mut tx, account_id, catalog_id, trip_ids).await?
        }
        TripSetChange::Remove => {
            let named = Expr::col(MoguCatalogTrips::TripId).is_in(trip_ids.iter().copied());
            remove_links(&mut tx, catalog_id, named).await?
        }
    };
    if links_changed > 0 {
        touch(&mut tx, catalog_id).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Deletes the account's catalog; its trips stay (only the links go, by cascade). `false`
/// when the account has no such catalog.
pub async fn delete_catalog(
    conn: &mut AnyConnection,
    account_id: i64,
    catalog_id: i64,
) -> Result<bool, sqlx::Error> {
    let delete = Query::delete()
        .from_table(MoguCatalogs::Table)
        .and_where(of_account(account_id))
        .and_where(with_id(catalog_id))
        .to_owned();
    let (sql, values) = build(&delete);
    let done = query_with(&sql, values).execute(&mut *conn).await?;
    Ok(done.rows_affected() == 1)
}

/// Writes `changes` to the account's catalog (or, with none, rewrites a column with itself),
/// which locks the row for the rest of the transaction. `false` when there is no such catalog.
async fn claim(
    tx: &mut Transaction<'_, Any>,
    account_id: i64,
    catalog_id: i64,
    changes: &[(MoguCatalogs, Value)],
) -> Result<bool, sqlx::Error> {
    let mut update = Query::update();
    update
        .table(MoguCatalogs::Table)
        .and_where(of_account(account_id))
        .and_where(with_id(catalog_id));
    if changes.is_empty() {
        update.value(MoguCatalogs::UpdatedAt, Expr::col(MoguCatalogs::UpdatedAt));
    }
    for (column, value) in changes {
        update.value(*column, value.clone());
    }
    let (sql, values) = build(&update);
    let done = query_with(&sql, values).execute(&mut **tx).await?;
    Ok(done.rows_affected() == 1)
}

async fn touch(tx: &mut Transaction<'_, Any>, catalog_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE mogu_catalogs SET updated_at = $1 WHERE id = $2")
        .bind(now_micros())
        .bind(catalog_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Fails with the IDs among `trip_ids` that are not the account's trips, in request order.
async fn refuse_unknown_trips(
    tx: &mut Transaction<'_, Any>,
    account_id: i64,
    trip_ids: &[i64],
) -> Result<(), CatalogWriteError> {
    if trip_ids.is_empty() {
        return Ok(());
    }
    let select = Query::select()
        .column(MoguTrips::Id)
        .from(MoguTrips::Table)
        .and_where(Expr::col(MoguTrips::AccountId).eq(account_id))
        .and_where(Expr::col(MoguTrips::Id).is_in(trip_ids.iter().copied()))
        .to_owned();
    let (sql, values) = build(&select);
    let owned: Vec<(i64,)> = query_as_with(&sql, values).fetch_all(&mut **tx).await?;
    let unknown: Vec<i64> = trip_ids
        .iter()
        .copied()
        .filter(|id| !owned.contains(&(*id,)))
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(CatalogWriteError::UnknownTrips(unknown))
    }
}

/// Links the account's trips among `trip_ids` to the catalog, skipping those already linked;
/// returns how many links are new.
async fn add_links(
    tx: &mut Transaction<'_, Any>,
    account_id: i64,
    catalog_id: i64,
    trip_ids: &[i64],
) -> Result<u64, sqlx::Error> {
    if trip_ids.is_empty() {
        return Ok(0);
    }
    let trips = Query::select()
        .expr(Expr::val(catalog_id))
        .column(MoguTrips::Id)
        .expr(Expr::val(now_micros()))
        .from(MoguTrips::Table)
        .and_where(Expr::col(MoguTrips::AccountId).eq(account_id))
        .and_where(Expr::col(MoguTrips::Id).is_in(trip_ids.iter().copied()))
        .to_owned();
    let insert = Query::insert()
        .into_table(MoguCatalogTrips::Table)
        .columns([
            MoguCatalogTrips::CatalogId,
            MoguCatalogTrips::TripId,
            MoguCatalogTrips::AddedAt,
        ])
        .select_from(trips)
        .map_err(|err| sqlx::Error::Protocol(err.to_string()))?
        .on_conflict(
            OnConflict::columns([MoguCatalogTrips::CatalogId, MoguCatalogTrips::TripId])
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    let (sql, values) = build(&insert);
    let done = query_with(&sql, values).execute(&mut **tx).await?;
    Ok(done.rows_affected())
}

/// Unlinks the catalog's trips matching `which`; returns how many links went.
async fn remove_links(
    tx: &mut Transaction<'_, Any>,
    catalog_id: i64,
    which: SimpleExpr,
) -> Result<u64, sqlx::Error> {
    let delete = Query::delete()
        .from_table(MoguCatalogTrips::Table)
        .and_where(Expr::col(MoguCatalogTrips::CatalogId).eq(catalog_id))
        .and_where(which)
        .to_owned();
    let (sql, values) = build(&delete);
    let done = query_with(&sql, values).execute(&mut **tx).await?;
    Ok(done.rows_affected())
}
