//! Storage of staff, their roles and the businesses they work at.

use moapi_core::db::{build, query_as_with};
use moapi_core::pagination::Page;
use moapi_core::time::{now_micros, protojson_timestamp};
use moapi_core::{IdCodec, IdKind};
use sea_query::{Alias, Expr, Order, Query, SelectStatement};
use sqlx::{AnyConnection, Connection};

use super::wire::{Role, Staff};

#[derive(Debug, sqlx::FromRow)]
pub struct StaffRow {
    pub id: i64,
    pub company_id: i64,
    pub role_id: Option<i64>,
    pub role_name: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub avatar: String,
    pub phone: String,
    pub email: String,
    pub hired_at: Option<i64>,
    pub deleted: i64,
}

/// Staff belong to the company: a key restricted to some businesses still reads them all.
impl crate::access::Owned for StaffRow {
    fn company_id(&self) -> i64 {
        self.company_id
    }

    fn business_id(&self) -> Option<i64> {
        None
    }
}

/// A staff row with the businesses the member works at.
pub struct StaffWithBusinesses {
    pub row: StaffRow,
    pub business_ids: Vec<i64>,
}

impl StaffWithBusinesses {
    pub fn to_wire(&self, ids: &IdCodec) -> Staff {
        let row = &self.row;
        Staff {
            id: ids.encode(IdKind::Staff, row.id),
            first_name: row.first_name.clone(),
            last_name: row.last_name.clone(),
            avatar: row.avatar.clone(),
            phone: row.phone.clone(),
            email: row.email.clone(),
            role: row.role_id.map(|role_id| Role {
                id: ids.encode(IdKind::Role, role_id),
                name: row.role_name.clone().unwrap_or_default(),
                permissions: Vec::new(),
            }),
            hired_time: row.hired_at.map(protojson_timestamp),
            working_business_ids: self
                .business_ids
                .iter()
                .map(|id| ids.encode(IdKind::Business, *id))
                .collect(),
            mobile_van_id: String::new(),
            company_id: ids.encode(IdKind::Company, row.company_id),
            deleted: row.deleted != 0,
        }
    }
}

fn select_staff() -> SelectStatement {
    let staff = Alias::new("s");
    let mut select = Query::select();
    select
        .columns(
            [
                "id",
                "company_id",
                "role_id",
                "first_name",
                "last_name",
                "avatar",
                "phone",
                "email",
                "hired_at",
                "deleted",
            ]
            .map(|column| (staff.clone(), Alias::new(column))),
        )
        .expr_as(
            Expr::col((Alias::new("r"), Alias::new("name"))),
            Alias::new("role_name"),
        )
        .from_as(Alias::new("moego_staff"), staff.clone())
        .left_join(
            sea_query::TableRef::TableAlias(
                sea_query::SeaRc::new(Alias::new("moego_roles")),
                sea_query::SeaRc::new(Alias::new("r")),
            ),
            Expr::col((Alias::new("r"), Alias::new("id"))).equals((staff, Alias::new("role_id"))),
        );
    select
}

