//! Storage of the packages customers bought: a copy of the catalog package at the sale, and
//! one row per item with its total and remaining quantity. The remaining quantity only moves
//! through [`take`], one conditional statement, so concurrent redemptions never exceed it.

use moapi_core::pagination::Page;
use moapi_core::time::protojson_timestamp;
use moapi_core::{IdCodec, IdKind, Status};
use sqlx::AnyConnection;

use super::wire::{DetailService, Package, PackageService};
use crate::order::store::stored_money;
use crate::retail::store::{parse_services, ItemService, StoredItem};

/// The vendor's `expirationDate` of a package that never expires.
pub const NEVER_EXPIRES_DATE: &str = "9999-01-01";
/// `status`: the package can be redeemed until it expires.
const STATUS_VALID: i32 = 1;
const STATUS_EXPIRED: i32 = 2;

fn int32(value: i64) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CustomerPackageRow {
    pub id: i64,
    pub company_id: i64,
    pub business_id: i64,
    pub customer_id: i64,
    pub retail_package_id: i64,
    pub order_line_item_id: i64,
    pub name: String,
    pub description: String,
    pub currency_code: String,
    pub price: String,
    pub purchased_at: i64,
    pub expires_at: Option<i64>,
    pub expiration_date: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// Sums over the package's items.
    pub total_quantity: i64,
    pub remaining_quantity: i64,
}

impl crate::access::Owned for CustomerPackageRow {
    fn company_id(&self) -> i64 {
        self.company_id
    }

    fn business_id(&self) -> Option<i64> {
        Some(self.business_id)
    }
}

impl CustomerPackageRow {
    pub fn is_expired(&self, at: i64) -> bool {
        self.expires_at.is_some_and(|expires| expires <= at)
    }

    /// The wire package as it stands at `now`.
    pub fn to_wire(&self, ids: &IdCodec, now: i64) -> Result<Package, Status> {
        let used = self.remaining_quantity < self.total_quantity;
        Ok(Package {
            id: ids.encode(IdKind::CustomerPackage, self.id),
            cart_package_id: ids.encode(IdKind::RetailPackage, self.retail_package_id),
            customer_id: ids.encode(IdKind::Customer, self.customer_id),
            staff_id: String::new(),
            retail_invoice_item_id: ids.encode(IdKind::OrderLineItem, self.order_line_item_id),
            confirmation_id: String::new(),
            package_name: self.name.clone(),
            package_desc: self.description.clone(),
            package_price: stored_money(&self.currency_code, &self.price)?,
            purchase_time: protojson_timestamp(self.purchased_at),
            start_time: protojson_timestamp(self.purchased_at),
            end_time: self.expires_at.map(protojson_timestamp),
            create_time: protojson_timestamp(self.created_at),
            update_time: protojson_timestamp(self.updated_at),
            status: match self.is_expired(now) {
                true => STATUS_EXPIRED,
                false => STATUS_VALID,
            },
            used,
            total_remaining_quantity: int32(self.remaining_quantity),
            applied: used,
            business_id: ids.encode(IdKind::Business, self.business_id),
            expiration_date: self.expiration_date.clone(),
        })
    }
}

const SELECT_PACKAGES: &str = "SELECT p.id, p.company_id, p.business_id, p.customer_id, \
     p.retail_package_id, p.order_line_item_id, p.name, p.description, p.currency_code, \
     p.price, p.purchased_at, p.expires_at, p.expiration_date, p.created_at, p.updated_at, \
     CAST(COALESCE((SELECT SUM(s.total_quantity) FROM moego_customer_package_services s \
       WHERE s.customer_package_id = p.id), 0) AS BIGINT) AS total_quantity, \
     CAST(COALESCE((SELECT SUM(s.remaining_quantity) FROM moego_customer_package_services s \
       WHERE s.customer_package_id = p.id), 0) AS BIGINT) AS remaining_quantity \
     FROM moego_customer_packages p";

/// A page of a customer's packages at a business, by ID.
pub async fn list_of_customer(
    conn: &mut AnyConnection,
    business_id: i64,
    customer_id: i64,
    page: Page,
) -> Result<Vec<CustomerPackageRow>, sqlx::Error> {
    let sql = format!(
        "{SELECT_PACKAGES} WHERE p.customer_id = $1 AND p.business_id = $2 \
         ORDER BY p.id LIMIT $3 OFFSET $4"
    );
    sqlx::query_as(&sql)
        .bind(customer_id)
        .bind(business_id)
        .bind(page.fetch_limit())
        .bind(page.offset())
        .fetch_all(conn)
        .await
}

/// A page of the packages of `ids` bought at a business, by ID.
pub async fn list_by_ids(
    conn: &mut AnyConnection,
    business_id: i64,
    ids: &[i64],
    page: Page,
) -> Result<Vec<CustomerPackageRow>, sqlx::Error> {
    let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 4)).collect();
    let sql = format!(
        "{SELECT_PACKAGES} WHERE p.business_id = $1 AND p.id IN ({}) \
         ORDER BY p.id LIMIT $2 OFFSET $3",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as(&sql)
        .bind(business_id)
        .bind(page.fetch_limit())
        .bind(page.offset());
    for id in ids {
        query = query.bind(*id);
    }
    query.fetch_all(conn).await
}

