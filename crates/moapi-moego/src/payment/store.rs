//! Storage reads of payments and their refunds (the order ledger writes them).

use std::collections::HashMap;

use moapi_core::db::{build, query_as_with};
use moapi_core::pagination::Page;
use moapi_core::time::protojson_timestamp;
use moapi_core::{IdCodec, IdKind, Status};
use sea_query::{Alias, Expr, Order, Query, SelectStatement};
use sqlx::AnyConnection;

use super::wire::{Payment, Refund};
use crate::order::store::stored_money;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PaymentRow {
    pub id: i64,
    pub company_id: i64,
    pub business_id: i64,
    pub order_id: i64,
    pub customer_id: i64,
    pub method: String,
    pub status: String,
    pub module: String,
    pub currency_code: String,
    pub amount: String,
    pub processing_fee: String,
    pub refunded_amount: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RefundRow {
    pub id: i64,
    pub payment_id: i64,
    pub amount: String,
    pub reason: String,
    pub staff_id: Option<i64>,
    pub processed_at: i64,
}

impl crate::access::Owned for PaymentRow {
    fn company_id(&self) -> i64 {
        self.company_id
    }

    fn business_id(&self) -> Option<i64> {
        Some(self.business_id)
    }
}

impl PaymentRow {
    pub fn to_wire(&self, ids: &IdCodec, refunds: &[RefundRow]) -> Result<Payment, Status> {
        let money = |value: &str| stored_money(&self.currency_code, value);
        let customer_name = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Payment {
            id: ids.encode(IdKind::Payment, self.id),
            business_id: ids.encode(IdKind::Business, self.business_id),
            order_id: ids.encode(IdKind::Order, self.order_id),
            customer_id: ids.encode(IdKind::Customer, self.customer_id),
            customer_name,
            method: self.method.clone(),
            status: self.status.clone(),
            module: self.module.clone(),
            amount: money(&self.amount)?,
            processing_fee: money(&self.processing_fee)?,
            refund_amount: money(&self.refunded_amount)?,
            created_time: protojson_timestamp(self.created_at),
            last_updated_time: protojson_timestamp(self.updated_at),
            refunds: refunds
                .iter()
                .map(|refund| {
                    Ok(Refund {
                        id: ids.encode(IdKind::Refund, refund.id),
                        amount: money(&refund.amount)?,
                        reason: refund.reason.clone(),
                        processed_time: protojson_timestamp(refund.processed_at),
                        staff_id: refund
                            .staff_id
                            .map(|id| ids.encode(IdKind::Staff, id))
                            .unwrap_or_default(),
                        payment_id: ids.encode(IdKind::Payment, refund.payment_id),
                    })
                })
                .collect::<Result<_, Status>>()?,
        })
    }
}

fn select_payments() -> SelectStatement {
    let payment = Alias::new("p");
    let mut select = Query::select();
    select
        .columns(
            [
                "id",
                "company_id",
                "business_id",
                "order_id",
                "customer_id",
                "method",
                "status",
                "module",
                "currency_code",
                "amount",
                "processing_fee",
                "refunded_amount",
                "created_at",
                "updated_at",
            ]
            .map(|column| (payment.clone(), Alias::new(column))),
        )
        .columns(["first_name", "last_name"].map(|column| (Alias::new("c"), Alias::new(column))))
        .from_as(Alias::new("moego_payments"), payment.clone())
        .left_join(
            sea_query::TableRef::TableAlias(
                sea_query::SeaRc::new(Alias::new("moego_customers")),
                sea_query::SeaRc::new(Alias::new("c")),
            ),
            Expr::col((Alias::new("c"), Alias::new("id")))
                .equals((payment, Alias::new("customer_id"))),
        );
    select
}

fn payment_column(name: &str) -> Expr {
    Expr::col((Alias::new("p"), Alias::new(name)))
}

pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<PaymentRow>, sqlx::Error> {
    let mut select = select_payments();
    select.and_where(payment_column("id").eq(id));
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_optional(conn).await
}

/// What `payments:list` selects, already validated and authorized.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub company_id: i64,
    pub order_ids: Vec<i64>,
    pub business_subset: Option<Vec<i64>>,
}

/// A company's payments by ID, one row beyond the page.
pub async fn list(
    conn: &mut AnyConnection,
    query: &ListQuery,
    page: Page,
) -> Result<Vec<PaymentRow>, sqlx::Error> {
    let mut select = select_payments();
    select
        .and_where(payment_column("company_id").eq(query.company_id))
        .order_by((Alias::new("p"), Alias::new("id")), Order::Asc)
        .limit(page.fetch_limit() as u64)
        .offset(page.offset() as u64);
    if !query.order_ids.is_empty() {
        select.and_where(payment_column("order_id").is_in(query.order_ids.iter().copied()));
    }
    if let Some(subset) = &query.business_subset {
        select.and_where(payment_column("business_id").is_in(subset.iter().copied()));
    }
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_all(conn).await
}

/// The refunds of some payments, by payment, oldest first.
pub async fn refunds_of(
    conn: &mut AnyConnection,
    payment_ids: &[i64],
) -> Result<HashMap<i64, Vec<RefundRow>>, sqlx::Error> {
    let mut by_payment: HashMap<i64, Vec<RefundRow>> = HashMap::new();
    if payment_ids.is_empty() {
        return Ok(by_payment);
    }
    let mut select = Query::select();
    select
        .columns(
            [
                "id",
                "payment_id",
                "amount",
                "reason",
                "staff_id",
                "processed_at",
            ]
            .map(Alias::new),
        )
        .from(Alias::new("moego_refunds"))
        .and_where(Expr::col(Alias::new("payment_id")).is_in(payment_ids.iter().copied()))
        .order_by(Alias::new("id"), Order::Asc);
    let (sql, values) = build(&select);
    let rows: Vec<RefundRow> = query_as_with(&sql, values).fetch_all(conn).await?;
    for row in rows {
        by_payment.entry(row.payment_id).or_default().push(row);
    }
    Ok(by_payment)
}