/// Which of `staff_ids` are live staff of the business's company working at the business.
pub async fn working_at(
    conn: &mut AnyConnection,
    business: crate::access::BusinessScope,
    staff_ids: &[i64],
) -> Result<Vec<i64>, sqlx::Error> {
    if staff_ids.is_empty() {
        return Ok(Vec::new());
    }
    let (staff, works) = (Alias::new("s"), Alias::new("w"));
    let select = Query::select()
        .column((staff.clone(), Alias::new("id")))
        .from_as(Alias::new("moego_staff"), staff.clone())
        .inner_join(
            sea_query::TableRef::TableAlias(
                sea_query::SeaRc::new(Alias::new("moego_staff_businesses")),
                sea_query::SeaRc::new(works.clone()),
            ),
            Expr::col((works.clone(), Alias::new("staff_id")))
                .equals((staff.clone(), Alias::new("id")))
                .and(Expr::col((works, Alias::new("business_id"))).eq(business.business_id)),
        )
        .and_where(Expr::col((staff.clone(), Alias::new("company_id"))).eq(business.company_id))
        .and_where(Expr::col((staff.clone(), Alias::new("deleted"))).eq(0))
        .and_where(Expr::col((staff, Alias::new("id"))).is_in(staff_ids.iter().copied()))
        .to_owned();
    let (sql, values) = build(&select);
    let rows: Vec<(i64,)> = query_as_with(&sql, values).fetch_all(conn).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<StaffRow>, sqlx::Error> {
    let mut select = select_staff();
    select.and_where(Expr::col((Alias::new("s"), Alias::new("id"))).eq(id));
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_optional(&mut *conn).await
}

/// A company's staff by ID, deleted ones included, one row beyond the page.
pub async fn list(
    conn: &mut AnyConnection,
    company_id: i64,
    page: Page,
) -> Result<Vec<StaffRow>, sqlx::Error> {
    let mut select = select_staff();
    select
        .and_where(Expr::col((Alias::new("s"), Alias::new("company_id"))).eq(company_id))
        .order_by((Alias::new("s"), Alias::new("id")), Order::Asc)
        .limit(page.fetch_limit() as u64)
        .offset(page.offset() as u64);
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_all(&mut *conn).await
}

/// Loads the working businesses of a page of staff in one query.
pub async fn with_businesses(
    conn: &mut AnyConnection,
    rows: Vec<StaffRow>,
) -> Result<Vec<StaffWithBusinesses>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut select = Query::select();
    select
        .columns(["staff_id", "business_id"].map(Alias::new))
        .from(Alias::new("moego_staff_businesses"))
        .and_where(Expr::col(Alias::new("staff_id")).is_in(rows.iter().map(|row| row.id)))
        .order_by(Alias::new("business_id"), Order::Asc);
    let (sql, values) = build(&select);
    let links: Vec<(i64, i64)> = query_as_with(&sql, values).fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(|row| StaffWithBusinesses {
            business_ids: links
                .iter()
                .filter(|(staff_id, _)| *staff_id == row.id)
                .map(|(_, business_id)| *business_id)
                .collect(),
            row,
        })
        .collect())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NewStaff {
    pub first_name: String,
    pub last_name: String,
    pub avatar: String,
    pub phone: String,
    pub email: String,
    /// The role's name; created in the company on first use.
    pub role: Option<String>,
    /// RFC 3339 hire date.
    pub hired_time: Option<String>,
    pub deleted: bool,
}

/// Creates a staff member working at `business_ids`, all in one transaction.
pub async fn insert(
    conn: &mut AnyConnection,
    company_id: i64,
    staff: &NewStaff,
    hired_at: Option<i64>,
    business_ids: &[i64],
) -> Result<i64, sqlx::Error> {
    let mut tx = conn.begin().await?;
    let role_id = match &staff.role {
        None => None,
        Some(name) => {
            sqlx::query("INSERT INTO moego_roles (company_id, name) VALUES ($1, $2) ON CONFLICT (company_id, name) DO NOTHING")
                .bind(company_id)
                .bind(name)
                .execute(&mut *tx)
                .await?;
            let (id,): (i64,) =
                sqlx::query_as("SELECT id FROM moego_roles WHERE company_id = $1 AND name = $2")
                    .bind(company_id)
                    .bind(name)
                    .fetch_one(&mut *tx)
                    .await?;
            Some(id)
        }
    };
    let now = now_micros();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_staff (company_id, role_id, first_name, last_name, avatar, phone, email, \
         hired_at, deleted, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(company_id)
    .bind(role_id)
    .bind(&staff.first_name)
    .bind(&staff.last_name)
    .bind(&staff.avatar)
    .bind(&staff.phone)
    .bind(&staff.email)
    .bind(hired_at)
    .bind(i64::from(staff.deleted))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    for business_id in business_ids {
        sqlx::query("INSERT INTO moego_staff_businesses (staff_id, business_id) VALUES ($1, $2)")
            .bind(id)
            .bind(business_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(id)
}
