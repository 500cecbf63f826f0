//! Validation of OrderService requests into store queries: IDs decoded, statuses checked,
//! businesses and orders checked against the key.

use moapi_core::auth::{CompanyOwner, MoegoPrincipal};
use moapi_core::{AppState, IdKind, Status};
use sqlx::AnyConnection;

use super::store::{self, ChildScope};
use crate::access;
use crate::wire::check_max_items;

/// v1OrderStatus names a filter may name.
const ORDER_STATUSES: [&str; 4] = ["CREATED", "PROCESSING", "COMPLETED", "REMOVED"];

/// Most rows a child list answers: the vendor's lists have no pages, so one over a whole
/// company is capped (docs/compatibility.md).
pub const MAX_CHILD_ROWS: u64 = 10_000;

pub fn decode_ids(
    state: &AppState,
    kind: IdKind,
    field: &str,
    ids: &[String],
) -> Result<Vec<i64>, Status> {
    check_max_items(field, ids.len())?;
    ids.iter()
        .map(|id| {
            state
                .ids
                .decode(kind, id.trim())
                .map_err(|_| Status::invalid_obfuscate())
        })
        .collect()
}

pub fn statuses(field: &str, names: &[String]) -> Result<Vec<String>, Status> {
    check_max_items(field, names.len())?;
    names
        .iter()
        .map(|name| {
            ORDER_STATUSES
                .contains(&name.as_str())
                .then(|| name.clone())
                .ok_or_else(|| {
                    Status::invalid_argument(format!(
                        "{field}: {name:?} is not one of {}",
                        ORDER_STATUSES.join(", ")
                    ))
                })
        })
        .collect()
}

/// Checks that every order a filter names belongs to the company and a business the key
/// reaches (code 7 otherwise); unknown orders simply match nothing.
pub async fn check_orders(
    conn: &mut AnyConnection,
    principal: &MoegoPrincipal,
    owner: CompanyOwner,
    ids: &[i64],
) -> Result<(), Status> {
    if ids.is_empty() {
        return Ok(());
    }
    for (_, company_id, business_id) in store::owners(conn, ids).await? {
        if company_id != owner.company_id {
            return Err(Status::no_permission());
        }
        access::require(principal, owner, Some(business_id))?;
    }
    Ok(())
}

/// The orders a child list (items, discounts, packages) reads for `companyId` and
/// `filter.orderIds`.
pub async fn child_scope(
    state: &AppState,
    principal: &MoegoPrincipal,
    conn: &mut AnyConnection,
    company_id: Option<&str>,
    order_ids: &[String],
) -> Result<ChildScope, Status> {
    let owner = access::company(conn, &state.ids, principal, company_id).await?;
    let order_ids = decode_ids(state, IdKind::Order, "filter.orderIds", order_ids)?;
    check_orders(conn, principal, owner, &order_ids).await?;
    Ok(ChildScope {
        company_id: owner.company_id,
        order_ids,
        business_subset: access::business_subset(principal),
        limit: MAX_CHILD_ROWS,
    })
}
