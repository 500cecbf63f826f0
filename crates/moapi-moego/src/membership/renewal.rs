//! Renewals: every period of a subscription that has begun bills one order for its customer,
//! stamped at the period's start, in one transaction with the period's bill row. The bill's
//! UNIQUE (subscription, period start) key is the claim: a second sweep, on this node or
//! another, inserts nothing for a period already billed and so opens no second order.
//! Subscribing bills the periods already begun at once; the server's sweep
//! ([`run`]) and the operator's "run renewals now" bill the rest, catching up every period
//! that began since.

use std::convert::Infallible;
use std::time::Duration;

use moapi_core::db::Conn;
use moapi_core::time::now_micros;
use moapi_core::{AppState, Status};
use rust_decimal::Decimal;
use sqlx::AnyConnection;

use super::store;
use crate::order::ledger::{self, NewOrder, SaleLine};

/// How often the server looks for periods that have begun.
const SWEEP_INTERVAL: Duration = Duration::from_secs(60);
/// Subscriptions read per statement of a sweep.
const SWEEP_BATCH: i64 = 100;

/// What a sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sweep {
    /// Orders opened for periods no one had billed.
    pub orders_opened: usize,
    /// Subscriptions whose bill failed (logged); they are tried again by the next sweep.
    pub failed: usize,
}

/// Bills, in the caller's transaction, the periods of a subscription that have begun by `now`
/// and were not billed yet; answers how many orders it opened. A period's order line is the
/// membership's fee (object type SERVICE_CHARGE: the vendor's order enum has no membership),
/// taxed at the membership's rate in the business's currency.
pub async fn bill_due_periods(
    conn: &mut AnyConnection,
    subscription_id: i64,
    now: i64,
) -> Result<usize, Status> {
    if !store::lock_subscription(conn, subscription_id).await? {
        return Ok(0);
    }
    let subscription = store::find_subscription(conn, subscription_id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let Some(from) = subscription.next_bill_at else {
        return Ok(0);
    };
    let membership = store::find_membership(conn, subscription.membership_id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let rate: Decimal = membership
        .tax_rate
        .parse()
        .map_err(|_| Status::internal("a membership's tax rate is damaged"))?;
    let tax = ledger::business_tax(conn, subscription.business_id)
        .await?
        .at_rate(rate, membership.tax_name.clone());
    let span = subscription.span()?;
    let order = NewOrder {
        company_id: subscription.company_id,
        business_id: subscription.business_id,
        customer_id: subscription.customer_id,
        appointment_id: None,
        title: membership.name.clone(),
        created_by: "",
        lines: Vec::new(),
    };
    let line = SaleLine {
        object_type: "SERVICE_CHARGE",
        object_id: None,
        pet_detail_id: None,
        name: format!("{} membership", membership.name),
        unit_price: subscription.price()?,
        quantity: 1,
    };
    let mut opened = 0;
    for period in span.due_periods(from, now) {
        let claimed = sqlx::query(
            "INSERT INTO moego_subscription_bills (subscription_id, period_start, created_at) \
             VALUES ($1, $2, $3) ON CONFLICT (subscription_id, period_start) DO NOTHING",
        )
        .bind(subscription.id)
        .bind(period)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        if claimed.rows_affected() == 0 {
            continue;
        }
        let sale = ledger::open_sale_taxed(conn, &order, &tax, std::slice::from_ref(&line), period)
            .await?;
        sqlx::query(
            "UPDATE moego_subscription_bills SET order_id = $3 \
             WHERE subscription_id = $1 AND period_start = $2",
        )
        .bind(subscription.id)
        .bind(period)
        .bind(sale.id)
        .execute(&mut *conn)
        .await?;
        opened += 1;
    }
    sqlx::query("UPDATE moego_subscriptions SET next_bill_at = $2 WHERE id = $1")
        .bind(subscription.id)
        .bind(span.next_bill_after(now))
        .execute(&mut *conn)
        .await?;
    Ok(opened)
}

/// Bills every subscription with a period begun by `now`, each in its own transaction.
pub async fn sweep(db: &mut Conn, now: i64) -> Result<Sweep, sqlx::Error> {
    let mut done = Sweep::default();
    let mut after = 0;
    loop {
        let due = store::due_subscriptions(db.get().await?, now, after, SWEEP_BATCH).await?;
        let Some(last) = due.last() else {
            return Ok(done);
        };
        after = *last;
        for id in due {
            let _gate = db.write_gate().await;
            let mut tx = db.begin().await?;
            match bill_due_periods(&mut tx, id, now).await {
                Ok(opened) => {
                    tx.commit().await?;
                    done.orders_opened += opened;
                }
                Err(status) => {
                    tracing::warn!(subscription = id, error = %status.message(), "renewal failed");
                    done.failed += 1;
                }
            }
        }
    }
}

/// Sweeps every [`SWEEP_INTERVAL`] until the server stops.
pub async fn run(state: AppState) -> Infallible {
    loop {
        let mut db = state.db.conn();
        if let Err(err) = sweep(&mut db, now_micros()).await {
            tracing::warn!(error = %err, "renewal sweep failed");
        }
        drop(db);
        tokio::time::sleep(SWEEP_INTERVAL).await;
    }
}
