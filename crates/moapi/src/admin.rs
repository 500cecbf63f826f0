//! The operator API under `/admin/v1`: the CLI's verbs over HTTP, for what the vendors create
//! in their own apps. It needs `Authorization: Bearer <MOAPI_ADMIN_TOKEN>` and is absent when no
//! token is configured. Errors: `{"error":{"code","message"}}`.

use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use moapi_core::db::Conn;
use moapi_core::AppState;
use moapi_moego::business::store::NewBusiness;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;
use subtle::ConstantTimeEq;

use crate::fixtures::Fixtures;
use crate::operator::{self, M2mClientRequest, MoegoKeyRequest, NewCompanyRequest, OperatorError};

mod abandoned_bookings;
mod agreements;
mod appointments;
mod booking_settings;
mod catalogs;
mod discounts;
mod memberships;
mod messages;
mod orders;
mod pets;
mod retail;
mod reviews;
mod vans;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/seed", post(seed))
        .route("/moego/companies", post(create_company))
        .route(
            "/moego/companies/{company}/businesses",
            post(create_business),
        )
        .route("/moego/companies/{company}/staff", post(create_staff))
        .route("/moego/customers/{id}", delete(delete_customer))
        .route("/mogu/accounts", post(create_account).get(list_accounts))
        .route("/mogu/accounts/{account}/agents", post(create_agent))
        .route(
            "/mogu/m2m-clients",
            post(create_m2m_client).get(list_m2m_clients),
        )
        .route("/mogu/m2m-clients/{id}", delete(revoke_m2m_client))
        .route("/keys", get(list_keys))
        .route("/keys/moego", post(create_moego_key))
        .route("/keys/mogu", post(create_mogu_key))
        .route("/keys/{id}", delete(revoke_key))
        .merge(pets::router())
        .merge(booking_settings::router())
        .merge(orders::router())
        .merge(discounts::router())
        .merge(memberships::router())
        .merge(retail::router())
        .merge(vans::router())
        .merge(abandoned_bookings::router())
        .merge(agreements::router())
        .merge(messages::router())
        .merge(catalogs::router())
        .merge(appointments::router())
        .merge(reviews::router())
        .fallback(|| async {
            error(
                StatusCode::NOT_FOUND,
                "not_found",
                "no such operator endpoint",
            )
        })
}

/// Proof that the request carries the operator token.
pub struct OperatorToken;

impl FromRequestParts<AppState> for OperatorToken {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some(expected) = state.config.admin_token.as_deref() else {
            return Err(error(
                StatusCode::NOT_FOUND,
                "not_found",
                "the operator API is disabled (set MOAPI_ADMIN_TOKEN)",
            ));
        };
        let given = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        if bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
            Ok(OperatorToken)
        } else {
            Err(error(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "a valid operator token is required",
            ))
        }
    }
}

/// axum's `Json`, whose extractor answers a body that stopped arriving with the operator API's
/// 408 and refuses the NUL character as the APIs do (400 naming the field); its other
/// rejections stay axum's.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for Json<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|rejection| body_rejection(rejection, state))?;
        let parsed = serde_json::from_slice::<serde_json::Value>(&bytes).ok();
        if let Some(field) = parsed.as_ref().and_then(moapi_core::wire::nul_in) {
            return Err(nul_refused(&field));
        }
        axum::Json::from_bytes(&bytes)
            .map(|axum::Json(value)| Json(value))
            .map_err(IntoResponse::into_response)
    }
}

fn nul_refused(field: &str) -> Response {
    let field = if field.is_empty() { "body" } else { field };
    error(
        StatusCode::BAD_REQUEST,
        "invalid_argument",
        moapi_core::wire::nul_message(field),
    )
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// A text body (fixtures), read like [`Json`].
pub struct Text(pub String);

impl FromRequest<AppState> for Text {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let text = String::from_request(request, state)
            .await
            .map_err(|rejection| body_rejection(rejection, state))?;
        match text.contains('\0') {
            true => Err(nul_refused("body")),
            false => Ok(Text(text)),
        }
    }
}

fn body_rejection(
    rejection: impl std::error::Error + IntoResponse + 'static,
    state: &AppState,
) -> Response {
    if moapi_core::wire::body_timed_out(&rejection) {
        return error(
            StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            moapi_core::error::body_timeout_message(state.config.body_timeout),
        );
    }
    rejection.into_response()
}

fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    (
        status,
        Json(json!({ "error": { "code": code, "message": message.into() } })),
    )
        .into_response()
}

impl IntoResponse for OperatorError {
    fn into_response(self) -> Response {
        match self {
            OperatorError::Invalid(m) => error(StatusCode::BAD_REQUEST, "invalid_argument", m),
            OperatorError::NotFound(m) => error(StatusCode::NOT_FOUND, "not_found", m),
            OperatorError::Conflict(m) => error(StatusCode::CONFLICT, "already_exists", m),
            OperatorError::Internal(m) => {
                tracing::error!(error = %m, "operator request failed");
                error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error",
                )
            }
        }
    }
}

