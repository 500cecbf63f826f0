//! Operator verbs for what a business sells besides appointments: its package catalog, its
//! products (with their suppliers) and their stock, and what a sale of them does in the
//! sale's transaction (stock taken, bought packages created, `soldQuantity` counted). The
//! `packages`, `products` and `packageSales` fixture sections go through the same verbs.

use std::str::FromStr;

use moapi_core::db::Conn;
use moapi_core::time::now_micros;
use moapi_core::{AppState, IdKind, Status};
use moapi_moego::access::BusinessScope;
use moapi_moego::company::{self, store::CompanyRow};
use moapi_moego::money::Amount;
use moapi_moego::order::ledger::{self, NewOrder, OpenedOrder, SaleLine};
use moapi_moego::order::store as orders;
use moapi_moego::package::store::{self as packages, NewCustomerPackage, NEVER_EXPIRES_DATE};
use moapi_moego::retail::store::{
    self as retail, ItemService, NewProduct, NewRetailPackage, NewSupplier, RetailPackageRow,
    StoredItem, NEVER_EXPIRES_DAYS,
};
use rust_decimal::Decimal;
use serde::Deserialize;
use sqlx::AnyConnection;

use super::orders::{create_sale, record_payment, NewPaymentRequest, NewSaleLine, NewSaleRequest};
use super::{from_status, invalid, resolve_business_scope, resolve_id, OperatorError, Result};
use crate::fixtures::MoegoCompany;

/// Longest a package may last short of never expiring: a century.
const MAX_EXPIRATION_DAYS: i64 = 36_500;
const MICROS_PER_DAY: i64 = 86_400_000_000;

fn text<'a>(field: &str, value: &'a str, max: usize, required: bool) -> Result<&'a str> {
    let value = value.trim();
    if (required && value.is_empty()) || value.chars().count() > max {
        let least = usize::from(required);
        return invalid(format!("{field}: {least} to {max} characters"));
    }
    Ok(value)
}

fn price(field: &str, currency: &str, value: &str) -> Result<Amount> {
    Amount::from_stored(currency, value.trim())
        .filter(|amount| !amount.value.is_sign_negative())
        .ok_or_else(|| {
            OperatorError::Invalid(format!(
                "{field}: {value:?} is not a non-negative decimal amount in {currency}"
            ))
        })
}

/// The business's tax as the fraction the retail lists show (moapi keeps one tax per
/// business, which the ledger charges on every line).
async fn tax_fraction(conn: &mut AnyConnection, business_id: i64) -> Result<(String, Decimal)> {
    let (currency, percent): (String, String) = sqlx::query_as(
        "SELECT currency_code, tax_rate FROM moego_business_settings WHERE business_id = $1",
    )
    .bind(business_id)
    .fetch_optional(conn)
    .await?
    .unwrap_or_else(|| ("USD".to_string(), "0".to_string()));
    let percent = Decimal::from_str(&percent)
        .map_err(|_| OperatorError::Internal("stored tax rate is damaged".into()))?;
    Ok((currency, percent / Decimal::ONE_HUNDRED))
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewPackageItem {
    pub quantity: i64,
    /// Services of the company's catalog, each by `svc_` ID, raw number or name.
    pub services: Vec<String>,
}

/// A package of a business's catalog.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewRetailPackageRequest {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Decimal text in the business's currency.
    pub price: String,
    pub items: Vec<NewPackageItem>,
    /// Days a bought package lasts; 99999999 (the default) never expires.
    #[serde(default = "never")]
    pub expiration_days: i64,
    #[serde(default = "yes")]
    pub is_active: bool,
    #[serde(default)]
    pub enable_online_booking: bool,
    #[serde(default)]
    pub revenue_category_name: String,
    #[serde(default)]
    pub source: i32,
}

fn never() -> i64 {
    NEVER_EXPIRES_DAYS
}

fn yes() -> bool {
    true
}

/// A company's service by `svc_` ID, raw number or exact name, with its name and price.
async fn company_service(
    state: &AppState,
    conn: &mut AnyConnection,
    company_id: i64,
    reference: &str,
) -> Result<(i64, String, String)> {
    let by_id = reference
        .parse::<i64>()
        .ok()
        .or_else(|| state.ids.decode(IdKind::Service, reference.trim()).ok());
    let row: Option<(i64, String, String)> =
        match by_id {
            Some(id) => {
                sqlx::query_as(
                    "SELECT id, name, price FROM moego_services WHERE id = $1 AND company_id = $2",
                )
                .bind(id)
                .bind(company_id)
                .fetch_optional(conn)
                .await?
            }
            None => sqlx::query_as(
                "SELECT id, name, price FROM moego_services WHERE name = $1 AND company_id = $2 \
                 ORDER BY id LIMIT 1",
            )
            .bind(reference.trim())
            .bind(company_id)
            .fetch_optional(conn)
            .await?,
        };
    row.ok_or_else(|| {
        OperatorError::NotFound(format!("service {reference:?} not found in the company"))
    })
}

