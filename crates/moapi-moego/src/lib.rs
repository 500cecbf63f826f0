//! The MoeGo API: one module per vendor resource (wire types, handlers and storage side by
//! side), the vendor's operation catalog, and the dialect's answers for paths not built yet.

pub mod business;
pub mod reference;
pub mod company;
pub mod event;
pub mod staff;
pub mod wire;

use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use moapi_core::route_catalog::{lookup, Lookup};
use moapi_core::{AppState, Code, Status};
use utoipa::OpenApi;

/// Scopes a MoeGo key may be limited to; a key without scopes may call every operation.
pub const SCOPES: &[&str] = &[company::READ_SCOPE, business::READ_SCOPE, staff::READ_SCOPE];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/companies:list", post(company::list_companies))
        .route("/v1/companies/{id}", get(company::get_company))
        .route("/v1/businesses:list", post(business::list_businesses))
        .route("/v1/businesses/{id}", get(business::get_business))
        .route("/v1/staffs:list", post(staff::list_staffs))
        .route("/v1/staffs/{id}", get(staff::get_staff))
}

/// The answer for a `/v1/...` request no route took: UNIMPLEMENTED for an operation of the
/// vendor's catalog moapi has not built, 405 for a known path with another method, else 404.
pub fn unrouted(method: &Method, path: &str) -> Response {
    match lookup(reference::OPERATIONS, method.as_str(), path) {
        Lookup::Found(operation) => Status::unimplemented(format!(
            "{} is not implemented by moapi yet",
            operation.operation_id
        ))
        .into_response(),
        Lookup::WrongMethod => Status::new(Code::Unimplemented, "Method Not Allowed")
            .with_http_status(StatusCode::METHOD_NOT_ALLOWED)
            .into_response(),
        Lookup::Unknown => Status::not_found("Not Found").into_response(),
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "MoeGo API (moapi)", description = "The MoeGo Open API as served by moapi. Authenticate with `Authorization: Basic <base64(API key)>`."),
    paths(
        company::list_companies,
        company::get_company,
        business::list_businesses,
        business::get_business,
        staff::list_staffs,
        staff::get_staff,
    ),
    components(schemas(moapi_core::pagination::Pagination, moapi_core::error::StatusBody)),
    modifiers(&BasicAuth),
    security(("basicAuth" = []))
)]
struct MoegoApi;

struct BasicAuth;

impl utoipa::Modify for BasicAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "basicAuth",
                SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                    "Authorization",
                    "`Basic ` followed by the base64 of the API key secret",
                ))),
            );
    }
}

/// The OpenAPI document of what moapi serves of the MoeGo API, generated from this code.
pub fn openapi() -> utoipa::openapi::OpenApi {
    MoegoApi::openapi()
}
