//! Memberships (MembershipService): the plans a company sells and its customers'
//! subscriptions to them. Both lists are company-wide. A subscription's status, current period
//! and next billing date are derived at the time of reading (`period`); renewals bill orders
//! (`renewal`) and membership discounts go on new appointments' orders (`benefits`).
//! Operators create memberships and subscriptions; the public API only reads them.

pub mod benefits;
pub mod input;
pub mod period;
pub mod renewal;
pub mod store;
pub mod wire;

use axum::extract::State;
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::pagination::Page;
use moapi_core::time::now_micros;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, IdKind, Status};

use crate::access;
use wire::{
    ListMembershipsRequest, ListMembershipsResponse, ListSubscriptionsRequest,
    ListSubscriptionsResponse,
};

pub const READ_SCOPE: &str = "memberships:read";

/// Lists a company's memberships by ID, optionally by a case-insensitive part of their name
/// and by status.
#[utoipa::path(post, path = "/v1/memberships:list", operation_id = "MembershipService_ListMemberships",
    request_body = ListMembershipsRequest,
    responses((status = 200, body = ListMembershipsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_memberships(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListMembershipsRequest>,
) -> Result<Json<ListMembershipsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let filter = request.filter.unwrap_or_default();
    let name_like = input::name_like(&filter.name_like)?;
    let statuses = input::statuses(
        "filter.statusIn",
        &filter.status_in,
        &input::MEMBERSHIP_STATUSES,
    )?;
    let conn = db.get().await?;
    let owner =
        access::company(conn, &state.ids, &principal, request.company_id.as_deref()).await?;
    let query = store::MembershipQuery {
        company_id: owner.company_id,
        name_like,
        statuses,
    };
    let mut rows = store::list_memberships(conn, &query, page).await?;
    let next_page_token = page.finish(&mut rows);
    Ok(Json(ListMembershipsResponse {
        memberships: rows
            .iter()
            .map(|row| row.to_wire(&state.ids))
            .collect::<Result<_, _>>()?,
        next_page_token,
    }))
}

/// Lists a company's subscriptions by ID, optionally by customers, memberships and status
/// (as it stands now).
#[utoipa::path(post, path = "/v1/memberships/subscriptions:list", operation_id = "MembershipService_ListSubscriptions",
    request_body = ListSubscriptionsRequest,
    responses((status = 200, body = ListSubscriptionsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_subscriptions(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListSubscriptionsRequest>,
) -> Result<Json<ListSubscriptionsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let filter = request.filter.unwrap_or_default();
    let now = now_micros();
    let query_filters = (
        input::decode_ids(
            &state.ids,
            IdKind::Customer,
            "filter.customerIdIn",
            &filter.customer_id_in,
        )?,
        input::decode_ids(
            &state.ids,
            IdKind::Membership,
            "filter.membershipIdIn",
            &filter.membership_id_in,
        )?,
        input::statuses(
            "filter.statusIn",
            &filter.status_in,
            &input::SUBSCRIPTION_STATUSES,
        )?,
    );
    let conn = db.get().await?;
    let owner =
        access::company(conn, &state.ids, &principal, request.company_id.as_deref()).await?;
    let (customer_ids, membership_ids, statuses) = query_filters;
    let query = store::SubscriptionQuery {
        company_id: owner.company_id,
        customer_ids,
        membership_ids,
        statuses,
        now,
    };
    let mut rows = store::list_subscriptions(conn, &query, page).await?;
    let next_page_token = page.finish(&mut rows);
    Ok(Json(ListSubscriptionsResponse {
        subscriptions: rows
            .iter()
            .map(|row| row.to_wire(&state.ids, now))
            .collect::<Result<_, _>>()?,
        next_page_token,
    }))
}
