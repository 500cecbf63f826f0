//! Blocks (BlockService): time a staff member is not bookable at a business. A live block
//! holds staff time like an appointment does, so bookings that check conflicts refuse it.
//! Deleting is soft: a deleted block is NOT_FOUND to get and lists, and deleting it again is
//! INVALID_ARGUMENT, as the vendor documents. Blocks have no webhook events.

pub mod wire;

use axum::extract::State;
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::db::{build, query_as_with};
use moapi_core::pagination::Page;
use moapi_core::time::now_micros;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, IdCodec, IdKind, Status};
use sea_query::{Alias, Expr, Order, Query};
use sqlx::AnyConnection;
use std::collections::BTreeSet;

use crate::access;
use crate::appointment::booking::{decode, staff_of_business};
use crate::appointment::store::{hold_for_block, lock_staff};
use crate::wire::{interval, Interval, PathId};
use wire::{
    Block, CreateBlockRequest, DeleteBlockResponse, ListBlocksFilter, ListBlocksRequest,
    ListBlocksResponse,
};

pub const READ_SCOPE: &str = "blocks:read";
pub const WRITE_SCOPE: &str = "blocks:write";

/// Longest description and color code accepted.
const MAX_DESCRIPTION_CHARS: usize = 1_000;
const MAX_COLOR_CHARS: usize = 32;

#[derive(Debug, sqlx::FromRow)]
struct BlockRow {
    id: i64,
    company_id: i64,
    business_id: i64,
    staff_id: i64,
    start_at: i64,
    end_at: i64,
    description: String,
    color_code: String,
    deleted: i64,
}

impl crate::access::Owned for BlockRow {
    fn company_id(&self) -> i64 {
        self.company_id
    }

    fn business_id(&self) -> Option<i64> {
        Some(self.business_id)
    }
}

impl BlockRow {
    fn to_wire(&self, ids: &IdCodec) -> Block {
        Block {
            id: ids.encode(IdKind::Block, self.id),
            staff_id: ids.encode(IdKind::Staff, self.staff_id),
            duration: Interval::from_micros(Some(self.start_at), Some(self.end_at)),
            description: self.description.clone(),
            color_code: self.color_code.clone(),
            business_id: ids.encode(IdKind::Business, self.business_id),
        }
    }
}

const COLUMNS: [&str; 9] = [
    "id",
    "company_id",
    "business_id",
    "staff_id",
    "start_at",
    "end_at",
    "description",
    "color_code",
    "deleted",
];

async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<BlockRow>, sqlx::Error> {
    let mut select = Query::select();
    select
        .columns(COLUMNS.map(Alias::new))
        .from(Alias::new("moego_blocks"))
        .and_where(Expr::col(Alias::new("id")).eq(id));
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_optional(conn).await
}

/// The block an ID names, for a key that reaches its business (deleted ones included).
async fn block_of(
    state: &AppState,
    principal: &MoegoPrincipal,
    conn: &mut AnyConnection,
    id: &str,
) -> Result<BlockRow, Status> {
    let row = find(conn, decode(state, IdKind::Block, id)?)
        .await?
        .ok_or_else(|| Status::not_found("block not found"))?;
    access::check(conn, principal, &row).await?;
    Ok(row)
}

fn limited(field: &str, value: &str, max: usize) -> Result<String, Status> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(Status::invalid_argument(format!(
            "{field}: at most {max} characters"
        )));
    }
    Ok(value.to_string())
}

/// Blocks a staff member's time at a business.
#[utoipa::path(post, path = "/v1/blocks", operation_id = "BlockService_CreateBlock",
    request_body = CreateBlockRequest,
    responses((status = 200, body = Block), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn create_block(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<CreateBlockRequest>,
) -> Result<Json<Block>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let duration = request
        .duration
        .as_ref()
        .ok_or_else(|| Status::invalid_argument("duration: value is required"))?;
    let (start, end) = match interval("duration", duration)? {
        (Some(start), Some(end)) if start < end => (start, end),
        (Some(_), Some(_)) => {
            return Err(Status::invalid_argument(
                "duration: endTime must be after startTime",
            ))
        }
        _ => {
            return Err(Status::invalid_argument(
                "duration: startTime and endTime are required",
            ))
        }
    };
    let description = limited("description", &request.description, MAX_DESCRIPTION_CHARS)?;
    let color_code = limited("colorCode", &request.color_code, MAX_COLOR_CHARS)?;
    let conn = db.get().await?;
    let scope = access::business(
        conn,
        &state.ids,
        &principal,
        "businessId",
        &request.business_id,
    )
    .await?;
    if request.staff_id.trim().is_empty() {
        return Err(Status::invalid_argument("staffId: value is required"));
    }
    let staff_id = staff_of_business(&state, conn, scope, "staffId", &request.staff_id).await?;
    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    // The staff's booking lock, so that a concurrent booking checking conflicts sees it.
    lock_staff(&mut tx, &BTreeSet::from([staff_id])).await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_blocks (company_id, business_id, staff_id, start_at, end_at, \
         description, color_code, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         RETURNING id",
    )
    .bind(scope.company_id)
    .bind(scope.business_id)
    .bind(staff_id)
    .bind(start)
    .bind(end)
    .bind(&description)
    .bind(&color_code)
    .bind(now_micros())
    .fetch_one(&mut *tx)
    .await?;
    hold_for_block(&mut tx, staff_id, (start, end), id).await?;
    tx.commit().await?;
    Ok(Json(Block {
        id: state.ids.encode(IdKind::Block, id),
        staff_id: state.ids.encode(IdKind::Staff, staff_id),
        duration: Interval::from_micros(Some(start), Some(end)),
        description,
        color_code,
        business_id: state.ids.encode(IdKind::Business, scope.business_id),
    }))
}

