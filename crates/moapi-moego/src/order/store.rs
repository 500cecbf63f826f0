//! Storage of orders and what hangs off them (line items, line taxes, discounts, redeemed
//! packages). Money columns are decimal text in the order's currency; the ledger writes them.

use moapi_core::db::{self, build, query_as_with};
use moapi_core::pagination::Page;
use moapi_core::time::protojson_timestamp;
use moapi_core::{IdCodec, IdKind, Status};
use sea_query::{Alias, Expr, Order as SortOrder, Query, SelectStatement};
use sqlx::AnyConnection;

use super::wire::{Order, OrderDiscount, OrderLineItem, OrderLineTax, OrderRedeemPackage};
use crate::money::{Amount, DecimalValue, Money};

/// A stored amount as the wire carries it; the ledger only ever stores what `Amount::stored`
/// wrote, so text that does not parse is a damaged row.
pub fn stored_money(currency: &str, value: &str) -> Result<Money, Status> {
    stored_amount(currency, value).map(|amount| amount.to_wire())
}

pub fn stored_amount(currency: &str, value: &str) -> Result<Amount, Status> {
    Amount::from_stored(currency, value)
        .ok_or_else(|| Status::internal(format!("stored amount {value:?} {currency:?} is damaged")))
}

fn encode_optional(ids: &IdCodec, kind: IdKind, id: Option<i64>) -> String {
    id.map(|id| ids.encode(kind, id)).unwrap_or_default()
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct OrderRow {
    pub id: i64,
    pub company_id: i64,
    pub business_id: i64,
    pub customer_id: i64,
    pub appointment_id: Option<i64>,
    pub status: String,
    pub title: String,
    pub description: String,
    pub currency_code: String,
    pub sub_total: String,
    pub tax_amount: String,
    pub discount_amount: String,
    pub extra_fee_amount: String,
    pub tips_amount: String,
    pub tips_based_amount: String,
    pub total_amount: String,
    pub paid_amount: String,
    pub refunded_amount: String,
    pub created_by: String,
    pub updated_by: String,
    pub sales_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const ORDER_COLUMNS: [&str; 23] = [
    "id",
    "company_id",
    "business_id",
    "customer_id",
    "appointment_id",
    "status",
    "title",
    "description",
    "currency_code",
    "sub_total",
    "tax_amount",
    "discount_amount",
    "extra_fee_amount",
    "tips_amount",
    "tips_based_amount",
    "total_amount",
    "paid_amount",
    "refunded_amount",
    "created_by",
    "updated_by",
    "sales_at",
    "created_at",
    "updated_at",
];

impl crate::access::Owned for OrderRow {
    fn company_id(&self) -> i64 {
        self.company_id
    }

    fn business_id(&self) -> Option<i64> {
        Some(self.business_id)
    }
}

impl OrderRow {
    pub fn amount(&self, value: &str) -> Result<Amount, Status> {
        stored_amount(&self.currency_code, value)
    }

    pub fn to_wire(&self, ids: &IdCodec) -> Result<Order, Status> {
        let money = |value: &str| stored_money(&self.currency_code, value);
        let total = self.amount(&self.total_amount)?;
        let paid = self.amount(&self.paid_amount)?;
        let refunded = self.amount(&self.refunded_amount)?;
        Ok(Order {
            id: ids.encode(IdKind::Order, self.id),
            business_id: ids.encode(IdKind::Business, self.business_id),
            customer_id: ids.encode(IdKind::Customer, self.customer_id),
            status: self.status.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            tips_amount: money(&self.tips_amount)?,
            tax_amount: money(&self.tax_amount)?,
            discount_amount: money(&self.discount_amount)?,
            extra_fee_amount: money(&self.extra_fee_amount)?,
            sub_total_amount: money(&self.sub_total)?,
            tips_based_amount: money(&self.tips_based_amount)?,
            total_amount: total.to_wire(),
            paid_amount: super::ledger::net_paid(paid, refunded).to_wire(),
            remain_amount: super::ledger::remain(total, paid, refunded).to_wire(),
            refunded_amount: refunded.to_wire(),
            created_by: self.created_by.clone(),
            created_time: protojson_timestamp(self.created_at),
            last_updated_by: self.updated_by.clone(),
            last_updated_time: protojson_timestamp(self.updated_at),
            sales_datetime: self.sales_at.map(protojson_timestamp),
        })
    }
}

fn select_orders() -> SelectStatement {
    let mut select = Query::select();
    select
        .columns(ORDER_COLUMNS.map(Alias::new))
        .from(Alias::new("moego_orders"));
    select
}

pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<OrderRow>, sqlx::Error> {
    let mut select = select_orders();
    select.and_where(Expr::col(Alias::new("id")).eq(id));
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_optional(conn).await
}

/// What `orders:list` selects, already validated and authorized.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub company_id: i64,
    /// Never empty: the vendor requires businesses, and the index leads with them.
    pub business_ids: Vec<i64>,
    /// When given, the other filters are ignored (the vendor's rule).
    pub ids: Vec<i64>,
    pub statuses: Vec<String>,
    /// Microseconds, start inclusive, end exclusive.
    pub updated_from: Option<i64>,
    pub updated_before: Option<i64>,
}

/// Orders by last update then ID (the order of `moego_orders_by_updated`), one row beyond
/// the page, so a lastUpdatedTime window of one business reads one index range.
pub async fn list(
    conn: &mut AnyConnection,
    query: &ListQuery,
    page: Page,
) -> Result<Vec<OrderRow>, sqlx::Error> {
    let mut select = select_orders();
    select
        .and_where(Expr::col(Alias::new("company_id")).eq(query.company_id))
        .and_where(Expr::col(Alias::new("business_id")).is_in(query.business_ids.iter().copied()))
        .order_by(Alias::new("updated_at"), SortOrder::Asc)
        .order_by(Alias::new("id"), SortOrder::Asc)
        .limit(page.fetch_limit() as u64)
        .offset(page.offset() as u64);
    if !query.ids.is_empty() {
        select.and_where(Expr::col(Alias::new("id")).is_in(query.ids.iter().copied()));
    } else {
        if !query.statuses.is_empty() {
            select.and_where(
                Expr::col(Alias::new("status")).is_in(query.statuses.iter().map(String::as_str)),
            );
        }
        if let Some(from) = query.updated_from {
            select.and_where(Expr::col(Alias::new("updated_at")).gte(from));
        }
        if let Some(before) = query.updated_before {
            select.and_where(Expr::col(Alias::new("updated_at")).lt(before));
        }
    }
    let order = [("updated_at", SortOrder::Asc), ("id", SortOrder::Asc)];
    db::fetch_all_json(conn, &select, &order).await
}

/// The orders of `ids` with their company and business, to authorize a filter.
pub async fn owners(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    let mut select = Query::select();
    select
        .columns(["id", "company_id", "business_id"].map(Alias::new))
        .from(Alias::new("moego_orders"))
        .and_where(Expr::col(Alias::new("id")).is_in(ids.iter().copied()));
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_all(conn).await
}

/// Which orders a child list (items, taxes, discounts, packages) reads: a company's, limited
/// to some orders and to the businesses a restricted key reaches.
#[derive(Debug, Clone, Default)]
pub struct ChildScope {
    pub company_id: i64,
    pub order_ids: Vec<i64>,
    pub business_subset: Option<Vec<i64>>,
    /// Most rows answered (these lists have no pages).
    pub limit: u64,
}

/// Restricts `select` (over a child table aliased `t` with an `order_id`) to the scope.
fn scoped(select: &mut SelectStatement, scope: &ChildScope) {
    let mut orders = Query::select();
    orders
        .column(Alias::new("id"))
        .from(Alias::new("moego_orders"))
        .and_where(Expr::col(Alias::new("company_id")).eq(scope.company_id));
    if let Some(subset) = &scope.business_subset {
        orders.and_where(Expr::col(Alias::new("business_id")).is_in(subset.iter().copied()));
    }
    if !scope.order_ids.is_empty() {
        orders.and_where(Expr::col(Alias::new("id")).is_in(scope.order_ids.iter().copied()));
    }
    select
        .and_where(Expr::col((Alias::new("t"), Alias::new("order_id"))).in_subquery(orders))
        .order_by((Alias::new("t"), Alias::new("id")), SortOrder::Asc)
        .limit(scope.limit);
}

/// A table of rows that belong to orders, and the columns its row type reads.
pub struct ChildTable {
    pub name: &'static str,
    /// The ID first.
    pub columns: &'static [&'static str],
}

