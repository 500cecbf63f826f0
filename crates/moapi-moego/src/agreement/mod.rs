//! Agreements (AgreementService): a company's documents its customers sign (waivers, terms),
//! each applying to some of its businesses or all of them. Operators write them; the public
//! API reads them and makes a customer's sign link: an agreement record holding what the
//! customer is shown, behind a signed, expiring URL to the page in `page` where they read it
//! and sign with their typed name. The vendor's webhook events name nothing about agreements,
//! so their writes emit none.

pub mod input;
pub mod page;
pub mod store;
pub mod wire;

use axum::extract::{Query, State};
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::pagination::Page;
use moapi_core::time::now_micros;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, IdKind, Status};
use sqlx::AnyConnection;

use crate::access::{self, BusinessScope};
use crate::wire::PathId;
use input::AgreementValues;
use store::{AgreementRow, RecordRow};
use wire::{
    Agreement, GetAgreementQuery, GetAgreementSignUrlResponse, ListAgreementsRequest,
    ListAgreementsResponse, SignLinkQuery, SignedPolicy,
};

pub const READ_SCOPE: &str = "agreements:read";
/// A sign link creates an agreement record, so it needs the write scope.
pub const WRITE_SCOPE: &str = "agreements:write";

fn agreement_not_found() -> Status {
    Status::not_found("agreement not found")
}

/// The company's agreement by ID, deleted ones too: NOT_FOUND for another company's.
pub async fn of_company(
    conn: &mut AnyConnection,
    company_id: i64,
    agreement_id: i64,
) -> Result<AgreementRow, Status> {
    store::find(conn, agreement_id)
        .await?
        .filter(|row| row.company_id == company_id)
        .ok_or_else(agreement_not_found)
}

/// The wire form of agreements, with their businesses read in one statement.
pub async fn to_wire(
    conn: &mut AnyConnection,
    state: &AppState,
    rows: &[AgreementRow],
) -> Result<Vec<Agreement>, Status> {
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let businesses = store::businesses_of(conn, &ids).await?;
    Ok(rows
        .iter()
        .map(|row| row.to_wire(&state.ids, &store::of_agreement(&businesses, row.id)))
        .collect())
}