/// Adds a package to a business's catalog at `at`; returns its `pkg_` ID.
pub async fn create_package(
    state: &AppState,
    db: &mut Conn,
    business: &str,
    request: &NewRetailPackageRequest,
    at: i64,
) -> Result<String> {
    let BusinessScope {
        company_id,
        business_id,
    } = resolve_business_scope(state, db, business).await?;
    let name = text("name", &request.name, 255, true)?;
    let description = text("description", &request.description, 1000, false)?;
    let revenue_category = text(
        "revenueCategoryName",
        &request.revenue_category_name,
        255,
        false,
    )?;
    let days = request.expiration_days;
    if days != NEVER_EXPIRES_DAYS && !(1..=MAX_EXPIRATION_DAYS).contains(&days) {
        return invalid(format!(
            "expirationDays: 1 to {MAX_EXPIRATION_DAYS}, or {NEVER_EXPIRES_DAYS} for never"
        ));
    }
    if request.items.is_empty() || request.items.len() > 50 {
        return invalid("items: 1 to 50 items");
    }
    let conn = db.get().await?;
    let (currency, tax_rate) = tax_fraction(conn, business_id).await?;
    let price = price("price", &currency, &request.price)?;
    let mut items = Vec::with_capacity(request.items.len());
    for (index, item) in request.items.iter().enumerate() {
        if !(1..=10_000).contains(&item.quantity) {
            return invalid(format!("items[{index}].quantity: 1 to 10000"));
        }
        if item.services.is_empty() || item.services.len() > 50 {
            return invalid(format!("items[{index}].services: 1 to 50 services"));
        }
        let mut services = Vec::with_capacity(item.services.len());
        for reference in &item.services {
            let (service_id, name, unit_price) =
                company_service(state, conn, company_id, reference).await?;
            services.push(ItemService {
                service_id,
                name,
                unit_price,
            });
        }
        items.push(StoredItem {
            quantity: item.quantity,
            services,
        });
    }
    let package = NewRetailPackage {
        company_id,
        business_id,
        name,
        description,
        price,
        tax_rate,
        items: &items,
        expiration_days: days,
        is_active: request.is_active,
        enable_online_booking: request.enable_online_booking,
        revenue_category_name: revenue_category,
        source: i64::from(request.source),
    };
    let _gate = db.write_gate().await;
    let id = retail::insert_package(db.get().await?, &package, at)
        .await
        .map_err(from_status)?;
    Ok(state.ids.encode(IdKind::RetailPackage, id))
}

/// A product's supplier: an existing one (`sup_` ID) or a new one of the company, reused by
/// name when the company has one so called.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewSupplierRequest {
    pub name: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub telephone: String,
    #[serde(default)]
    pub mobile: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub address: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewProductRequest {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub sku: String,
    #[serde(default)]
    pub barcode: String,
    #[serde(default)]
    pub image_url: String,
    #[serde(default)]
    pub category_name: String,
    #[serde(default)]
    pub revenue_category_name: String,
    #[serde(default)]
    pub supplier: Option<NewSupplierRequest>,
    #[serde(default)]
    pub supplier_id: Option<String>,
    /// Decimal texts in the business's currency.
    #[serde(default)]
    pub supply_price: Option<String>,
    pub retail_price: String,
    #[serde(default)]
    pub special_price: Option<String>,
    #[serde(default)]
    pub enable_staff_commission: bool,
    #[serde(default)]
    pub stock: i64,
}

