//! The MoeGo API: one module per vendor resource (wire types, handlers and storage side by
//! side), the vendor's operation catalog, and the dialect's answers for paths not built yet.

pub mod access;
pub mod aggregation;
pub mod agreement;
pub mod appointment;
pub mod block;
pub mod business;
pub mod company;
pub mod contact;
pub mod customer;
pub mod discount;
pub mod event;
pub mod lead;
pub mod membership;
pub mod message;
pub mod money;
pub mod offering;
pub mod online_booking;
pub mod order;
pub mod package;
pub mod payment;
pub mod pet;
pub mod reference;
pub mod report;
pub mod retail;
pub mod review;
pub mod setting;
pub mod staff;
pub mod van;
pub mod webhook;
pub mod wire;

use axum::extract::{MatchedPath, Request};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use moapi_core::route_catalog::{self, lookup, lookup_routed, Lookup};
use moapi_core::{AppState, Code, Status};
use utoipa::OpenApi;

/// Scopes a MoeGo key may be limited to; a key without scopes may call every operation.
pub const SCOPES: &[&str] = &[
    company::READ_SCOPE,
    business::READ_SCOPE,
    staff::READ_SCOPE,
    customer::READ_SCOPE,
    customer::WRITE_SCOPE,
    pet::READ_SCOPE,
    pet::WRITE_SCOPE,
    lead::READ_SCOPE,
    lead::WRITE_SCOPE,
    aggregation::READ_SCOPE,
    webhook::READ_SCOPE,
    webhook::WRITE_SCOPE,
    setting::READ_SCOPE,
    setting::WRITE_SCOPE,
    order::READ_SCOPE,
    payment::READ_SCOPE,
    appointment::READ_SCOPE,
    appointment::WRITE_SCOPE,
    block::READ_SCOPE,
    block::WRITE_SCOPE,
    discount::READ_SCOPE,
    discount::WRITE_SCOPE,
    membership::READ_SCOPE,
    package::READ_SCOPE,
    retail::READ_SCOPE,
    offering::READ_SCOPE,
    online_booking::READ_SCOPE,
    van::READ_SCOPE,
    agreement::READ_SCOPE,
    agreement::WRITE_SCOPE,
    review::READ_SCOPE,
    message::WRITE_SCOPE,
    report::READ_SCOPE,
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/companies:list", post(company::list_companies))
        .route("/v1/companies/{id}", get(company::get_company))
        .route("/v1/businesses:list", post(business::list_businesses))
        .route("/v1/businesses/{id}", get(business::get_business))
        .route("/v1/staffs:list", post(staff::list_staffs))
        .route("/v1/staffs/{id}", get(staff::get_staff))
        .route("/v1/customers", post(customer::create_customer))
        .route("/v1/customers:list", post(customer::list_customers))
        .route(
            "/v1/customers/{id}",
            get(customer::get_customer).put(customer::update_customer),
        )
        .route(
            "/v1/customers/{id}/notes",
            post(customer::append_customer_notes),
        )
        .route(
            "/v1/customers/{id}/notes:list",
            post(customer::list_customer_notes),
        )
        .route(
            "/v1/customers/{id}/notes/{noteId}",
            delete(customer::delete_customer_note).put(customer::update_customer_note),
        )
        .route(
            "/v1/customers/{id}/tags",
            post(customer::append_customer_tags),
        )
        .route(
            "/v1/customers/{id}/tags:list",
            post(customer::list_customer_tags),
        )
        .route(
            "/v1/customers/{id}/cof/link",
            get(customer::gen_customer_cof_link),
        )
        .merge(customer::links::router())
        .merge(online_booking::page::router())
        .merge(pet::router())
        .route("/v1/leads", post(lead::create_lead))
        .route("/v1/leads:list", post(lead::list_leads))
        .route("/v1/leads:promote", post(lead::promote_lead))
        .route("/v1/leads/{id}", get(lead::get_lead).put(lead::update_lead))
        .route(
            "/v1/aggregation/clients:lookupClientPetProfile",
            post(aggregation::lookup_client_pet_profile),
        )
        .route("/v1/webhooks", post(webhook::create_webhook))
        .route("/v1/webhooks:list", post(webhook::list_webhooks))
        .route(
            "/v1/webhooks/{id}",
            get(webhook::get_webhook)
                .put(webhook::update_webhook)
                .delete(webhook::delete_webhook),
        )
        .route(
            "/v1/setting/companies/{companyId}/services",
            post(setting::service::create_service),
        )
        .route(
            "/v1/setting/companies/{companyId}/services/{id}",
            get(setting::service::get_service).put(setting::service::update_service),
        )
        .route(
            "/v1/setting/companies/{companyId}/services:list",
            post(setting::service::list_services),
        )
        .route(
            "/v1/setting/companies/{companyId}/lodgings",
            post(setting::lodging::list_lodgings),
        )
        .route("/v1/orders:list", post(order::list_orders))
        .route("/v1/orders/{id}", get(order::get_order))
        .route("/v1/orders/items:list", post(order::list_order_line_items))
        .route(
            "/v1/orders/discounts:list",
            post(order::list_order_discounts),
        )
        .route(
            "/v1/orders/redeemPackages:list",
            post(order::list_order_redeem_packages),
        )
        .route("/v1/discounts", post(discount::create_discount))
        .route("/v1/discounts:list", post(discount::list_discounts))
        .route("/v1/discounts/{code}", get(discount::get_discount))
        .route("/v1/memberships:list", post(membership::list_memberships))
        .route(
            "/v1/memberships/subscriptions:list",
            post(membership::list_subscriptions),
        )
        .route("/v1/packages:list", post(package::list_packages))
        .route(
            "/v1/packages/details:list",
            post(package::list_package_details),
        )
        .route("/v1/offerings/lodgings:list", post(offering::list_lodgings))
        .route("/v1/offerings/services:list", post(offering::list_services))
        .route(
            "/v1/online-booking/availability",
            post(online_booking::get_booking_availability),
        )
        // The path a newer vendor version names (moego-upstream-changes.md).
        .route(
            "/v1/online_booking/availability",
            post(online_booking::get_booking_availability),
        )
        .route(
            "/v1/abandoned_bookings:list",
            post(online_booking::list_abandoned_bookings),
        )
        .route(
            "/v1/abandoned_bookings/{id}",
            get(online_booking::get_abandoned_booking),
        )
        .route("/v1/retail/packages:list", post(retail::list_packages))
        .route("/v1/retail/products:list", post(retail::list_products))
        .route("/v1/vans:list", post(van::list_vans))
        .route(
            "/v1/van_staff_records:list",
            post(van::list_van_staff_records),
        )
        .route("/v1/agreements:list", post(agreement::list_agreements))
        .route("/v1/agreements/{id}", get(agreement::get_agreement))
        .route(
            "/v1/agreements/{id}/sign_link",
            get(agreement::get_agreement_sign_link),
        )
        .merge(agreement::page::router())
        .route(
            "/v1/messages:sendToCustomer",
            post(message::send_message_to_customer),
        )
        .merge(message::page::router())
        .route("/v1/reviews:list", post(review::list_reviews))
        .merge(review::page::router())
        .route("/v1/payment/{id}", get(payment::get_payment))
        .route("/v1/payments:list", post(payment::list_payments))
        .route("/v1/reports:list", post(report::list_reports))
        .route("/v1/reports/data:fetch", post(report::fetch_report_data))
        .merge(setting::catalog::router())
        .merge(appointment::router())
        .merge(block::router())
        .merge(webhook::delivery_router())
        // Last, so that it guards every route above, before their extractors.
        .route_layer(axum::middleware::from_fn(methods_of_the_catalog))
}

