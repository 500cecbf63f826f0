//! Storage of API clients (the owners of companies) and companies.

use moapi_core::auth::{CompanyOwner, MoegoPrincipal, MoegoRestriction};
use moapi_core::db::{build, query_as_with};
use moapi_core::pagination::Page;
use moapi_core::time::now_micros;
use moapi_core::{IdCodec, IdKind};
use sea_query::{Alias, Expr, Order, Query};
use sqlx::AnyConnection;

use super::wire::Company;
use crate::wire::TimeZone;

#[derive(Debug, sqlx::FromRow)]
pub struct CompanyRow {
    pub id: i64,
    pub client_id: i64,
    pub name: String,
    pub country: String,
    pub timezone_id: String,
}

impl CompanyRow {
    pub fn owner(&self) -> CompanyOwner {
        CompanyOwner {
            company_id: self.id,
            client_id: self.client_id,
        }
    }

    pub fn to_wire(&self, ids: &IdCodec) -> Company {
        Company {
            id: ids.encode(IdKind::Company, self.id),
            raw_id: self.id,
            name: self.name.clone(),
            country: self.country.clone(),
            timezone: (!self.timezone_id.is_empty()).then(|| TimeZone {
                id: self.timezone_id.clone(),
                version: String::new(),
            }),
        }
    }
}

const COLUMNS: &str = "id, client_id, name, country, timezone_id";

pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<CompanyRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM moego_companies WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
}

pub async fn owner(conn: &mut AnyConnection, id: i64) -> Result<Option<CompanyOwner>, sqlx::Error> {
    Ok(find(conn, id).await?.map(|row| row.owner()))
}

/// A company's owner chain and its businesses' IDs (ascending), in one statement.
pub async fn owner_with_businesses(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<(CompanyOwner, Vec<i64>)>, sqlx::Error> {
    let rows: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT c.id, c.client_id, b.id FROM moego_companies c \
         LEFT JOIN moego_businesses b ON b.company_id = c.id WHERE c.id = $1 ORDER BY b.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.first().map(|&(company_id, client_id, _)| {
        let owner = CompanyOwner {
            company_id,
            client_id,
        };
        (owner, rows.iter().filter_map(|row| row.2).collect())
    }))
}

/// The companies a key reaches, by name then ID, one row beyond the page.
pub async fn list(
    conn: &mut AnyConnection,
    principal: &MoegoPrincipal,
    page: Page,
) -> Result<Vec<CompanyRow>, sqlx::Error> {
    let mut select = Query::select();
    select
        .columns(["id", "client_id", "name", "country", "timezone_id"].map(Alias::new))
        .from(Alias::new("moego_companies"))
        .and_where(Expr::col(Alias::new("client_id")).eq(principal.client_id))
        .order_by(Alias::new("name"), Order::Asc)
        .order_by(Alias::new("id"), Order::Asc)
        .limit(page.fetch_limit() as u64)
        .offset(page.offset() as u64);
    match &principal.restriction {
        MoegoRestriction::Company(company_id) | MoegoRestriction::Businesses { company_id, .. } => {
            select.and_where(Expr::col(Alias::new("id")).eq(*company_id));
        }
        MoegoRestriction::AllowedIps(_) => {}
    }
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_all(&mut *conn).await
}

/// Creates an API client (the vendor's organization owner) and returns its ID and public UUID.
pub async fn insert_client(
    conn: &mut AnyConnection,
    name: &str,
) -> Result<(i64, String), sqlx::Error> {
    let client_uid = uuid::Uuid::new_v4().to_string();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_clients (client_uid, name, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(&client_uid)
    .bind(name)
    .bind(now_micros())
    .fetch_one(&mut *conn)
    .await?;
    Ok((id, client_uid))
}

pub struct NewCompany<'a> {
    pub client_id: i64,
    pub name: &'a str,
    pub country: &'a str,
    pub timezone_id: &'a str,
}

pub async fn insert(
    conn: &mut AnyConnection,
    company: &NewCompany<'_>,
) -> Result<i64, sqlx::Error> {
    let now = now_micros();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_companies (client_id, name, country, timezone_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(company.client_id)
    .bind(company.name)
    .bind(company.country)
    .bind(company.timezone_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}