async fn supplier_of(
    state: &AppState,
    conn: &mut AnyConnection,
    company_id: i64,
    request: &NewProductRequest,
    at: i64,
) -> Result<Option<i64>> {
    match (&request.supplier_id, &request.supplier) {
        (Some(_), Some(_)) => invalid("give supplierId or supplier, not both"),
        (None, None) => Ok(None),
        (Some(reference), None) => {
            let id = resolve_id(state, IdKind::Supplier, reference)?;
            let owner: Option<(i64,)> =
                sqlx::query_as("SELECT company_id FROM moego_suppliers WHERE id = $1")
                    .bind(id)
                    .fetch_optional(conn)
                    .await?;
            match owner {
                Some((owner,)) if owner == company_id => Ok(Some(id)),
                _ => Err(OperatorError::NotFound(format!(
                    "supplier {reference} not found in the company"
                ))),
            }
        }
        (None, Some(supplier)) => {
            let name = text("supplier.name", &supplier.name, 255, true)?;
            let known: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM moego_suppliers WHERE company_id = $1 AND name = $2 \
                 ORDER BY id LIMIT 1",
            )
            .bind(company_id)
            .bind(name)
            .fetch_optional(&mut *conn)
            .await?;
            if let Some((id,)) = known {
                return Ok(Some(id));
            }
            let field = |field: &str, value: &'static str| format!("supplier.{field}{value}");
            let new = NewSupplier {
                company_id,
                name,
                first_name: text(&field("firstName", ""), &supplier.first_name, 255, false)?,
                last_name: text(&field("lastName", ""), &supplier.last_name, 255, false)?,
                telephone: text(&field("telephone", ""), &supplier.telephone, 64, false)?,
                mobile: text(&field("mobile", ""), &supplier.mobile, 64, false)?,
                email: text(&field("email", ""), &supplier.email, 255, false)?,
                website: text(&field("website", ""), &supplier.website, 1000, false)?,
                address: text(&field("address", ""), &supplier.address, 1000, false)?,
            };
            Ok(Some(retail::insert_supplier(conn, &new, at).await?))
        }
    }
}

