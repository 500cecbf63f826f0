//! Discount codes (DiscountService): promotional codes of a company, addressed by their code.
//! A code is stored ACTIVE, INACTIVE or ARCHIVED and reads EXPIRED once past its expiry time
//! or valid period. Operators apply codes to orders and codes that apply themselves reach new
//! appointments' orders (`redeem`); each redemption is counted on the code under its limit in
//! the redeeming transaction.

pub mod input;
pub mod redeem;
pub mod store;
pub mod wire;

use axum::extract::{Query, State};
use axum::Json;
use moapi_core::auth::{CompanyOwner, MoegoPrincipal};
use moapi_core::db::Conn;
use moapi_core::pagination::Page;
use moapi_core::time::now_micros;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, Code, Status};
use sqlx::AnyConnection;

use crate::access;
use crate::wire::PathId;
use store::{CodeRow, CodeValues};
use wire::{
    CreateDiscountRequest, Discount, GetDiscountQuery, ListDiscountsRequest, ListDiscountsResponse,
};

pub const READ_SCOPE: &str = "discounts:read";
pub const WRITE_SCOPE: &str = "discounts:write";

fn code_taken(code: &str) -> Status {
    Status::new(
        Code::AlreadyExists,
        format!("discount.code: the company already has the code {code}"),
    )
}

/// Creates a checked code in its own transaction at `now`, as `CreateDiscount` and operators
/// do: ALREADY_EXISTS when the company has the code.
pub async fn create(
    db: &mut Conn,
    owner: CompanyOwner,
    values: &CodeValues,
    now: i64,
) -> Result<CodeRow, Status> {
    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    let row = store::insert(&mut tx, owner.company_id, values, now)
        .await?
        .ok_or_else(|| code_taken(&values.code))?;
    tx.commit().await?;
    Ok(row)
}

/// A company's live code by its text: NOT_FOUND when it has none.
pub async fn code_of(
    conn: &mut AnyConnection,
    company_id: i64,
    code: &str,
) -> Result<CodeRow, Status> {
    store::find_by_code(conn, company_id, code)
        .await?
        .ok_or_else(|| Status::not_found(format!("discount code {code} not found")))
}

/// Creates a discount code of the company; `limitation.businessIds` must be the company's
/// businesses and `limitation.customerIds` its customers.
#[utoipa::path(post, path = "/v1/discounts", operation_id = "DiscountService_CreateDiscount",
    request_body = CreateDiscountRequest,
    responses((status = 200, body = Discount), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn create_discount(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<CreateDiscountRequest>,
) -> Result<Json<Discount>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let conn = db.get().await?;
    let owner =
        access::company(conn, &state.ids, &principal, request.company_id.as_deref()).await?;
    let discount = request
        .discount
        .ok_or_else(|| Status::invalid_argument("discount: value is required"))?;
    let values = input::checked(&state, conn, Some(&principal), owner, &discount).await?;
    let now = now_micros();
    let row = create(&mut db, owner, &values, now).await?;
    Ok(Json(row.to_wire(&state.ids, now)?))
}

/// Retrieves a code of the company by its text (case-sensitive).
#[utoipa::path(get, path = "/v1/discounts/{code}", operation_id = "DiscountService_GetDiscount",
    params(("code" = String, Path, description = "The discount code"),
        ("companyId" = String, Query, description = "The code's company (cmp_...)")),
    responses((status = 200, body = Discount), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn get_discount(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(code): PathId,
    query: Result<Query<GetDiscountQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Discount>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let company_id = query.ok().and_then(|Query(query)| query.company_id);
    let conn = db.get().await?;
    let owner = access::company(conn, &state.ids, &principal, company_id.as_deref()).await?;
    let row = code_of(conn, owner.company_id, &code).await?;
    Ok(Json(row.to_wire(&state.ids, now_micros())?))
}

/// Lists the company's live codes in every status, oldest first.
#[utoipa::path(post, path = "/v1/discounts:list", operation_id = "DiscountService_ListDiscounts",
    request_body = ListDiscountsRequest,
    responses((status = 200, body = ListDiscountsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_discounts(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListDiscountsRequest>,
) -> Result<Json<ListDiscountsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let conn = db.get().await?;
    let owner =
        access::company(conn, &state.ids, &principal, request.company_id.as_deref()).await?;
    let mut rows = store::list(conn, owner.company_id, page).await?;
    let next_page_token = page.finish(&mut rows);
    let now = now_micros();
    Ok(Json(ListDiscountsResponse {
        next_page_token,
        discounts: rows
            .iter()
            .map(|row| row.to_wire(&state.ids, now))
            .collect::<Result<_, _>>()?,
    }))
}