/// The router matches whole segments, so a route with an `{id}` segment also takes
/// `x:cancel` or `notes` there (`GET /v1/appointments/x:cancel` would be GetAppointment of
/// the ID `x:cancel`). The catalog knows which operation such a path is: a method it does not
/// have there is 405 before any handler runs. A route of moapi's own more specific than the
/// catalog (the `/v1/webhooks/deliveries` aliases) is left to its handler.
async fn methods_of_the_catalog(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(path, MatchedPath::as_str);
    let method = request.method().as_str();
    if lookup_routed(reference::OPERATIONS, method, path, route) == Lookup::WrongMethod {
        return method_not_allowed(path);
    }
    next.run(request).await
}

/// The answer for a `/v1/...` request no route took: UNIMPLEMENTED for an operation of the
/// vendor's catalog moapi has not built, 405 for a known path with another method, else 404.
pub fn unrouted(method: &Method, path: &str) -> Response {
    match lookup(reference::OPERATIONS, method.as_str(), path) {
        Lookup::Found(operation) => not_implemented(operation),
        Lookup::WrongMethod => method_not_allowed(path),
        Lookup::Unknown => Status::not_found("Not Found").into_response(),
    }
}

/// The answer for a `/v1/...` path the router took through `route` (its template), called
/// with a method none of its routes takes: UNIMPLEMENTED for an operation of the catalog moapi
/// has not built, else 405. A route the catalog does not know gets the methods of its routes
/// in `Allow` from the router.
pub fn unrouted_method(method: &Method, path: &str, route: &str) -> Response {
    match lookup_routed(reference::OPERATIONS, method.as_str(), path, route) {
        Lookup::Found(operation) => not_implemented(operation),
        Lookup::WrongMethod => method_not_allowed(path),
        Lookup::Unknown => method_not_allowed_status().into_response(),
    }
}