/// Adds a product to a business at `at`; returns its `prd_` ID.
pub async fn create_product(
    state: &AppState,
    db: &mut Conn,
    business: &str,
    request: &NewProductRequest,
    at: i64,
) -> Result<String> {
    let BusinessScope {
        company_id,
        business_id,
    } = resolve_business_scope(state, db, business).await?;
    if !(0..=1_000_000_000).contains(&request.stock) {
        return invalid("stock: 0 to 1000000000");
    }
    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    let (currency, tax_rate) = tax_fraction(&mut tx, business_id).await?;
    let supplier_id = supplier_of(state, &mut tx, company_id, request, at).await?;
    let product = NewProduct {
        company_id,
        business_id,
        supplier_id,
        name: text("name", &request.name, 255, true)?,
        description: text("description", &request.description, 1000, false)?,
        sku: text("sku", &request.sku, 255, false)?,
        barcode: text("barcode", &request.barcode, 255, false)?,
        image_url: text("imageUrl", &request.image_url, 2000, false)?,
        category_name: text("categoryName", &request.category_name, 255, false)?,
        revenue_category_name: text(
            "revenueCategoryName",
            &request.revenue_category_name,
            255,
            false,
        )?,
        supply_price: price(
            "supplyPrice",
            &currency,
            request.supply_price.as_deref().unwrap_or("0"),
        )?,
        retail_price: price("retailPrice", &currency, &request.retail_price)?,
        special_price: request
            .special_price
            .as_deref()
            .map(|special| price("specialPrice", &currency, special))
            .transpose()?,
        tax_rate,
        enable_staff_commission: request.enable_staff_commission,
        stock: request.stock,
    };
    let id = retail::insert_product(&mut tx, &product, at).await?;
    tx.commit().await?;
    Ok(state.ids.encode(IdKind::Product, id))
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StockChangeRequest {
    /// Units added (positive) or taken out (negative).
    pub delta: i64,
}

/// Changes a product's stock; never below zero. Returns the new stock.
pub async fn change_stock(
    state: &AppState,
    db: &mut Conn,
    product: &str,
    request: &StockChangeRequest,
    at: i64,
) -> Result<i64> {
    let id = resolve_id(state, IdKind::Product, product)?;
    if request.delta.unsigned_abs() > 1_000_000_000 {
        return invalid("delta: -1000000000 to 1000000000");
    }
    let _gate = db.write_gate().await;
    let conn = db.get().await?;
    let row = retail::find_product(conn, id)
        .await?
        .filter(|row| row.deleted == 0)
        .ok_or_else(|| OperatorError::NotFound(format!("product {product} not found")))?;
    if !retail::change_stock(conn, id, request.delta, at).await? {
        return invalid(format!(
            "delta: {} would take {} below zero",
            request.delta, row.name
        ));
    }
    let row = retail::find_product(conn, id)
        .await?
        .ok_or_else(|| OperatorError::Internal("a product vanished".into()))?;
    Ok(row.stock)
}

/// What a sale line sells besides its price: nothing more, a product's units, or catalog
/// packages the customer then holds.
pub enum Goods {
    Plain,
    Product { id: i64, name: String },
    Package(Box<RetailPackageRow>),
}

impl Goods {
    /// The line item's `objectId`: the product or the catalog package.
    pub fn object_id(&self) -> Option<i64> {
        match self {
            Goods::Plain => None,
            Goods::Product { id, .. } => Some(*id),
            Goods::Package(package) => Some(package.id),
        }
    }
}

/// A product of the sale's business, not deleted; its name and retail price (the special
/// price when it has one) are the line's defaults.
pub async fn product_for_sale(
    state: &AppState,
    db: &mut Conn,
    business_id: i64,
    reference: &str,
) -> Result<(Goods, String, String)> {
    let id = resolve_id(state, IdKind::Product, reference)?;
    let row = retail::find_product(db.get().await?, id)
        .await?
        .filter(|row| row.business_id == business_id && row.deleted == 0)
        .ok_or_else(|| {
            OperatorError::NotFound(format!("product {reference} not found at the business"))
        })?;
    let price = row
        .special_price
        .clone()
        .unwrap_or(row.retail_price.clone());
    let name = row.name.clone();
    Ok((Goods::Product { id, name: row.name }, name, price))
}

/// An active catalog package of the sale's business; its name and price are the line's
/// defaults.
pub async fn package_for_sale(
    state: &AppState,
    db: &mut Conn,
    business_id: i64,
    reference: &str,
) -> Result<(Goods, String, String)> {
    let id = resolve_id(state, IdKind::RetailPackage, reference)?;
    let row = retail::find_package(db.get().await?, id)
        .await?
        .filter(|row| row.business_id == business_id && row.is_active != 0)
        .ok_or_else(|| {
            OperatorError::NotFound(format!(
                "package {reference} not found active at the business"
            ))
        })?;
    let (name, price) = (row.name.clone(), row.price.clone());
    Ok((Goods::Package(Box::new(row)), name, price))
}

/// Opens a sale's order and delivers its goods in the caller's transaction: each product's
/// stock taken (a line beyond the stock refuses the whole sale), each package bought once per
/// unit and counted sold. `zone` dates the packages' expiration.
pub async fn record_sale(
    conn: &mut AnyConnection,
    order: &NewOrder<'_>,
    lines: &[SaleLine],
    goods: &[Goods],
    zone: chrono_tz::Tz,
    at: i64,
) -> std::result::Result<OpenedOrder, Status> {
    let opened = ledger::open_sale(conn, order, lines, at).await?;
    for (index, ((line, goods), item_id)) in
        lines.iter().zip(goods).zip(&opened.item_ids).enumerate()
    {
        match goods {
            Goods::Plain => {}
            Goods::Product { id, name } => {
                if !retail::change_stock(conn, *id, -line.quantity, at).await? {
                    let stock = retail::find_product(conn, *id)
                        .await?
                        .map_or(0, |row| row.stock);
                    return Err(Status::invalid_argument(format!(
                        "lines[{index}].quantity: {} of {name} asked, {stock} in stock",
                        line.quantity
                    )));
                }
            }
            Goods::Package(package) => {
                let expires_at = (package.expiration_days != NEVER_EXPIRES_DAYS)
                    .then(|| at + package.expiration_days * MICROS_PER_DAY);
                let expiration_date = match expires_at {
                    Some(expires) => company::local_time(expires, zone)
                        .date_naive()
                        .format("%Y-%m-%d")
                        .to_string(),
                    None => NEVER_EXPIRES_DATE.to_string(),
                };
                let items = package.stored_items()?;
                let bought = NewCustomerPackage {
                    company_id: order.company_id,
                    business_id: order.business_id,
                    customer_id: order.customer_id,
                    retail_package_id: package.id,
                    order_id: opened.id,
                    order_line_item_id: *item_id,
                    name: &package.name,
                    description: &package.description,
                    currency_code: line.unit_price.currency.as_str(),
                    price: line.unit_price.stored(),
                    expires_at,
                    expiration_date,
                    items: &items,
                };
                for _ in 0..line.quantity {
                    packages::insert(conn, &bought, at).await?;
                }
                retail::count_sold(conn, package.id, line.quantity, at).await?;
            }
        }
    }
    Ok(opened)
}

/// A catalog package sold to a customer in the fixtures, before the appointments are booked
/// (so that bookings of a service it covers redeem it).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixturePackageSale {
    /// The customer's "First Last".
    pub customer: String,
    /// The name of a package of the company's catalog, sold at its business.
    pub package: String,
    /// Days after the seed day (0 or before); sold at the seed's time of day.
    pub day: i64,
    /// How it was paid in full ("cash", "credit_card", ...); unpaid without it.
    #[serde(default)]
    pub payment: Option<String>,
}

