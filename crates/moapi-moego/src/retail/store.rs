//! Storage of the business's package catalog, products and suppliers. Prices are decimal
//! text in the business's currency; a package's items are one JSON column (they are read and
//! written whole, and copied into each package a customer buys).

use moapi_core::db::{self, build, query_as_with};
use moapi_core::pagination::Page;
use moapi_core::time::protojson_timestamp;
use moapi_core::{IdCodec, IdKind, Status};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use sea_query::{Alias, Expr, Order, Query};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use super::wire::{Item, Package, Product, Service, Supplier};
use crate::money::Amount;
use crate::order::store::{stored_amount, stored_money};

/// `expirationDays` of a package that never expires (the vendor's marker).
pub const NEVER_EXPIRES_DAYS: i64 = 99_999_999;

/// A service of a package item as stored: its raw ID, and its name and price when the package
/// was made (a later catalog edit does not change what was sold).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ItemService {
    pub service_id: i64,
    pub name: String,
    pub unit_price: String,
}

/// An item as stored: services that share a quantity.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct StoredItem {
    pub quantity: i64,
    pub services: Vec<ItemService>,
}

pub fn parse_services(text: &str) -> Result<Vec<ItemService>, Status> {
    serde_json::from_str(text).map_err(|_| Status::internal("stored package services are damaged"))
}

pub fn services_to_wire(
    ids: &IdCodec,
    currency: &str,
    services: &[ItemService],
) -> Result<Vec<Service>, Status> {
    services
        .iter()
        .map(|service| {
            Ok(Service {
                service_id: ids.encode(IdKind::Service, service.service_id),
                unit_price: stored_money(currency, &service.unit_price)?,
                name: service.name.clone(),
            })
        })
        .collect()
}

/// A fraction stored as decimal text ("0.08625"), as the wire's double.
fn rate(text: &str) -> Result<f64, Status> {
    text.parse::<Decimal>()
        .ok()
        .and_then(|rate| rate.to_f64())
        .ok_or_else(|| Status::internal(format!("stored rate {text:?} is damaged")))
}

fn int32(value: i64) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

