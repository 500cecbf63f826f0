//! Payments (PaymentService): what customers paid on orders, with their refunds. Recorded by
//! the order ledger (operator API); the public API only reads them.

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
use crate::order::input::{check_orders, decode_ids};
use crate::wire::PathId;
use store::PaymentRow;
use wire::{ListPaymentsRequest, ListPaymentsResponse, Payment};

pub const READ_SCOPE: &str = "payments:read";

/// Payments with their refunds, in wire form.
async fn with_refunds(
    state: &AppState,
    conn: &mut AnyConnection,
    rows: &[PaymentRow],
) -> Result<Vec<Payment>, Status> {
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let refunds = store::refunds_of(conn, &ids).await?;
    rows.iter()
        .map(|row| {
            row.to_wire(
                &state.ids,
                refunds.get(&row.id).map(Vec::as_slice).unwrap_or_default(),
            )
        })
        .collect()
}

/// Retrieves one payment with its refunds.
#[utoipa::path(get, path = "/v1/payment/{id}", operation_id = "PaymentService_GetPayment",
    params(("id" = String, Path, description = "Payment ID (pay_...)")),
    responses((status = 200, body = Payment), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn get_payment(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
) -> Result<Json<Payment>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let raw = state
        .ids
        .decode(IdKind::Payment, id.trim())
        .map_err(|_| Status::invalid_obfuscate())?;
    let conn = db.get().await?;
    let row = store::find(&mut *conn, raw)
        .await?
        .ok_or_else(|| Status::not_found("payment not found"))?;
    access::check(conn, &principal, &row).await?;
    let mut payments = with_refunds(&state, conn, std::slice::from_ref(&row)).await?;
    payments
        .pop()
        .map(Json)
        .ok_or_else(|| Status::internal("a payment vanished while being read"))
}

/// Lists a company's payments by ID, optionally those of some orders.
#[utoipa::path(post, path = "/v1/payments:list", operation_id = "PaymentService_ListPayments",
    request_body = ListPaymentsRequest,
    responses((status = 200, body = ListPaymentsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_payments(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListPaymentsRequest>,
) -> Result<Json<ListPaymentsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let conn = db.get().await?;
    let owner =
        access::company(conn, &state.ids, &principal, request.company_id.as_deref()).await?;
    let filter = request.filter.unwrap_or_default();
    let order_ids = decode_ids(&state, IdKind::Order, "filter.orderIds", &filter.order_ids)?;
    check_orders(conn, &principal, owner, &order_ids).await?;
    let query = store::ListQuery {
        company_id: owner.company_id,
        order_ids,
        business_subset: access::business_subset(&principal),
    };
    let mut rows = store::list(conn, &query, page).await?;
    let next_page_token = page.finish(&mut rows);
    Ok(Json(ListPaymentsResponse {
        next_page_token,
        payments: with_refunds(&state, conn, &rows).await?,
    }))
}
