//! Storage of the service catalog (`moego_services`). Business and staff lists are JSON
//! arrays of raw IDs; a service's businesses are matched in SQL through that text, commas
//! around each ID, so one query pages a filtered list on both backends.

use moapi_core::db::{build, query_as_with};
use moapi_core::pagination::Page;
use moapi_core::time::now_micros;
use moapi_core::{IdCodec, IdKind};
use sea_query::{Alias, Cond, Expr, Order, Query, SimpleExpr};
use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;
use sqlx::{Any, AnyConnection};

use super::wire::{Service, ServiceFilters, ServiceItemType, ServiceType};
use crate::money::Amount;

const COLUMNS: &str = "id, company_id, name, category, service_item_type, service_type, price, \
    currency_code, duration_minutes, business_ids, available_all_business, \
    available_business_ids, available_all_staff, available_staff_ids, filters, inactive";

/// Everything a service holds but its identity.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceValues {
    pub name: String,
    pub category: String,
    pub item_type: ServiceItemType,
    pub service_type: ServiceType,
    pub price: Amount,
    pub duration_minutes: i32,
    /// The body's `businessIds`, as sent.
    pub business_ids: Vec<i64>,
    pub available_all_business: bool,
    pub available_business_ids: Vec<i64>,
    pub available_all_staff: bool,
    pub available_staff_ids: Vec<i64>,
    pub filters: ServiceFilters,
    pub inactive: bool,
}

impl ServiceValues {
    /// Whether the service is offered at one of `businesses`.
    pub fn offered_at_any(&self, businesses: &[i64]) -> bool {
        self.available_all_business
            || businesses
                .iter()
                .any(|id| self.available_business_ids.contains(id))
    }

    /// Whether the staff member may give the service.
    pub fn gives(&self, staff_id: i64) -> bool {
        self.available_all_staff || self.available_staff_ids.contains(&staff_id)
    }
}

#[derive(Debug, sqlx::FromRow)]
struct ServiceRow {
    id: i64,
    company_id: i64,
    name: String,
    category: String,
    service_item_type: String,
    service_type: String,
    price: String,
    currency_code: String,
    duration_minutes: i64,
    business_ids: String,
    available_all_business: i64,
    available_business_ids: String,
    available_all_staff: i64,
    available_staff_ids: String,
    filters: String,
    inactive: i64,
}

/// A stored service.
#[derive(Debug, Clone)]
pub struct ServiceRecord {
    pub id: i64,
    pub company_id: i64,
    pub values: ServiceValues,
}

fn id_list(text: &str) -> Vec<i64> {
    serde_json::from_str(text).unwrap_or_default()
}