fn not_implemented(operation: &route_catalog::Operation) -> Response {
    Status::unimplemented(format!(
        "{} is not implemented by moapi yet",
        operation.operation_id
    ))
    .into_response()
}

/// 405 with `Allow`: the methods the catalog has for `path`. A path the catalog does not know
/// has none here; the router then names those of its routes.
pub fn method_not_allowed(path: &str) -> Response {
    let mut response = method_not_allowed_status().into_response();
    route_catalog::set_allow(&mut response, reference::OPERATIONS, path);
    response
}

fn method_not_allowed_status() -> Status {
    Status::new(Code::Unimplemented, "Method Not Allowed")
        .with_http_status(StatusCode::METHOD_NOT_ALLOWED)
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
        customer::create_customer,
        customer::get_customer,
        customer::update_customer,
        customer::list_customers,
        customer::append_customer_notes,
        customer::list_customer_notes,
        customer::update_customer_note,
        customer::delete_customer_note,
        customer::append_customer_tags,
        customer::list_customer_tags,
        customer::gen_customer_cof_link,
        pet::create_pet,
        pet::get_pet,
        pet::update_pet,
        pet::list_pets,
        pet::list_all_pets,
        pet::append_pet_notes,
        pet::list_pet_notes,
        pet::append_pet_codes,
        pet::delete_pet_code,
        lead::create_lead,
        lead::get_lead,
        lead::update_lead,
        lead::list_leads,
        lead::promote_lead,
        aggregation::lookup_client_pet_profile,
        webhook::create_webhook,
        webhook::get_webhook,
        webhook::update_webhook,
        webhook::delete_webhook,
        webhook::list_webhooks,
        setting::service::create_service,
        setting::service::get_service,
        setting::service::update_service,
        setting::service::list_services,
        setting::lodging::list_lodgings,
        order::get_order,
        order::list_orders,
        order::list_order_line_items,
        order::list_order_discounts,
        order::list_order_redeem_packages,
        payment::get_payment,
        payment::list_payments,
        discount::create_discount,
        discount::get_discount,
        discount::list_discounts,
        membership::list_memberships,
        membership::list_subscriptions,
        package::list_packages,
        package::list_package_details,
        retail::list_packages,
        retail::list_products,
        offering::list_lodgings,
        offering::services::list_services,
        online_booking::availability::get_booking_availability,
        online_booking::abandoned::get_abandoned_booking,
        online_booking::abandoned::list_abandoned_bookings,
        van::list_vans,
        van::list_van_staff_records,
        review::list_reviews,
        setting::catalog::list_custom_fields,
        setting::catalog::list_referral_sources,
        setting::catalog::list_customer_tags,
        setting::catalog::list_leads_action_status,
        setting::catalog::list_leads_life_cycles,
        setting::catalog::list_pet_coat_types,
        setting::catalog::list_pet_codes,
        setting::catalog::list_pet_sizes,
        setting::catalog::list_pet_types,
        appointment::create_appointment,
        appointment::get_appointment,
        appointment::list_appointments,
        appointment::cancel_appointment,
        appointment::reschedule_appointment,
        appointment::update_appointment_status,
        appointment::check::check_availability,
        appointment::notes::create_appointment_note,
        appointment::notes::update_appointment_note,
        appointment::notes::list_appointment_notes,
        appointment::grooming::list_grooming_reports,
        block::create_block,
        block::get_block,
        block::delete_block,
        block::list_blocks,
        webhook::delivery::trigger_test_webhook_delivery,
        webhook::delivery::get_webhook_delivery,
        webhook::delivery::list_webhook_deliveries,
        webhook::delivery::redeliver_webhook_deliveries,
        agreement::get_agreement,
        agreement::list_agreements,
        agreement::get_agreement_sign_link,
        message::send_message_to_customer,
        report::list_reports,
        report::fetch_report_data,
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