/// Creates an agreement of a company at `at`.
pub async fn create(
    db: &mut Conn,
    company_id: i64,
    creator_staff_id: Option<i64>,
    values: &AgreementValues,
    at: i64,
) -> Result<i64, Status> {
    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    let id = store::insert(&mut tx, company_id, creator_staff_id, values, at).await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces a live agreement's values (see [`store::update`]): NOT_FOUND when there is no
/// such live agreement.
pub async fn edit(
    db: &mut Conn,
    agreement_id: i64,
    values: &AgreementValues,
    require_again: bool,
    at: i64,
) -> Result<(), Status> {
    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    let current = store::find(&mut tx, agreement_id)
        .await?
        .filter(AgreementRow::is_live)
        .ok_or_else(agreement_not_found)?;
    if !store::update(&mut tx, &current, values, require_again, at).await? {
        return Err(agreement_not_found());
    }
    tx.commit().await?;
    Ok(())
}

/// Deletes a live agreement: NOT_FOUND when there is no such live agreement.
pub async fn delete(db: &mut Conn, agreement_id: i64, at: i64) -> Result<(), Status> {
    let _gate = db.write_gate().await;
    match store::delete(db.get().await?, agreement_id, at).await? {
        true => Ok(()),
        false => Err(agreement_not_found()),
    }
}

/// Whether the customer's latest record can stand for a new link: one signed since the
/// agreement was last required, when it needs signing only once (FOR_FIRST), or one still
/// unsigned that shows the current text. Otherwise a new record is made.
fn still_current(agreement: &AgreementRow, latest: &RecordRow) -> bool {
    match (latest.is_signed(), agreement.policy()) {
        (true, SignedPolicy::ForFirst) => {
            latest.signed_at.unwrap_or_default() >= agreement.last_required_at
        }
        (true, _) => false,
        (false, _) => latest.title == agreement.title && latest.content == agreement.content,
    }
}

/// The record a sign link shows a customer at a business: the one still current (see
/// [`still_current`]) or a new UNSIGNED one, in one transaction. Refused (FAILED_PRECONDITION)
/// for a deleted agreement or one that does not apply at the business.
pub async fn record_to_sign(
    db: &mut Conn,
    agreement_id: i64,
    business: BusinessScope,
    customer_id: i64,
    at: i64,
) -> Result<i64, Status> {
    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    let agreement = of_company(&mut tx, business.company_id, agreement_id).await?;
    if !agreement.is_live() {
        return Err(Status::failed_precondition(
            "agreement is deleted: it takes no new signatures",
        ));
    }
    let applies_at = store::businesses_of(&mut tx, &[agreement.id]).await?;
    if !applies_at.is_empty() && !applies_at.iter().any(|(_, id)| *id == business.business_id) {
        return Err(Status::failed_precondition(
            "businessId: the agreement does not apply at this business",
        ));
    }
    let latest =
        store::latest_record(&mut tx, agreement.id, customer_id, business.business_id).await?;
    let record_id = match latest.filter(|latest| still_current(&agreement, latest)) {
        Some(latest) => latest.id,
        None => {
            store::insert_record(&mut tx, &agreement, business.business_id, customer_id, at).await?
        }
    };
    tx.commit().await?;
    Ok(record_id)
}

/// Signs an unsigned record with the typed name at `at`: false when it was signed already (by
/// an earlier submission or one that won a race), so a record is signed once.
pub async fn sign(db: &mut Conn, record_id: i64, name: &str, at: i64) -> Result<bool, Status> {
    let _gate = db.write_gate().await;
    Ok(store::sign(db.get().await?, record_id, name.trim(), at).await?)
}

/// Retrieves one of the company's agreements, a deleted one too (status DELETED).
#[utoipa::path(get, path = "/v1/agreements/{id}", operation_id = "AgreementService_GetAgreement",
    params(("id" = String, Path, description = "Agreement ID (agr_...)"),
        ("companyId" = String, Query, description = "The agreement's company (cmp_...)")),
    responses((status = 200, body = Agreement), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn get_agreement(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
    query: Result<Query<GetAgreementQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Agreement>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let company_id = query.ok().and_then(|Query(query)| query.company_id);
    let agreement_id = state
        .ids
        .decode(IdKind::Agreement, id.trim())
        .map_err(|_| Status::invalid_obfuscate())?;
    let conn = db.get().await?;
    let owner = access::company(conn, &state.ids, &principal, company_id.as_deref()).await?;
    let row = of_company(conn, owner.company_id, agreement_id).await?;
    let mut answered = to_wire(conn, &state, std::slice::from_ref(&row)).await?;
    Ok(Json(answered.remove(0)))
}

/// Lists the company's live agreements, oldest first; with `businessIds`, those that apply at
/// one of them. A key restricted to some businesses lists those that apply at its businesses.
#[utoipa::path(post, path = "/v1/agreements:list", operation_id = "AgreementService_ListAgreements",
    request_body = ListAgreementsRequest,
    responses((status = 200, body = ListAgreementsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_agreements(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListAgreementsRequest>,
) -> Result<Json<ListAgreementsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let conn = db.get().await?;
    let (owner, business_ids) = access::optionally_listed_businesses(
        conn,
        &state.ids,
        &principal,
        request.company_id.as_deref(),
        "businessIds",
        &request.business_ids,
    )
    .await?;
    let mut rows = store::list(conn, owner.company_id, business_ids.as_deref(), page).await?;
    let next_page_token = page.finish(&mut rows);
    Ok(Json(ListAgreementsResponse {
        next_page_token,
        agreement: to_wire(conn, &state, &rows).await?,
    }))
}

/// A customer's link to read and sign an agreement at a business: the agreement record it
/// shows (reused while it still stands, see [`record_to_sign`]) and a signed URL valid for
/// seven days.
#[utoipa::path(get, path = "/v1/agreements/{id}/sign_link", operation_id = "AgreementService_GetAgreementSignLink",
    params(("id" = String, Path, description = "Agreement ID (agr_...)"),
        ("customerId" = String, Query, description = "The customer who signs (cus_...); customer_id is accepted too"),
        ("businessId" = String, Query, description = "The business the customer signs for (bus_...); business_id is accepted too")),
    responses((status = 200, body = GetAgreementSignUrlResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn get_agreement_sign_link(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
    query: Result<Query<SignLinkQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<GetAgreementSignUrlResponse>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let query = query
        .map(|Query(query)| query)
        .map_err(|rejection| Status::invalid_argument(rejection.body_text()))?;
    let agreement_id = state
        .ids
        .decode(IdKind::Agreement, id.trim())
        .map_err(|_| Status::invalid_obfuscate())?;
    let conn = db.get().await?;
    let business = access::business(
        conn,
        &state.ids,
        &principal,
        "businessId",
        query.business_id.as_deref().unwrap_or_default(),
    )
    .await?;
    let customer_id = access::company_customer(
        conn,
        &state.ids,
        &principal,
        business,
        query.customer_id.as_deref().unwrap_or_default(),
    )
    .await?;
    let record_id =
        record_to_sign(&mut db, agreement_id, business, customer_id, now_micros()).await?;
    Ok(Json(GetAgreementSignUrlResponse {
        agreement_record_id: state.ids.encode(IdKind::AgreementRecord, record_id),
        sign_url: page::sign_url(&state, record_id),
    }))
}
