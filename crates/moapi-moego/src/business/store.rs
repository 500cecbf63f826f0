//! Storage of businesses. The address is a value object kept as JSON text.

use moapi_core::auth::CompanyOwner;
use moapi_core::db::{build, query_as_with};
use moapi_core::pagination::Page;
use moapi_core::time::now_micros;
use moapi_core::{IdCodec, IdKind};
use sea_query::{Alias, Expr, Order, Query};
use sqlx::AnyConnection;

use super::wire::{Address, Business};

const COLUMNS: [&str; 14] = [
    "id",
    "company_id",
    "name",
    "avatar",
    "phone",
    "business_phone",
    "email",
    "address",
    "website",
    "facebook",
    "instagram",
    "yelp",
    "google",
    "created_at",
];

#[derive(Debug, sqlx::FromRow)]
pub struct BusinessRow {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub avatar: String,
    pub phone: String,
    pub business_phone: String,
    pub email: String,
    pub address: Option<String>,
    pub website: String,
    pub facebook: String,
    pub instagram: String,
    pub yelp: String,
    pub google: String,
    pub created_at: i64,
}

impl crate::access::Owned for BusinessRow {
    fn company_id(&self) -> i64 {
        self.company_id
    }

    fn business_id(&self) -> Option<i64> {
        Some(self.id)
    }
}

impl BusinessRow {
    pub fn to_wire(&self, ids: &IdCodec) -> Business {
        let address = self
            .address
            .as_deref()
            .and_then(|text| serde_json::from_str::<Address>(text).ok())
            .map(|address| Address {
                id: ids.encode(IdKind::Address, self.id),
                ..address
            });
        Business {
            id: ids.encode(IdKind::Business, self.id),
            name: self.name.clone(),
            avatar: self.avatar.clone(),
            phone: self.phone.clone(),
            business_phone: self.business_phone.clone(),
            email: self.email.clone(),
            address,
            website: self.website.clone(),
            facebook: self.facebook.clone(),
            instagram: self.instagram.clone(),
            yelp: self.yelp.clone(),
            google: self.google.clone(),
            company_id: ids.encode(IdKind::Company, self.company_id),
        }
    }
}

fn select_columns() -> sea_query::SelectStatement {
    let mut select = Query::select();
    select
        .columns(COLUMNS.map(Alias::new))
        .from(Alias::new("moego_businesses"));
    select
}

pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<BusinessRow>, sqlx::Error> {
    let mut select = select_columns();
    select.and_where(Expr::col(Alias::new("id")).eq(id));
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_optional(&mut *conn).await
}

/// The owner chain of a business's company, in one statement.
pub async fn owner(conn: &mut AnyConnection, id: i64) -> Result<Option<CompanyOwner>, sqlx::Error> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT c.id, c.client_id FROM moego_businesses b \
         JOIN moego_companies c ON c.id = b.company_id WHERE b.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(company_id, client_id)| CompanyOwner {
        company_id,
        client_id,
    }))
}

/// A company's businesses by ID, limited to `subset` when the key is, one row beyond the page.
pub async fn list(
    conn: &mut AnyConnection,
    company_id: i64,
    subset: Option<&[i64]>,
    page: Page,
) -> Result<Vec<BusinessRow>, sqlx::Error> {
    let mut select = select_columns();
    select
        .and_where(Expr::col(Alias::new("company_id")).eq(company_id))
        .order_by(Alias::new("id"), Order::Asc)
        .limit(page.fetch_limit() as u64)
        .offset(page.offset() as u64);
    if let Some(ids) = subset {
        select.and_where(Expr::col(Alias::new("id")).is_in(ids.iter().copied()));
    }
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_all(&mut *conn).await
}

/// IDs of the company's businesses, to check names and IDs operators give.
pub async fn ids_of_company(
    conn: &mut AnyConnection,
    company_id: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM moego_businesses WHERE company_id = $1 ORDER BY id")
            .bind(company_id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NewBusiness {
    pub name: String,
    pub avatar: String,
    pub phone: String,
    pub business_phone: String,
    pub email: String,
    pub address: Option<Address>,
    pub website: String,
    pub facebook: String,
    pub instagram: String,
    pub yelp: String,
    pub google: String,
}

pub async fn insert(
    conn: &mut AnyConnection,
    company_id: i64,
    business: &NewBusiness,
) -> Result<i64, sqlx::Error> {
    let address = business
        .address
        .as_ref()
        .map(|address| serde_json::to_string(address).unwrap_or_default());
    let now = now_micros();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_businesses (company_id, name, avatar, phone, business_phone, email, address, \
         website, facebook, instagram, yelp, google, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(company_id)
    .bind(&business.name)
    .bind(&business.avatar)
    .bind(&business.phone)
    .bind(&business.business_phone)
    .bind(&business.email)
    .bind(address)
    .bind(&business.website)
    .bind(&business.facebook)
    .bind(&business.instagram)
    .bind(&business.yelp)
    .bind(&business.google)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}