#[derive(Debug, Clone, Deserialize)]
pub struct RetailPackageRow {
    pub id: i64,
    pub company_id: i64,
    pub business_id: i64,
    pub name: String,
    pub description: String,
    pub currency_code: String,
    pub price: String,
    pub tax_rate: String,
    pub items: String,
    pub expiration_days: i64,
    pub is_active: i64,
    pub enable_online_booking: i64,
    pub revenue_category_name: String,
    pub source: i64,
    pub sold_quantity: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl RetailPackageRow {
    pub fn stored_items(&self) -> Result<Vec<StoredItem>, Status> {
        serde_json::from_str(&self.items)
            .map_err(|_| Status::internal("stored package items are damaged"))
    }

    pub fn to_wire(&self, ids: &IdCodec) -> Result<Package, Status> {
        let currency = self.currency_code.as_str();
        let stored = self.stored_items()?;
        let mut total_value = stored_amount(currency, "0")?;
        let mut items = Vec::with_capacity(stored.len());
        for item in &stored {
            total_value = total_value.plus(item_value(currency, item)?);
            items.push(Item {
                quantity: int32(item.quantity),
                services: services_to_wire(ids, currency, &item.services)?,
            });
        }
        Ok(Package {
            id: ids.encode(IdKind::RetailPackage, self.id),
            company_id: ids.encode(IdKind::Company, self.company_id),
            business_id: ids.encode(IdKind::Business, self.business_id),
            name: self.name.clone(),
            description: self.description.clone(),
            price: stored_money(currency, &self.price)?,
            total_value: total_value.to_wire(),
            tax_id: String::new(),
            tax_rate: rate(&self.tax_rate)?,
            sold_quantity: int32(self.sold_quantity),
            create_time: protojson_timestamp(self.created_at),
            update_time: protojson_timestamp(self.updated_at),
            is_active: self.is_active != 0,
            enable_online_booking: self.enable_online_booking != 0,
            expiration_days: int32(self.expiration_days),
            source: int32(self.source),
            items,
            revenue_category_name: self.revenue_category_name.clone(),
        })
    }
}

/// What an item is worth: its quantity at the dearest of its services (the most a customer
/// could redeem it for).
fn item_value(currency: &str, item: &StoredItem) -> Result<Amount, Status> {
    let mut dearest = stored_amount(currency, "0")?;
    for service in &item.services {
        let price = stored_amount(currency, &service.unit_price)?;
        if price.value > dearest.value {
            dearest = price;
        }
    }
    Ok(dearest.times(Decimal::from(item.quantity)))
}

const PACKAGE_COLUMNS: [&str; 17] = [
    "id",
    "company_id",
    "business_id",
    "name",
    "description",
    "currency_code",
    "price",
    "tax_rate",
    "items",
    "expiration_days",
    "is_active",
    "enable_online_booking",
    "revenue_category_name",
    "source",
    "sold_quantity",
    "created_at",
    "updated_at",
];

/// A page of the catalog packages of some businesses, by ID.
pub async fn list_packages(
    conn: &mut AnyConnection,
    business_ids: &[i64],
    page: Page,
) -> Result<Vec<RetailPackageRow>, sqlx::Error> {
    let mut select = Query::select();
    select
        .columns(PACKAGE_COLUMNS.map(Alias::new))
        .from(Alias::new("moego_retail_packages"))
        .and_where(Expr::col(Alias::new("business_id")).is_in(business_ids.iter().copied()))
        .order_by(Alias::new("id"), Order::Asc)
        .limit(page.fetch_limit() as u64)
        .offset(page.offset() as u64);
    db::fetch_all_json(conn, &select, &[("id", Order::Asc)]).await
}

pub async fn find_package(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<RetailPackageRow>, sqlx::Error> {
    let mut select = Query::select();
    select
        .columns(PACKAGE_COLUMNS.map(Alias::new))
        .from(Alias::new("moego_retail_packages"))
        .and_where(Expr::col(Alias::new("id")).eq(id));
    Ok(db::fetch_all_json(conn, &select, &[]).await?.pop())
}

pub struct NewRetailPackage<'a> {
    pub company_id: i64,
    pub business_id: i64,
    pub name: &'a str,
    pub description: &'a str,
    pub price: Amount,
    pub tax_rate: Decimal,
    pub items: &'a [StoredItem],
    pub expiration_days: i64,
    pub is_active: bool,
    pub enable_online_booking: bool,
    pub revenue_category_name: &'a str,
    pub source: i64,
}

pub async fn insert_package(
    conn: &mut AnyConnection,
    package: &NewRetailPackage<'_>,
    at: i64,
) -> Result<i64, Status> {
    let items = serde_json::to_string(package.items).map_err(Status::internal)?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_retail_packages (company_id, business_id, name, description, \
         currency_code, price, tax_rate, items, expiration_days, is_active, \
         enable_online_booking, revenue_category_name, source, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
    )
    .bind(package.company_id)
    .bind(package.business_id)
    .bind(package.name)
    .bind(package.description)
    .bind(package.price.currency.as_str())
    .bind(package.price.stored())
    .bind(package.tax_rate.normalize().to_string())
    .bind(items)
    .bind(package.expiration_days)
    .bind(i64::from(package.is_active))
    .bind(i64::from(package.enable_online_booking))
    .bind(package.revenue_category_name)
    .bind(package.source)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// Counts `quantity` more sold of a catalog package.
pub async fn count_sold(
    conn: &mut AnyConnection,
    package_id: i64,
    quantity: i64,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE moego_retail_packages SET sold_quantity = sold_quantity + $2, updated_at = $3 \
         WHERE id = $1",
    )
    .bind(package_id)
    .bind(quantity)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Deserialize)]