/// The rows of `table` in the scope's orders, by ID, with their order's currency.
pub async fn children<T>(
    conn: &mut AnyConnection,
    table: &ChildTable,
    scope: &ChildScope,
) -> Result<Vec<T>, sqlx::Error>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let mut select = child_select(table);
    scoped(&mut select, scope);
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_all(conn).await
}

fn child_select(table: &ChildTable) -> SelectStatement {
    let mut select = Query::select();
    select
        .columns(
            table
                .columns
                .iter()
                .map(|column| (Alias::new("t"), Alias::new(*column))),
        )
        .expr_as(
            Expr::col((Alias::new("o"), Alias::new("currency_code"))),
            Alias::new("currency_code"),
        )
        .from_as(Alias::new(table.name), Alias::new("t"))
        .inner_join(
            sea_query::TableRef::TableAlias(
                sea_query::SeaRc::new(Alias::new("moego_orders")),
                sea_query::SeaRc::new(Alias::new("o")),
            ),
            Expr::col((Alias::new("o"), Alias::new("id")))
                .equals((Alias::new("t"), Alias::new("order_id"))),
        );
    select
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LineItemRow {
    pub id: i64,
    pub order_id: i64,
    pub object_type: String,
    pub object_id: Option<i64>,
    pub name: String,
    pub description: String,
    pub unit_price: String,
    pub quantity: i64,
    pub paid_amount: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub currency_code: String,
}

impl LineItemRow {
    pub fn to_wire(&self, ids: &IdCodec) -> Result<OrderLineItem, Status> {
        // Objects of moapi's catalogs carry their public IDs; others keep their raw number.
        let object_id = match (self.object_type.as_str(), self.object_id) {
            ("SERVICE", Some(id)) => ids.encode(IdKind::Service, id),
            ("PRODUCT", Some(id)) => ids.encode(IdKind::Product, id),
            ("PACKAGE", Some(id)) => ids.encode(IdKind::RetailPackage, id),
            (_, id) => id.map(|id| id.to_string()).unwrap_or_default(),
        };
        Ok(OrderLineItem {
            id: ids.encode(IdKind::OrderLineItem, self.id),
            order_id: ids.encode(IdKind::Order, self.order_id),
            object_id,
            object_type: self.object_type.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            unit_price: stored_money(&self.currency_code, &self.unit_price)?,
            quantity: i32::try_from(self.quantity).unwrap_or(i32::MAX),
            created_time: protojson_timestamp(self.created_at),
            last_updated_time: protojson_timestamp(self.updated_at),
            paid_amount: stored_money(&self.currency_code, &self.paid_amount)?,
        })
    }
}

pub const LINE_ITEMS: ChildTable = ChildTable {
    name: "moego_order_line_items",
    columns: &[
        "id",
        "order_id",
        "object_type",
        "object_id",
        "name",
        "description",
        "unit_price",
        "quantity",
        "paid_amount",
        "created_at",
        "updated_at",
    ],
};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LineTaxRow {
    pub id: i64,
    pub order_id: i64,
    pub order_item_id: Option<i64>,
    pub business_id: i64,
    pub apply_type: String,
    pub tax_name: String,
    /// Percent, as the business setting has it.
    pub tax_rate: String,
    pub tax_amount: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub currency_code: String,
}

impl LineTaxRow {
    pub fn to_wire(&self, ids: &IdCodec) -> Result<OrderLineTax, Status> {
        Ok(OrderLineTax {
            id: ids.encode(IdKind::OrderLineTax, self.id),
            business_id: ids.encode(IdKind::Business, self.business_id),
            order_id: ids.encode(IdKind::Order, self.order_id),
            order_item_id: encode_optional(ids, IdKind::OrderLineItem, self.order_item_id),
            apply_type: self.apply_type.clone(),
            tax_rate: super::ledger::percent_as_fraction(&self.tax_rate)?,
            tax_amount: stored_money(&self.currency_code, &self.tax_amount)?,
            create_time: protojson_timestamp(self.created_at),
            update_time: protojson_timestamp(self.updated_at),
            tax_name: self.tax_name.clone(),
        })
    }
}

pub const LINE_TAXES: ChildTable = ChildTable {
    name: "moego_order_line_taxes",
    columns: &[
        "id",
        "order_id",
        "order_item_id",
        "business_id",
        "apply_type",
        "tax_name",
        "tax_rate",
        "tax_amount",
        "created_at",
        "updated_at",
    ],
};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DiscountRow {
    pub id: i64,
    pub order_id: i64,
    pub business_id: i64,
    pub order_item_id: Option<i64>,
    pub apply_type: String,
    pub discount_type: String,
    pub discount_amount: String,
    pub discount_rate: String,
    pub apply_by: String,
    pub apply_sequence: i64,
    pub discount_code_id: String,
    pub is_deleted: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub currency_code: String,
}

impl DiscountRow {
    pub fn to_wire(&self, ids: &IdCodec) -> Result<OrderDiscount, Status> {
        let rate = self
            .discount_rate
            .parse::<rust_decimal::Decimal>()
            .map_err(Status::internal)?;
        Ok(OrderDiscount {
            id: ids.encode(IdKind::OrderDiscount, self.id),
            business_id: ids.encode(IdKind::Business, self.business_id),
            order_id: ids.encode(IdKind::Order, self.order_id),
            order_item_id: encode_optional(ids, IdKind::OrderLineItem, self.order_item_id),
            apply_type: self.apply_type.clone(),
            is_deleted: self.is_deleted != 0,
            discount_type: self.discount_type.clone(),
            discount_amount: stored_money(&self.currency_code, &self.discount_amount)?,
            discount_rate: (!rate.is_zero()).then(|| DecimalValue::of(rate)),
            apply_by: self.apply_by.clone(),
            apply_sequence: i32::try_from(self.apply_sequence).unwrap_or(i32::MAX),
            create_time: protojson_timestamp(self.created_at),
            update_time: protojson_timestamp(self.updated_at),
            discount_code_id: self.discount_code_id.clone(),
        })
    }
}

pub const DISCOUNTS: ChildTable = ChildTable {
    name: "moego_order_discounts",
    columns: &[
        "id",
        "order_id",
        "business_id",
        "order_item_id",
        "apply_type",
        "discount_type",
        "discount_amount",
        "discount_rate",
        "apply_by",
        "apply_sequence",
        "discount_code_id",
        "is_deleted",
        "created_at",
        "updated_at",
    ],
};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RedeemPackageRow {
    pub id: i64,
    pub order_id: i64,
    pub order_line_item_id: Option<i64>,
    pub package_id: String,
    pub package_service_id: String,
    pub package_name: String,
    pub service_id: Option<i64>,
    pub service_name: String,
    pub service_price: String,
    pub quantity: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub currency_code: String,
}

impl RedeemPackageRow {
    pub fn to_wire(&self, ids: &IdCodec) -> Result<OrderRedeemPackage, Status> {
        Ok(OrderRedeemPackage {
            id: ids.encode(IdKind::OrderRedeemPackage, self.id),
            order_id: ids.encode(IdKind::Order, self.order_id),
            order_line_item_id: encode_optional(
                ids,
                IdKind::OrderLineItem,
                self.order_line_item_id,
            ),
            package_id: self.package_id.clone(),
            service_id: encode_optional(ids, IdKind::Service, self.service_id),
            service_price: stored_money(&self.currency_code, &self.service_price)?,
            package_service_id: self.package_service_id.clone(),
            package_name: self.package_name.clone(),
            service_name: self.service_name.clone(),
            quantity: i32::try_from(self.quantity).unwrap_or(i32::MAX),
            created_time: protojson_timestamp(self.created_at),
            last_updated_time: protojson_timestamp(self.updated_at),
        })
    }
}

pub const REDEEM_PACKAGES: ChildTable = ChildTable {
    name: "moego_order_redeem_packages",
    columns: &[
        "id",
        "order_id",
        "order_line_item_id",
        "package_id",
        "package_service_id",
        "package_name",
        "service_id",
        "service_name",
        "service_price",
        "quantity",
        "created_at",
        "updated_at",
    ],
};