pub async fn find(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<CustomerPackageRow>, sqlx::Error> {
    let sql = format!("{SELECT_PACKAGES} WHERE p.id = $1");
    sqlx::query_as(&sql).bind(id).fetch_optional(conn).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PackageServiceRow {
    pub id: i64,
    pub customer_package_id: i64,
    pub services: String,
    pub total_quantity: i64,
    pub remaining_quantity: i64,
}

impl PackageServiceRow {
    pub fn item_services(&self) -> Result<Vec<ItemService>, Status> {
        parse_services(&self.services)
    }

    pub fn covers(&self, service_id: i64) -> Result<bool, Status> {
        Ok(self
            .item_services()?
            .iter()
            .any(|service| service.service_id == service_id))
    }

    pub fn to_wire(&self, ids: &IdCodec, currency: &str) -> Result<PackageService, Status> {
        Ok(PackageService {
            id: ids.encode(IdKind::PackageService, self.id),
            package_id: ids.encode(IdKind::CustomerPackage, self.customer_package_id),
            services: self
                .item_services()?
                .iter()
                .map(|service| {
                    Ok(DetailService {
                        service_id: ids.encode(IdKind::Service, service.service_id),
                        unit_price: stored_money(currency, &service.unit_price)?,
                        name: service.name.clone(),
                    })
                })
                .collect::<Result<_, Status>>()?,
            total_quantity: int32(self.total_quantity),
            remaining_quantity: int32(self.remaining_quantity),
        })
    }
}

/// The items of some packages, by ID.
pub async fn services_of(
    conn: &mut AnyConnection,
    package_ids: &[i64],
) -> Result<Vec<PackageServiceRow>, sqlx::Error> {
    if package_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=package_ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT id, customer_package_id, services, total_quantity, remaining_quantity \
         FROM moego_customer_package_services WHERE customer_package_id IN ({}) ORDER BY id",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as(&sql);
    for id in package_ids {
        query = query.bind(*id);
    }
    query.fetch_all(conn).await
}

pub struct NewCustomerPackage<'a> {
    pub company_id: i64,
    pub business_id: i64,
    pub customer_id: i64,
    pub retail_package_id: i64,
    pub order_id: i64,
    pub order_line_item_id: i64,
    pub name: &'a str,
    pub description: &'a str,
    pub currency_code: &'a str,
    pub price: String,
    pub expires_at: Option<i64>,
    pub expiration_date: String,
    pub items: &'a [StoredItem],
}

/// Stores a bought package with its items, each with all of its quantity left.
pub async fn insert(
    conn: &mut AnyConnection,
    package: &NewCustomerPackage<'_>,
    at: i64,
) -> Result<i64, Status> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_customer_packages (company_id, business_id, customer_id, \
         retail_package_id, order_id, order_line_item_id, name, description, currency_code, \
         price, purchased_at, expires_at, expiration_date, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $11, $11) RETURNING id",
    )
    .bind(package.company_id)
    .bind(package.business_id)
    .bind(package.customer_id)
    .bind(package.retail_package_id)
    .bind(package.order_id)
    .bind(package.order_line_item_id)
    .bind(package.name)
    .bind(package.description)
    .bind(package.currency_code)
    .bind(&package.price)
    .bind(at)
    .bind(package.expires_at)
    .bind(&package.expiration_date)
    .fetch_one(&mut *conn)
    .await?;
    let rows = package
        .items
        .iter()
        .map(|item| {
            Ok(vec![
                id.into(),
                serde_json::to_string(&item.services)
                    .map_err(Status::internal)?
                    .into(),
                item.quantity.into(),
                item.quantity.into(),
                at.into(),
            ])
        })
        .collect::<Result<Vec<_>, Status>>()?;
    moapi_core::db::insert_rows(
        conn,
        "moego_customer_package_services",
        &[
            "customer_package_id",
            "services",
            "total_quantity",
            "remaining_quantity",
            "updated_at",
        ],
        rows,
    )
    .await?;
    Ok(id)
}

/// Takes `quantity` of an item's remaining quantity if that much is left: answers whether it
/// did. The condition is in the one statement, so concurrent takers never go below zero.
pub async fn take(
    conn: &mut AnyConnection,
    package_service_id: i64,
    quantity: i64,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let taken = sqlx::query(
        "UPDATE moego_customer_package_services \
         SET remaining_quantity = remaining_quantity - $2, updated_at = $3 \
         WHERE id = $1 AND remaining_quantity >= $2",
    )
    .bind(package_service_id)
    .bind(quantity)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    if taken.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE moego_customer_packages SET updated_at = $2 WHERE id = \
         (SELECT customer_package_id FROM moego_customer_package_services WHERE id = $1)",
    )
    .bind(package_service_id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(true)
}