pub struct ProductRow {
    pub id: i64,
    pub company_id: i64,
    pub business_id: i64,
    pub supplier_id: Option<i64>,
    pub name: String,
    pub description: String,
    pub sku: String,
    pub barcode: String,
    pub image_url: String,
    pub category_name: String,
    pub revenue_category_name: String,
    pub currency_code: String,
    pub supply_price: String,
    pub retail_price: String,
    pub special_price: Option<String>,
    pub tax_rate: String,
    pub enable_staff_commission: i64,
    pub stock: i64,
    pub deleted: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SupplierRow {
    pub id: i64,
    pub name: String,
    pub first_name: String,
    pub last_name: String,
    pub telephone: String,
    pub mobile: String,
    pub email: String,
    pub website: String,
    pub address: String,
}

impl SupplierRow {
    fn to_wire(&self, ids: &IdCodec) -> Supplier {
        Supplier {
            id: ids.encode(IdKind::Supplier, self.id),
            name: self.name.clone(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            telephone: self.telephone.clone(),
            mobile: self.mobile.clone(),
            email: self.email.clone(),
            website: self.website.clone(),
            address: self.address.clone(),
        }
    }
}

impl ProductRow {
    pub fn to_wire(&self, ids: &IdCodec, suppliers: &[SupplierRow]) -> Result<Product, Status> {
        let money = |value: &str| stored_money(&self.currency_code, value);
        Ok(Product {
            id: ids.encode(IdKind::Product, self.id),
            business_id: ids.encode(IdKind::Business, self.business_id),
            name: self.name.clone(),
            description: self.description.clone(),
            sku: self.sku.clone(),
            barcode: self.barcode.clone(),
            image_url: self.image_url.clone(),
            category_name: self.category_name.clone(),
            revenue_category_name: self.revenue_category_name.clone(),
            supplier: self.supplier_id.and_then(|id| {
                suppliers
                    .iter()
                    .find(|supplier| supplier.id == id)
                    .map(|supplier| supplier.to_wire(ids))
            }),
            supply_price: money(&self.supply_price)?,
            retail_price: money(&self.retail_price)?,
            special_price: self.special_price.as_deref().map(money).transpose()?,
            tax_rate: rate(&self.tax_rate)?,
            enable_staff_commission: self.enable_staff_commission != 0,
            stock: int32(self.stock),
            deleted: self.deleted != 0,
            created_time: protojson_timestamp(self.created_at),
            last_updated_time: protojson_timestamp(self.updated_at),
        })
    }
}

const PRODUCT_COLUMNS: [&str; 21] = [
    "id",
    "company_id",
    "business_id",
    "supplier_id",
    "name",
    "description",
    "sku",
    "barcode",
    "image_url",
    "category_name",
    "revenue_category_name",
    "currency_code",
    "supply_price",
    "retail_price",
    "special_price",
    "tax_rate",
    "enable_staff_commission",
    "stock",
    "deleted",
    "created_at",
    "updated_at",
];

/// A page of the products of some businesses (deleted ones included, flagged), by ID.
pub async fn list_products(
    conn: &mut AnyConnection,
    business_ids: &[i64],
    page: Page,
) -> Result<Vec<ProductRow>, sqlx::Error> {
    let mut select = Query::select();
    select
        .columns(PRODUCT_COLUMNS.map(Alias::new))
        .from(Alias::new("moego_products"))
        .and_where(Expr::col(Alias::new("business_id")).is_in(business_ids.iter().copied()))
        .order_by(Alias::new("id"), Order::Asc)
        .limit(page.fetch_limit() as u64)
        .offset(page.offset() as u64);
    db::fetch_all_json(conn, &select, &[("id", Order::Asc)]).await
}

pub async fn find_product(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<ProductRow>, sqlx::Error> {
    let mut select = Query::select();
    select
        .columns(PRODUCT_COLUMNS.map(Alias::new))
        .from(Alias::new("moego_products"))
        .and_where(Expr::col(Alias::new("id")).eq(id));
    Ok(db::fetch_all_json(conn, &select, &[]).await?.pop())
}

/// The suppliers the products name, in one statement.
pub async fn suppliers_of(
    conn: &mut AnyConnection,
    products: &[ProductRow],
) -> Result<Vec<SupplierRow>, sqlx::Error> {
    let mut ids: Vec<i64> = products.iter().filter_map(|p| p.supplier_id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    ids.sort_unstable();
    ids.dedup();
    let mut select = Query::select();
    select
        .columns(
            [
                "id",
                "name",
                "first_name",
                "last_name",
                "telephone",
                "mobile",
                "email",
                "website",
                "address",
            ]
            .map(Alias::new),
        )
        .from(Alias::new("moego_suppliers"))
        .and_where(Expr::col(Alias::new("id")).is_in(ids));
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_all(conn).await
}

pub struct NewSupplier<'a> {
    pub company_id: i64,
    pub name: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub telephone: &'a str,
    pub mobile: &'a str,
    pub email: &'a str,
    pub website: &'a str,
    pub address: &'a str,
}

pub async fn insert_supplier(
    conn: &mut AnyConnection,
    supplier: &NewSupplier<'_>,
    at: i64,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_suppliers (company_id, name, first_name, last_name, telephone, \
         mobile, email, website, address, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(supplier.company_id)
    .bind(supplier.name)
    .bind(supplier.first_name)
    .bind(supplier.last_name)
    .bind(supplier.telephone)
    .bind(supplier.mobile)
    .bind(supplier.email)
    .bind(supplier.website)
    .bind(supplier.address)
    .bind(at)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

pub struct NewProduct<'a> {
    pub company_id: i64,
    pub business_id: i64,
    pub supplier_id: Option<i64>,
    pub name: &'a str,
    pub description: &'a str,
    pub sku: &'a str,
    pub barcode: &'a str,
    pub image_url: &'a str,
    pub category_name: &'a str,
    pub revenue_category_name: &'a str,
    pub supply_price: Amount,
    pub retail_price: Amount,
    pub special_price: Option<Amount>,
    pub tax_rate: Decimal,
    pub enable_staff_commission: bool,
    pub stock: i64,
}

pub async fn insert_product(
    conn: &mut AnyConnection,
    product: &NewProduct<'_>,
    at: i64,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_products (company_id, business_id, supplier_id, name, description, \
         sku, barcode, image_url, category_name, revenue_category_name, currency_code, \
         supply_price, retail_price, special_price, tax_rate, enable_staff_commission, stock, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
         $13, $14, $15, $16, $17, $18, $18) RETURNING id",
    )
    .bind(product.company_id)
    .bind(product.business_id)
    .bind(product.supplier_id)
    .bind(product.name)
    .bind(product.description)
    .bind(product.sku)
    .bind(product.barcode)
    .bind(product.image_url)
    .bind(product.category_name)
    .bind(product.revenue_category_name)
    .bind(product.retail_price.currency.as_str())
    .bind(product.supply_price.stored())
    .bind(product.retail_price.stored())
    .bind(product.special_price.map(|price| price.stored()))
    .bind(product.tax_rate.normalize().to_string())
    .bind(i64::from(product.enable_staff_commission))
    .bind(product.stock)
    .bind(at)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Changes a product's stock by `delta` (negative: taken out), never below zero: answers
/// whether it changed. One conditional statement, so that concurrent sales of the last units
/// cannot both take them.
pub async fn change_stock(
    conn: &mut AnyConnection,
    product_id: i64,
    delta: i64,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE moego_products SET stock = stock + $2, updated_at = $3 \
         WHERE id = $1 AND deleted = 0 AND stock + $2 >= 0",
    )
    .bind(product_id)
    .bind(delta)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(changed.rows_affected() == 1)
}
