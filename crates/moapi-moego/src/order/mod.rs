//! Orders (OrderService): what a business bills a customer, with line items, taxes, discounts
//! and redeemed packages. Orders are opened by bookings and operator sales and settled by the
//! ledger (`ledger`); the public API only reads them.

pub mod benefits;
pub mod input;
pub mod ledger;
pub mod store;
pub mod wire;

use axum::extract::State;
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::pagination::Page;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, IdKind, Status};
use sqlx::AnyConnection;

use crate::access;
use crate::wire::PathId;
use store::OrderRow;
use wire::{
    ListOrderChildrenRequest, ListOrderDiscountsResponse, ListOrderLineItemsRequest,
    ListOrderLineItemsResponse, ListOrderRedeemPackagesResponse, ListOrdersRequest,
    ListOrdersResponse, Order, OrderIdsFilter,
};

pub const READ_SCOPE: &str = "orders:read";

/// An order by its public ID, checked against the key: NOT_FOUND, or code 7 for an order of
/// another company or of a business the key does not reach.
pub async fn authorized_order(
    state: &AppState,
    principal: &MoegoPrincipal,
    conn: &mut AnyConnection,
    id: &str,
) -> Result<OrderRow, Status> {
    let raw = state
        .ids
        .decode(IdKind::Order, id.trim())
        .map_err(|_| Status::invalid_obfuscate())?;
    let row = store::find(conn, raw)
        .await?
        .ok_or_else(|| Status::not_found("order not found"))?;
    access::check(conn, principal, &row).await?;
    Ok(row)
}

/// Retrieves one order with its amounts.
#[utoipa::path(get, path = "/v1/orders/{id}", operation_id = "OrderService_GetOrder",
    params(("id" = String, Path, description = "Order ID (ord_...)")),
    responses((status = 200, body = Order), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn get_order(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
) -> Result<Json<Order>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let row = authorized_order(&state, &principal, db.get().await?, &id).await?;
    Ok(Json(row.to_wire(&state.ids)?))
}

/// Lists a company's orders in some of its businesses by last update (then ID), optionally by
/// IDs (which override the other filters), statuses and a lastUpdatedTime window.
#[utoipa::path(post, path = "/v1/orders:list", operation_id = "OrderService_ListOrders",
    request_body = ListOrdersRequest,
    responses((status = 200, body = ListOrdersResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_orders(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListOrdersRequest>,
) -> Result<Json<ListOrdersResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let conn = db.get().await?;
    let (owner, business_ids) = access::listed_businesses(
        conn,
        &state.ids,
        &principal,
        request.company_id.as_deref(),
        &request.business_ids,
    )
    .await?;
    let filter = request.filter.unwrap_or_default();
    let (updated_from, updated_before) = match &filter.last_updated_time {
        Some(window) => crate::wire::interval("filter.lastUpdatedTime", window)?,
        None => (None, None),
    };
    let query = store::ListQuery {
        company_id: owner.company_id,
        business_ids,
        ids: input::decode_ids(&state, IdKind::Order, "filter.ids", &filter.ids)?,
        statuses: input::statuses("filter.statuses", &filter.statuses)?,
        updated_from,
        updated_before,
    };
    let mut rows = store::list(conn, &query, page).await?;
    let next_page_token = page.finish(&mut rows);
    Ok(Json(ListOrdersResponse {
        next_page_token,
        orders: rows
            .iter()
            .map(|row| row.to_wire(&state.ids))
            .collect::<Result<_, _>>()?,
    }))
}

/// The rows of `table` in the orders a child list's `companyId` and `filter.orderIds` name, in
/// wire form.
async fn child_list<R, W>(
    state: &AppState,
    principal: &MoegoPrincipal,
    conn: &mut AnyConnection,
    company_id: Option<&str>,
    filter: Option<OrderIdsFilter>,
    table: &store::ChildTable,
    to_wire: impl Fn(&R, &moapi_core::IdCodec) -> Result<W, Status>,
) -> Result<(store::ChildScope, Vec<W>), Status>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let filter = filter.unwrap_or_default();
    let scope = input::child_scope(state, principal, conn, company_id, &filter.order_ids).await?;
    let rows: Vec<R> = store::children(conn, table, &scope).await?;
    let wire = rows
        .iter()
        .map(|row| to_wire(row, &state.ids))
        .collect::<Result<_, _>>()?;
    Ok((scope, wire))
}

/// Lists the line items of a company's orders (all, or those of `filter.orderIds`), with
/// their taxes when `includeTax`.
#[utoipa::path(post, path = "/v1/orders/items:list", operation_id = "OrderService_ListOrderLineItems",
    request_body = ListOrderLineItemsRequest,
    responses((status = 200, body = ListOrderLineItemsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_order_line_items(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListOrderLineItemsRequest>,
) -> Result<Json<ListOrderLineItemsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let conn = db.get().await?;
    let (scope, order_line_items) = child_list(
        &state,
        &principal,
        conn,
        request.company_id.as_deref(),
        request.filter,
        &store::LINE_ITEMS,
        store::LineItemRow::to_wire,
    )
    .await?;
    let order_line_item_taxes = if request.include_tax {
        let taxes: Vec<store::LineTaxRow> =
            store::children(conn, &store::LINE_TAXES, &scope).await?;
        taxes
            .iter()
            .map(|row| row.to_wire(&state.ids))
            .collect::<Result<_, _>>()?
    } else {
        Vec::new()
    };
    Ok(Json(ListOrderLineItemsResponse {
        order_line_items,
        order_line_item_taxes,
    }))
}

/// Lists the discounts of a company's orders (all, or those of `filter.orderIds`).
#[utoipa::path(post, path = "/v1/orders/discounts:list", operation_id = "OrderService_ListOrderDiscounts",
    request_body = ListOrderChildrenRequest,
    responses((status = 200, body = ListOrderDiscountsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_order_discounts(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListOrderChildrenRequest>,
) -> Result<Json<ListOrderDiscountsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let conn = db.get().await?;
    let (_, order_discounts) = child_list(
        &state,
        &principal,
        conn,
        request.company_id.as_deref(),
        request.filter,
        &store::DISCOUNTS,
        store::DiscountRow::to_wire,
    )
    .await?;
    Ok(Json(ListOrderDiscountsResponse { order_discounts }))
}

/// Lists the packages redeemed on a company's orders (all, or those of `filter.orderIds`).
#[utoipa::path(post, path = "/v1/orders/redeemPackages:list", operation_id = "OrderService_ListOrderRedeemPackages",
    request_body = ListOrderChildrenRequest,
    responses((status = 200, body = ListOrderRedeemPackagesResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_order_redeem_packages(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListOrderChildrenRequest>,
) -> Result<Json<ListOrderRedeemPackagesResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let conn = db.get().await?;
    let (_, order_redeem_packages) = child_list(
        &state,
        &principal,
        conn,
        request.company_id.as_deref(),
        request.filter,
        &store::REDEEM_PACKAGES,
        store::RedeemPackageRow::to_wire,
    )
    .await?;
    Ok(Json(ListOrderRedeemPackagesResponse {
        order_redeem_packages,
    }))
}
