//! What ListLodgings reads: the lodging units of some businesses with their type's capacity,
//! a page at a time.

use moapi_core::db::{build, query_as_with};
use moapi_core::pagination::Page;
use sea_query::{Alias, Expr, Order, Query, SeaRc, TableRef};
use sqlx::AnyConnection;

/// A lodging unit and what its type allows.
#[derive(Debug, sqlx::FromRow)]
pub struct UnitRow {
    pub id: i64,
    pub name: String,
    pub type_name: String,
    pub max_pet_num: i64,
}

/// The units of the businesses (`None`: every business of the company), by business, then
/// type, then unit (the order operators made them in), one row beyond the page.
pub async fn units(
    conn: &mut AnyConnection,
    company_id: i64,
    business_ids: Option<&[i64]>,
    page: Page,
) -> Result<Vec<UnitRow>, sqlx::Error> {
    let (units, types) = (Alias::new("u"), Alias::new("t"));
    let unit = |column: &str| (units.clone(), Alias::new(column));
    let mut select = Query::select();
    select
        .columns([unit("id"), unit("name")])
        .expr_as(
            Expr::col((types.clone(), Alias::new("name"))),
            Alias::new("type_name"),
        )
        .column((types.clone(), Alias::new("max_pet_num")))
        .from_as(Alias::new("moego_lodging_units"), units.clone())
        .inner_join(
            TableRef::TableAlias(
                SeaRc::new(Alias::new("moego_lodging_types")),
                SeaRc::new(types.clone()),
            ),
            Expr::col((types, Alias::new("id"))).equals(unit("lodging_type_id")),
        )
        .and_where(Expr::col(unit("company_id")).eq(company_id))
        .and_where_option(
            business_ids.map(|ids| Expr::col(unit("business_id")).is_in(ids.iter().copied())),
        )
        .order_by(unit("business_id"), Order::Asc)
        .order_by(unit("lodging_type_id"), Order::Asc)
        .order_by(unit("id"), Order::Asc)
        .limit(page.fetch_limit() as u64)
        .offset(page.offset() as u64);
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_all(conn).await
}