/// Retrieves a live block.
#[utoipa::path(get, path = "/v1/blocks/{id}", operation_id = "BlockService_GetBlock",
    params(("id" = String, Path, description = "Block ID")),
    responses((status = 200, body = Block), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn get_block(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
) -> Result<Json<Block>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let row = block_of(&state, &principal, db.get().await?, &id).await?;
    if row.deleted != 0 {
        return Err(Status::not_found("block not found"));
    }
    Ok(Json(row.to_wire(&state.ids)))
}

/// Deletes a block, freeing the staff time; a block deleted already is INVALID_ARGUMENT.
#[utoipa::path(delete, path = "/v1/blocks/{id}", operation_id = "BlockService_DeleteBlock",
    params(("id" = String, Path, description = "Block ID")),
    responses((status = 200, body = DeleteBlockResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn delete_block(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
) -> Result<Json<DeleteBlockResponse>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let row = block_of(&state, &principal, db.get().await?, &id).await?;
    let already = || Status::invalid_argument("the block has already been deleted");
    if row.deleted != 0 {
        return Err(already());
    }
    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    let deleted = sqlx::query("UPDATE moego_blocks SET deleted = 1 WHERE id = $1 AND deleted = 0")
        .bind(row.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if deleted != 1 {
        return Err(already());
    }
    sqlx::query("DELETE FROM moego_staff_slots WHERE block_id = $1")
        .bind(row.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(DeleteBlockResponse {}))
}

/// Lists live blocks of some businesses by start time.
#[utoipa::path(post, path = "/v1/blocks:list", operation_id = "BlockService_ListBlocks",
    request_body = ListBlocksRequest,
    responses((status = 200, body = ListBlocksResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_blocks(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListBlocksRequest>,
) -> Result<Json<ListBlocksResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let conn = db.get().await?;
    let (_, business_ids) = access::listed_businesses(
        conn,
        &state.ids,
        &principal,
        request.company_id.as_deref(),
        &request.business_ids,
    )
    .await?;
    let filter = request.filter.unwrap_or_default();
    let ListBlocksFilter {
        start_time,
        end_time,
    } = &filter;
    let mut select = Query::select();
    select
        .columns(COLUMNS.map(Alias::new))
        .from(Alias::new("moego_blocks"))
        .and_where(Expr::col(Alias::new("business_id")).is_in(business_ids))
        .and_where(Expr::col(Alias::new("deleted")).eq(0))
        .order_by(Alias::new("start_at"), Order::Asc)
        .order_by(Alias::new("id"), Order::Asc)
        .limit(page.fetch_limit() as u64)
        .offset(page.offset() as u64);
    for (field, column, window) in [
        ("filter.startTime", "start_at", start_time),
        ("filter.endTime", "end_at", end_time),
    ] {
        let Some(window) = window else { continue };
        let (from, before) = interval(field, window)?;
        if let Some(from) = from {
            select.and_where(Expr::col(Alias::new(column)).gte(from));
        }
        if let Some(before) = before {
            select.and_where(Expr::col(Alias::new(column)).lt(before));
        }
    }
    let (sql, values) = build(&select);
    let mut rows: Vec<BlockRow> = query_as_with(&sql, values).fetch_all(conn).await?;
    let next_page_token = page.finish(&mut rows);
    Ok(Json(ListBlocksResponse {
        blocks: rows.iter().map(|row| row.to_wire(&state.ids)).collect(),
        next_page_token,
    }))
}

/// BlockService's routes.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/v1/blocks", post(create_block))
        .route("/v1/blocks:list", post(list_blocks))
        .route("/v1/blocks/{id}", get(get_block).delete(delete_block))
}