type Answer<T> = Result<(StatusCode, Json<T>), OperatorError>;

fn created<T>(value: T) -> Answer<T> {
    Ok((StatusCode::CREATED, Json(value)))
}

/// The answer of an edit: 200 and what the edit returns.
fn edited<T>(value: T) -> Answer<T> {
    Ok((StatusCode::OK, Json(value)))
}

async fn seed(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Text(body): Text,
) -> Answer<operator::SeedReport> {
    let fixtures = Fixtures::parse(&body).map_err(OperatorError::Invalid)?;
    created(operator::seed(&state, &mut db, fixtures).await?)
}

async fn create_company(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Json(request): Json<NewCompanyRequest>,
) -> Answer<operator::CreatedCompany> {
    created(operator::create_company(&state, &mut db, &request).await?)
}

async fn create_business(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(company): Path<String>,
    Json(business): Json<NewBusiness>,
) -> Answer<serde_json::Value> {
    let id = operator::create_business(&state, &mut db, &company, &business).await?;
    created(json!({ "businessId": id }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewStaffRequest {
    #[serde(flatten)]
    staff: moapi_moego::staff::store::NewStaff,
    #[serde(default)]
    business_ids: Vec<String>,
}

async fn create_staff(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(company): Path<String>,
    Json(request): Json<NewStaffRequest>,
) -> Answer<serde_json::Value> {
    let id = operator::create_staff(
        &state,
        &mut db,
        &company,
        &request.staff,
        &request.business_ids,
    )
    .await?;
    created(json!({ "staffId": id }))
}

/// Soft-deletes a customer; answers the deleted customer as the MoeGo API renders it.
async fn delete_customer(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(id): Path<String>,
) -> Result<Json<moapi_moego::customer::wire::Customer>, OperatorError> {
    Ok(Json(
        operator::delete_moego_customer(&state, &mut db, &id).await?,
    ))
}

#[derive(Deserialize)]
struct NameRequest {
    name: String,
}

async fn create_account(
    _: OperatorToken,
    mut db: Conn,
    Json(request): Json<NameRequest>,
) -> Answer<serde_json::Value> {
    let id = operator::create_account(&mut db, &request.name).await?;
    created(json!({ "accountId": id }))
}

async fn list_accounts(
    _: OperatorToken,
    mut db: Conn,
) -> Result<Json<serde_json::Value>, OperatorError> {
    let accounts = moapi_mogu::account::list_accounts(db.get().await?).await?;
    Ok(Json(json!({ "accounts": accounts })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewAgentRequest {
    email: String,
    #[serde(default)]
    name: String,
    picture_url: Option<String>,
}

async fn create_agent(
    _: OperatorToken,
    mut db: Conn,
    Path(account): Path<i64>,
    Json(request): Json<NewAgentRequest>,
) -> Answer<serde_json::Value> {
    let id = operator::create_agent(
        &mut db,
        account,
        &request.email,
        &request.name,
        request.picture_url.as_deref(),
    )
    .await?;
    created(json!({ "agentId": id }))
}

async fn create_m2m_client(
    _: OperatorToken,
    mut db: Conn,
    Json(request): Json<M2mClientRequest>,
) -> Answer<operator::IssuedM2mClient> {
    created(operator::create_m2m_client(&mut db, &request).await?)
}

async fn list_m2m_clients(
    _: OperatorToken,
    mut db: Conn,
) -> Result<Json<serde_json::Value>, OperatorError> {
    let clients = moapi_core::m2m::clients::list_clients(db.get().await?).await?;
    Ok(Json(json!({ "clients": clients })))
}

async fn revoke_m2m_client(
    _: OperatorToken,
    mut db: Conn,
    Path(id): Path<String>,
) -> Result<StatusCode, OperatorError> {
    if moapi_core::m2m::clients::revoke_client(db.get().await?, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(OperatorError::NotFound(format!(
            "no active M2M client {id}"
        )))
    }
}

async fn list_keys(
    _: OperatorToken,
    mut db: Conn,
) -> Result<Json<serde_json::Value>, OperatorError> {
    let keys = moapi_core::auth::list_keys(db.get().await?).await?;
    Ok(Json(json!({ "keys": keys })))
}

async fn create_moego_key(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Json(request): Json<MoegoKeyRequest>,
) -> Answer<operator::IssuedMoegoKey> {
    created(operator::create_moego_key(&state, &mut db, &request).await?)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MoguKeyRequest {
    agent_email: String,
}

async fn create_mogu_key(
    _: OperatorToken,
    mut db: Conn,
    Json(request): Json<MoguKeyRequest>,
) -> Answer<operator::IssuedMoguKey> {
    created(operator::create_mogu_key(&mut db, &request.agent_email).await?)
}

async fn revoke_key(
    _: OperatorToken,
    State(state): State<AppState>,
    mut db: Conn,
    Path(id): Path<String>,
) -> Result<StatusCode, OperatorError> {
    if moapi_core::auth::revoke_key(db.get().await?, &state.keys, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(OperatorError::NotFound(format!("no active key {id}")))
    }
}
