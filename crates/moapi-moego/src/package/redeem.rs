//! Redeeming a customer's package against an order's service line: the package must be the
//! order's customer's at the order's business and not expired, and have the service left. Its
//! remaining quantity is taken first (one conditional statement, so concurrent redemptions
//! never exceed it), then the order ledger records the redemption and takes what it covers off
//! the order's total, all in the caller's transaction.

use moapi_core::{Code, IdCodec, IdKind, Status};
use sqlx::AnyConnection;

use super::store::{self, CustomerPackageRow, PackageServiceRow};
use crate::order::benefits::BookedOrder;
use crate::order::ledger::{self, NewRedeemPackage};
use crate::order::store as orders;

fn refused(message: String) -> Status {
    Status::new(Code::FailedPrecondition, message)
}

/// A redemption an operator asks for.
pub struct Redemption {
    pub order_id: i64,
    pub customer_package_id: i64,
    /// The package's item to take from; the first item covering the line's service with
    /// enough left when none is named.
    pub package_service_id: Option<i64>,
    pub order_line_item_id: i64,
    pub quantity: i64,
}

/// Redeems a package at `at`; answers the redemption's raw ID.
pub async fn redeem(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    redemption: &Redemption,
    at: i64,
) -> Result<i64, Status> {
    let order = orders::find(conn, redemption.order_id)
        .await?
        .ok_or_else(|| Status::not_found("order not found"))?;
    let package = store::find(conn, redemption.customer_package_id)
        .await?
        .ok_or_else(|| Status::not_found("packageId: package not found"))?;
    if package.customer_id != order.customer_id || package.business_id != order.business_id {
        return Err(refused(
            "packageId: the package is not the order's customer's at the order's business"
                .to_string(),
        ));
    }
    if package.is_expired(at) {
        return Err(refused(format!(
            "packageId: the package expired on {}",
            package.expiration_date
        )));
    }
    let line = ledger::service_line(conn, order.id, redemption.order_line_item_id).await?;
    let items = store::services_of(conn, &[package.id]).await?;
    let mut covering = Vec::new();
    for item in items {
        let named = redemption.package_service_id.is_none_or(|id| id == item.id);
        if named && item.covers(line.service_id)? {
            covering.push(item);
        }
    }
    if covering.is_empty() {
        return Err(refused(format!(
            "packageId: the package does not cover {}",
            line.name
        )));
    }
    let Some(item) = covering
        .iter()
        .find(|item| item.remaining_quantity >= redemption.quantity)
    else {
        return Err(nothing_left(&package, &line.name));
    };
    if !store::take(conn, item.id, redemption.quantity, at).await? {
        // Another redemption took it between the read and the write.
        return Err(nothing_left(&package, &line.name));
    }
    record(conn, ids, &package, item, redemption, at).await
}

fn nothing_left(package: &CustomerPackageRow, service: &str) -> Status {
    refused(format!(
        "packageId: not enough of {service} remains in {}",
        package.name
    ))
}

async fn record(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    package: &CustomerPackageRow,
    item: &PackageServiceRow,
    redemption: &Redemption,
    at: i64,
) -> Result<i64, Status> {
    ledger::record_redeem_package(
        conn,
        ids,
        &NewRedeemPackage {
            order_id: redemption.order_id,
            order_line_item_id: redemption.order_line_item_id,
            customer_package_id: package.id,
            customer_package_service_id: item.id,
            package_id: &ids.encode(IdKind::CustomerPackage, package.id),
            package_service_id: &ids.encode(IdKind::PackageService, item.id),
            package_name: &package.name,
            quantity: redemption.quantity,
        },
        at,
    )
    .await
}

/// Redeems, for each line of a just booked order, one of a package the customer holds at the
/// business that covers the line's service, was bought by `at` and is not expired then, and
/// has some left (the package expiring first, then the oldest). Answers whether anything was
/// redeemed. A customer without such a package costs one indexed statement.
pub async fn at_booking(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    order: &BookedOrder,
    at: i64,
) -> Result<bool, Status> {
    let mut held: Vec<PackageServiceRow> = sqlx::query_as(
        "SELECT s.id, s.customer_package_id, s.services, s.total_quantity, \
         s.remaining_quantity FROM moego_customer_packages p \
         JOIN moego_customer_package_services s ON s.customer_package_id = p.id \
         WHERE p.customer_id = $1 AND p.business_id = $2 \
         AND p.purchased_at <= $3 AND (p.expires_at IS NULL OR p.expires_at > $3) \
         AND s.remaining_quantity > 0 \
         ORDER BY CASE WHEN p.expires_at IS NULL THEN 1 ELSE 0 END, p.expires_at, p.id, s.id",
    )
    .bind(order.customer_id)
    .bind(order.business_id)
    .bind(at)
    .fetch_all(&mut *conn)
    .await?;
    if held.is_empty() {
        return Ok(false);
    }
    let mut redeemed = false;
    for line in &order.lines {
        let mut chosen = None;
        for (index, item) in held.iter().enumerate() {
            if item.remaining_quantity > 0 && item.covers(line.service_id)? {
                chosen = Some(index);
                break;
            }
        }
        let Some(index) = chosen else { continue };
        let item = &mut held[index];
        // Taken by a concurrent redemption since the read: the line stays billed.
        if !store::take(conn, item.id, 1, at).await? {
            item.remaining_quantity = 0;
            continue;
        }
        item.remaining_quantity -= 1;
        let package = store::find(conn, item.customer_package_id)
            .await?
            .ok_or_else(|| Status::internal("a held package vanished"))?;
        let redemption = Redemption {
            order_id: order.order_id,
            customer_package_id: package.id,
            package_service_id: Some(item.id),
            order_line_item_id: line.item_id,
            quantity: 1,
        };
        record(conn, ids, &package, item, &redemption, at).await?;
        redeemed = true;
    }
    Ok(redeemed)
}
