//! The MOGU travel API (trips of travel agencies' accounts), re-implemented from the
//! reference in ../shared/reference/mogu. Callers authenticate with an agent's `ak_` key and
//! see only their account's trips; every error uses MOGU's `{"errors":{field:[...]}}` body.
//! This crate owns the routes, their OpenAPI description, and the account storage the
//! operator uses to create accounts and agents.

pub mod account;
pub mod ai;
pub mod catalog;
pub mod m2m;
pub mod public;
pub mod reference;
pub mod trip;

#[cfg(test)]
mod test_support;

use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use m2m::M2mScheme;
use moapi_core::route_catalog::{self, lookup, lookup_routed, Lookup};
use moapi_core::{AppState, MoguError};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(trip::router())
        .merge(catalog::router())
        .merge(public::router())
        .merge(ai::router())
        .merge(m2m::router())
        // Last, so that it covers every route above: M2M callers' scopes are checked centrally.
        .layer(axum::middleware::from_fn(m2m::require_operation_scope))
}

/// The answer for a request no route took: 501 for an operation of the reference moapi has not
/// built, 405 for a known path with another method, else 404.
pub fn unrouted(method: &Method, path: &str) -> Response {
    match lookup(reference::OPERATIONS, method.as_str(), path) {
        Lookup::Found(operation) => not_implemented(operation),
        Lookup::WrongMethod => method_not_allowed(method, path),
        Lookup::Unknown => {
            MoguError::not_found("path", format!("no such path: {path}")).into_response()
        }
    }
}

/// The answer for a path the router took through `route` (its template), called with a
/// method none of its routes takes: 501 for an operation of the reference moapi has not built,
/// else 405.
pub fn unrouted_method(method: &Method, path: &str, route: &str) -> Response {
    match lookup_routed(reference::OPERATIONS, method.as_str(), path, route) {
        Lookup::Found(operation) => not_implemented(operation),
        Lookup::WrongMethod => method_not_allowed(method, path),
        // A route the reference does not know: the router names its methods in `Allow`.
        Lookup::Unknown => method_not_allowed_error(method, path).into_response(),
    }
}

fn not_implemented(operation: &route_catalog::Operation) -> Response {
    MoguError::new(
        StatusCode::NOT_IMPLEMENTED,
        "operation",
        format!("{} is not implemented by moapi yet", operation.operation_id),
    )
    .into_response()
}

/// 405 with `Allow`: the methods the reference has for `path`. A path it does not know (the
/// operator API, health, pages, `/oauth/token`) has none here; the router then names those of
/// its routes.
fn method_not_allowed(method: &Method, path: &str) -> Response {
    let mut response = method_not_allowed_error(method, path).into_response();
    route_catalog::set_allow(&mut response, reference::OPERATIONS, path);
    response
}

fn method_not_allowed_error(method: &Method, path: &str) -> MoguError {
    MoguError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method",
        format!("{method} is not allowed on {path}"),
    )
}

/// The OpenAPI document of the operations this crate serves.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "MOGU API (moapi)",
        description = "Trips and catalogs of a MOGU account. Send `Authorization: Bearer ak_...`. Errors \
                       answer `{\"errors\":{\"<field>\":[\"<message>\"]}}`."
    ),
    paths(
        trip::list_trips,
        trip::create_trip,
        trip::delete_trips,
        trip::get_trip,
        trip::update_trip,
        trip::config::get_trip_config,
        trip::config::update_trip_config,
        trip::visibility::set_trip_visibility,
        public::visualizations::get_trip_visualizations,
        catalog::list_catalogs,
        catalog::create_catalog,
        catalog::get_catalog,
        catalog::update_catalog,
        catalog::delete_catalog,
        catalog::list_catalog_trips,
        catalog::add_catalog_trips,
        catalog::remove_catalog_trips,
        catalog::set_catalog_visibility,
        ai::create_trip_from_document,
        ai::get_job_status,
        ai::cancel_job,
    ),
    modifiers(&BearerAuth, &M2mScheme),
    security(("bearerAuth" = []), ("m2mOnBehalfOf" = [])),
    tags(
        (name = "trips", description = "Operations for managing trips"),
        (name = "catalogs", description = "Operations for managing catalogs"),
        (name = "ai", description = "AI-powered trip generation from documents and text")
    )
)]
struct ApiDoc;

/// Declares the `bearerAuth` scheme the document's security requirement names.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.bearer_format = Some("API key (ak_...)".to_string());
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearerAuth", SecurityScheme::Http(scheme));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use moapi_core::route_catalog::{lookup, Lookup};

    #[test]
    fn every_documented_operation_is_in_the_reference_catalog() {
        let document = openapi();
        let mut served = 0;
        for (path, item) in &document.paths.paths {
            let operations = [
                ("GET", &item.get),
                ("POST", &item.post),
                ("PATCH", &item.patch),
                ("DELETE", &item.delete),
            ];
            for (method, operation) in operations {
                let Some(operation) = operation else { continue };
                served += 1;
                let Lookup::Found(reference) = lookup(reference::OPERATIONS, method, path) else {
                    panic!("{method} {path} is not a reference operation");
                };
                assert_eq!(
                    operation.operation_id.as_deref(),
                    Some(reference.operation_id)
                );
            }
        }
        assert_eq!(served, 21);
        assert!(document
            .components
            .unwrap()
            .security_schemes
            .contains_key("bearerAuth"));
    }
}