fn id_text(ids: &[i64]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

impl TryFrom<ServiceRow> for ServiceRecord {
    type Error = sqlx::Error;

    fn try_from(row: ServiceRow) -> Result<Self, Self::Error> {
        let price = Amount::from_stored(&row.currency_code, &row.price).ok_or_else(|| {
            sqlx::Error::Decode(format!("service {} has a malformed price", row.id).into())
        })?;
        Ok(ServiceRecord {
            id: row.id,
            company_id: row.company_id,
            values: ServiceValues {
                name: row.name,
                category: row.category,
                item_type: ServiceItemType::from_name(&row.service_item_type),
                service_type: ServiceType::from_name(&row.service_type),
                price,
                duration_minutes: i32::try_from(row.duration_minutes).unwrap_or_default(),
                business_ids: id_list(&row.business_ids),
                available_all_business: row.available_all_business != 0,
                available_business_ids: id_list(&row.available_business_ids),
                available_all_staff: row.available_all_staff != 0,
                available_staff_ids: id_list(&row.available_staff_ids),
                filters: serde_json::from_str(&row.filters).unwrap_or_default(),
                inactive: row.inactive != 0,
            },
        })
    }
}

impl ServiceRecord {
    pub fn to_wire(&self, ids: &IdCodec) -> Service {
        let values = &self.values;
        let encode = |kind, list: &[i64]| {
            list.iter()
                .map(|id| ids.encode(kind, *id))
                .collect::<Vec<_>>()
        };
        Service {
            id: ids.encode(IdKind::Service, self.id),
            raw_id: self.id,
            name: values.name.clone(),
            service_item_type: values.item_type,
            category: values.category.clone(),
            price: values.price.to_wire(),
            service_type: values.service_type,
            service_time: values.duration_minutes,
            available_all_business: values.available_all_business,
            available_business_ids: encode(IdKind::Business, &values.available_business_ids),
            available_all_staff: values.available_all_staff,
            available_staff_ids: encode(IdKind::Staff, &values.available_staff_ids),
            filters: values.filters.clone(),
        }
    }
}

fn records(rows: Vec<ServiceRow>) -> Result<Vec<ServiceRecord>, sqlx::Error> {
    rows.into_iter().map(ServiceRecord::try_from).collect()
}

/// Binds a service's values, in the order of `$2` to `$15` of the writes below.
fn bind_values<'q>(
    query: QueryAs<'q, Any, ServiceRow, AnyArguments<'q>>,
    values: &ServiceValues,
) -> QueryAs<'q, Any, ServiceRow, AnyArguments<'q>> {
    query
        .bind(values.name.clone())
        .bind(values.category.clone())
        .bind(values.item_type.name())
        .bind(values.service_type.name())
        .bind(values.price.stored())
        .bind(values.price.currency.as_str().to_string())
        .bind(i64::from(values.duration_minutes))
        .bind(id_text(&values.business_ids))
        .bind(i64::from(values.available_all_business))
        .bind(id_text(&values.available_business_ids))
        .bind(i64::from(values.available_all_staff))
        .bind(id_text(&values.available_staff_ids))
        .bind(serde_json::to_string(&values.filters).unwrap_or_else(|_| "{}".into()))
        .bind(i64::from(values.inactive))
}

/// Inserts a service unless the company has one of the same name (case-insensitive): `None`
/// then. One statement, so the check and the write cannot be split by another writer's.
pub async fn insert(
    conn: &mut AnyConnection,
    company_id: i64,
    values: &ServiceValues,
) -> Result<Option<ServiceRecord>, sqlx::Error> {
    let sql = format!(
        "INSERT INTO moego_services (company_id, name, category, service_item_type, \
         service_type, price, currency_code, duration_minutes, business_ids, \
         available_all_business, available_business_ids, available_all_staff, \
         available_staff_ids, filters, inactive, created_at, updated_at) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16 \
         WHERE NOT EXISTS (SELECT 1 FROM moego_services \
         WHERE company_id = $1 AND lower(name) = lower($2)) RETURNING {COLUMNS}"
    );
    let query = bind_values(sqlx::query_as(&sql).bind(company_id), values).bind(now_micros());
    query
        .fetch_optional(conn)
        .await?
        .map(ServiceRecord::try_from)
        .transpose()
}

/// Replaces a service's values unless another service of its company has the new name:
/// `None` then (services are never deleted, so the row exists).
pub async fn update(
    conn: &mut AnyConnection,
    id: i64,
    values: &ServiceValues,
) -> Result<Option<ServiceRecord>, sqlx::Error> {
    let sql = format!(
        "UPDATE moego_services SET name = $2, category = $3, service_item_type = $4, \
         service_type = $5, price = $6, currency_code = $7, duration_minutes = $8, \
         business_ids = $9, available_all_business = $10, available_business_ids = $11, \
         available_all_staff = $12, available_staff_ids = $13, filters = $14, inactive = $15, \
         updated_at = $16 WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM moego_services other \
         WHERE other.company_id = moego_services.company_id AND other.id <> $1 \
         AND lower(other.name) = lower($2)) RETURNING {COLUMNS}"
    );
    let query = bind_values(sqlx::query_as(&sql).bind(id), values).bind(now_micros());
    query
        .fetch_optional(conn)
        .await?
        .map(ServiceRecord::try_from)
        .transpose()
}

pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<ServiceRecord>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM moego_services WHERE id = $1");
    sqlx::query_as::<_, ServiceRow>(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(ServiceRecord::try_from)
        .transpose()
}