/// Checks the names of the company's retail sections before any write.
pub fn validate_company(company: &MoegoCompany) -> Result<()> {
    let unknown = |what: &str, kind: &str, name: &str| {
        invalid(format!(
            "company {:?}: {what} names unknown {kind} {name:?}",
            company.name
        ))
    };
    let businesses: Vec<&str> = company.businesses.iter().map(|b| b.name.as_str()).collect();
    for name in company.packages.keys().chain(company.products.keys()) {
        if !businesses.contains(&name.as_str()) {
            return unknown("packages/products", "business", name);
        }
    }
    for (index, sale) in company.package_sales.iter().enumerate() {
        let what = format!("packageSales[{index}]");
        let customer = company.customers.iter().any(|customer| {
            format!("{} {}", customer.first_name, customer.last_name).trim() == sale.customer.trim()
        });
        if !customer {
            return unknown(&what, "customer", &sale.customer);
        }
        if !company
            .packages
            .values()
            .flatten()
            .any(|p| p.name == sale.package)
        {
            return unknown(&what, "package", &sale.package);
        }
        if !(-366..=0).contains(&sale.day) {
            return invalid(format!(
                "{what}: day must be within a year before the seed day"
            ));
        }
    }
    Ok(())
}

async fn named_id(db: &mut Conn, sql: &str, company_id: i64, name: &str) -> Result<i64> {
    let row: Option<(i64,)> = sqlx::query_as(sql)
        .bind(company_id)
        .bind(name.trim())
        .fetch_optional(db.get().await?)
        .await?;
    row.map(|(id,)| id)
        .ok_or_else(|| OperatorError::Invalid(format!("unknown name {name:?}")))
}

/// Seeds the company's package catalog, products and package sales (paid when the fixture
/// says so), through the operator verbs.
pub async fn seed_company(
    state: &AppState,
    db: &mut Conn,
    company: &CompanyRow,
    fixture: &MoegoCompany,
) -> Result<()> {
    let now = now_micros();
    let business_sql = "SELECT id FROM moego_businesses WHERE company_id = $1 AND name = $2";
    for (name, catalog) in &fixture.packages {
        let id = named_id(db, business_sql, company.id, name).await?;
        for package in catalog {
            create_package(state, db, &id.to_string(), package, now).await?;
        }
    }
    for (name, products) in &fixture.products {
        let id = named_id(db, business_sql, company.id, name).await?;
        for product in products {
            create_product(state, db, &id.to_string(), product, now).await?;
        }
    }
    for sale in &fixture.package_sales {
        let customer = named_id(
            db,
            "SELECT id FROM moego_customers WHERE company_id = $1 AND deleted = 0 \
             AND TRIM(first_name || ' ' || last_name) = $2",
            company.id,
            &sale.customer,
        )
        .await?;
        let package: Option<(i64, i64, String)> = sqlx::query_as(
            "SELECT id, business_id, currency_code FROM moego_retail_packages \
             WHERE company_id = $1 AND name = $2 ORDER BY id LIMIT 1",
        )
        .bind(company.id)
        .bind(sale.package.trim())
        .fetch_optional(db.get().await?)
        .await?;
        let (package_id, business_id, currency_code) = package
            .ok_or_else(|| OperatorError::Invalid(format!("unknown package {:?}", sale.package)))?;
        let at = now + sale.day * MICROS_PER_DAY;
        let request = NewSaleRequest {
            business_id: business_id.to_string(),
            customer_id: customer.to_string(),
            title: String::new(),
            currency_code,
            lines: vec![NewSaleLine {
                name: String::new(),
                unit_price: None,
                quantity: 1,
                service_id: None,
                product_id: None,
                package_id: Some(package_id.to_string()),
            }],
        };
        let order = create_sale(state, db, &company.id.to_string(), &request, at).await?;
        if let Some(method) = &sale.payment {
            let row = orders::find(db.get().await?, resolve_id(state, IdKind::Order, &order)?)
                .await?
                .ok_or_else(|| OperatorError::Internal("a sale just opened vanished".into()))?;
            let payment = NewPaymentRequest {
                amount: row.total_amount.clone(),
                method: method.clone(),
                processing_fee: None,
            };
            record_payment(state, db, &order, &payment, at).await?;
        }
    }
    Ok(())
}