/// Matches services offered at business `id` (all businesses, or `id` in the list).
fn offered_at(business_id: i64) -> SimpleExpr {
    Expr::cust_with_values(
        "replace(replace(available_business_ids, '[', ','), ']', ',') LIKE $1",
        [format!("%,{business_id},%")],
    )
}

/// What `services:list` asks for.
#[derive(Debug, Default)]
pub struct ListQuery {
    pub company_id: i64,
    /// Services offered at one of these businesses; `None` for every service.
    pub business_ids: Option<Vec<i64>>,
    /// Empty for every type.
    pub item_types: Vec<ServiceItemType>,
}

/// A company's active services matching `query`, by ID, one row beyond the page.
pub async fn list(
    conn: &mut AnyConnection,
    query: &ListQuery,
    page: Page,
) -> Result<Vec<ServiceRecord>, sqlx::Error> {
    let mut matching = Cond::all()
        .add(Expr::col(Alias::new("company_id")).eq(query.company_id))
        .add(Expr::col(Alias::new("inactive")).eq(0));
    if !query.item_types.is_empty() {
        matching = matching.add(
            Expr::col(Alias::new("service_item_type"))
                .is_in(query.item_types.iter().map(|item_type| item_type.name())),
        );
    }
    if let Some(businesses) = &query.business_ids {
        matching = matching.add(businesses.iter().fold(
            Cond::any().add(Expr::col(Alias::new("available_all_business")).eq(1)),
            |condition, id| condition.add(offered_at(*id)),
        ));
    }
    let mut select = Query::select();
    select
        .columns(COLUMNS.split(',').map(|column| Alias::new(column.trim())))
        .from(Alias::new("moego_services"))
        .cond_where(matching)
        .order_by(Alias::new("id"), Order::Asc)
        .limit(page.fetch_limit() as u64)
        .offset(page.offset() as u64);
    let (sql, values) = build(&select);
    records(query_as_with(&sql, values).fetch_all(conn).await?)
}

/// The currency of each of a company's businesses: its settings' code, or USD when it has
/// no settings row.
pub async fn business_currencies(
    conn: &mut AnyConnection,
    company_id: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT b.id, COALESCE(s.currency_code, 'USD') FROM moego_businesses b \
         LEFT JOIN moego_business_settings s ON s.business_id = b.id \
         WHERE b.company_id = $1 ORDER BY b.id",
    )
    .bind(company_id)
    .fetch_all(conn)
    .await
}

/// Names of services offered at a business and priced in another currency than `currency`.
pub async fn priced_otherwise_at(
    conn: &mut AnyConnection,
    company_id: i64,
    business_id: i64,
    currency: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let mut select = Query::select();
    select
        .column(Alias::new("name"))
        .from(Alias::new("moego_services"))
        .cond_where(
            Cond::all()
                .add(Expr::col(Alias::new("company_id")).eq(company_id))
                .add(Expr::col(Alias::new("currency_code")).ne(currency))
                .add(
                    Cond::any()
                        .add(Expr::col(Alias::new("available_all_business")).eq(1))
                        .add(offered_at(business_id)),
                ),
        )
        .order_by(Alias::new("id"), Order::Asc);
    let (sql, values) = build(&select);
    let rows: Vec<(String,)> = query_as_with(&sql, values).fetch_all(conn).await?;
    Ok(rows.into_iter().map(|(name,)| name).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_business_pattern_is_bound_after_the_statements_other_values() {
        let (sql, values) = build(
            Query::select()
                .column(Alias::new("id"))
                .from(Alias::new("moego_services"))
                .cond_where(
                    Cond::all()
                        .add(Expr::col(Alias::new("company_id")).eq(7))
                        .add(offered_at(1)),
                ),
        );
        // The placeholder is numbered after the statement's other values.
        assert!(sql.contains("LIKE $2"), "{sql}");
        assert_eq!(values.0.len(), 2);
        assert_eq!(values.0[1], sea_query::Value::from("%,1,%".to_string()));
    }
}
