//! The service catalog (SettingService services): what a company's businesses sell, with its
//! price, duration, and the businesses and staff that offer it. Appointments and orders read
//! it by SQL. A price is in the currency of the businesses offering the service (USD for a
//! business without booking settings); services are never deleted, only made inactive, and
//! `services:list` leaves inactive ones out.

pub mod input;
pub mod store;
pub mod wire;

use std::collections::BTreeSet;

use axum::extract::State;
use axum::Json;
use moapi_core::auth::{CompanyOwner, MoegoPrincipal};
use moapi_core::db::Conn;
use moapi_core::pagination::Page;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, Code, IdKind, Status};
use sqlx::{AnyConnection, Connection};

use super::{READ_SCOPE, WRITE_SCOPE};
use crate::access;
use crate::wire::{check_max_items, decode_unique, PathId, PathIdPair};
use input::Availability;
use store::{ServiceRecord, ServiceValues};
use wire::{
    CreateServiceBody, ListServicesBody, ListServicesResponse, Service, ServiceFields,
    ServiceFilters, ServiceItemType, ServiceType, UpdateServiceBody,
};

/// A new service's values before its body is applied: offered everywhere by everyone.
fn blank(
    item_type: ServiceItemType,
    service_type: ServiceType,
    price: crate::money::Amount,
) -> ServiceValues {
    ServiceValues {
        name: String::new(),
        category: String::new(),
        item_type,
        service_type,
        price,
        duration_minutes: 0,
        business_ids: Vec::new(),
        available_all_business: true,
        available_business_ids: Vec::new(),
        available_all_staff: true,
        available_staff_ids: Vec::new(),
        filters: ServiceFilters::default(),
        inactive: false,
    }
}

/// Applies the create or update body's shared fields to `base`. `name` and `price` are
/// required by both; other absent fields keep their value. `businessIds` is the older spelling
/// of the businesses offering the service: it counts as `availableBusinessIds` when that is
/// not sent.
fn apply_fields(
    state: &AppState,
    fields: &ServiceFields,
    base: ServiceValues,
) -> Result<ServiceValues, Status> {
    let decode = |kind, field, ids: &Option<Vec<String>>| {
        ids.as_deref()
            .map(|ids| decode_unique(state, kind, field, ids))
            .transpose()
    };
    let business_ids = decode(IdKind::Business, "businessIds", &fields.business_ids)?;
    let available_business_ids = decode(
        IdKind::Business,
        "availableBusinessIds",
        &fields.available_business_ids,
    )?
    .or_else(|| business_ids.clone().filter(|ids| !ids.is_empty()));
    let available_staff_ids = decode(
        IdKind::Staff,
        "availableStaffIds",
        &fields.available_staff_ids,
    )?;
    let businesses = Availability {
        all: base.available_all_business,
        listed: base.available_business_ids,
    }
    .patched(
        "availableBusinessIds",
        fields.available_all_business,
        available_business_ids,
    )?;
    let staff = Availability {
        all: base.available_all_staff,
        listed: base.available_staff_ids,
    }
    .patched(
        "availableStaffIds",
        fields.available_all_staff,
        available_staff_ids,
    )?;
    Ok(ServiceValues {
        name: input::name("name", fields.name.as_deref())?,
        price: input::price("price", fields.price.as_ref())?,
        duration_minutes: input::service_time(
            base.item_type,
            fields.service_time.unwrap_or(base.duration_minutes),
        )?,
        business_ids: business_ids.unwrap_or(base.business_ids),
        available_all_business: businesses.all,
        available_business_ids: businesses.listed,
        available_all_staff: staff.all,
        available_staff_ids: staff.listed,
        ..base
    })
}

/// Checks that each business is the company's and, for a key, one it reaches: NOT_FOUND for
/// an unknown one, code 7 otherwise.
async fn check_businesses(
    conn: &mut AnyConnection,
    principal: Option<&MoegoPrincipal>,
    owner: CompanyOwner,
    field: &str,
    ids: &[i64],
) -> Result<(), Status> {
    for id in ids {
        let business = crate::business::store::find(&mut *conn, *id)
            .await?
            .ok_or_else(|| Status::not_found(format!("{field}: business not found")))?;
        if business.company_id != owner.company_id {
            return Err(Status::no_permission());
        }
        if let Some(principal) = principal {
            access::require(principal, owner, Some(*id))?;
        }
    }
    Ok(())
}

/// Checks that each staff member is the company's and not deleted.
async fn check_staff(conn: &mut AnyConnection, company_id: i64, ids: &[i64]) -> Result<(), Status> {
    for id in ids {
        let staff = crate::staff::store::find(&mut *conn, *id)
            .await?
            .ok_or_else(|| Status::not_found("availableStaffIds: staff not found"))?;
        if staff.company_id != company_id {
            return Err(Status::no_permission());
        }
        if staff.deleted != 0 {
            return Err(Status::new(
                Code::FailedPrecondition,
                "availableStaffIds: the staff member has been deleted",
            ));
        }
    }
    Ok(())
}

/// Checks that the price is in the currency of every business offering the service.
async fn check_currency(
    conn: &mut AnyConnection,
    company_id: i64,
    values: &ServiceValues,
) -> Result<(), Status> {
    let currencies: BTreeSet<String> = store::business_currencies(conn, company_id)
        .await?
        .into_iter()
        .filter(|(id, _)| {
            values.available_all_business || values.available_business_ids.contains(id)
        })
        .map(|(_, currency)| currency)
        .collect();
    let price_currency = values.price.currency.as_str();
    match currencies.len() {
        0 if price_currency == "USD" => Ok(()),
        0 => Err(Status::invalid_argument(
            "price.currencyCode: must be USD, the currency of a company without business settings",
        )),
        1 if currencies.contains(price_currency) => Ok(()),
        1 => Err(Status::invalid_argument(format!(
            "price.currencyCode: must be {}, the currency of the businesses offering the service",
            currencies.iter().next().map(String::as_str).unwrap_or_default()
        ))),
        _ => Err(Status::invalid_argument(format!(
            "price.currencyCode: the businesses offering the service charge in different currencies ({})",
            currencies.into_iter().collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// Checks the references a service of `owner`'s company gains over `previous` (none for a
/// new service), so that a staff member deleted since does not block renaming it, and its
/// currency. `principal` is the key acting, or `None` for an operator.
pub async fn check(
    conn: &mut AnyConnection,
    principal: Option<&MoegoPrincipal>,
    owner: CompanyOwner,
    previous: Option<&ServiceValues>,
    values: &ServiceValues,
) -> Result<(), Status> {
    let gained = |list: &[i64], known: fn(&ServiceValues) -> &[i64]| -> Vec<i64> {
        let known = previous.map(known).unwrap_or_default();
        list.iter()
            .copied()
            .filter(|id| !known.contains(id))
            .collect()
    };
    let businesses = [
        (
            "businessIds",
            gained(&values.business_ids, |v| &v.business_ids),
        ),
        (
            "availableBusinessIds",
            gained(&values.available_business_ids, |v| {
                &v.available_business_ids
            }),
        ),
    ];
    for (field, ids) in businesses {
        check_businesses(conn, principal, owner, field, &ids).await?;
    }
    let staff = gained(&values.available_staff_ids, |v| &v.available_staff_ids);
    check_staff(conn, owner.company_id, &staff).await?;
    check_currency(conn, owner.company_id, values).await
}

fn name_taken() -> Status {
    Status::new(
        Code::AlreadyExists,
        "name: the company already has a service of this name",
    )
}

/// Checks and creates a service of `owner`'s company, as `CreateService` and operators do.
pub async fn create(
    conn: &mut AnyConnection,
    principal: Option<&MoegoPrincipal>,
    owner: CompanyOwner,
    values: &ServiceValues,
) -> Result<ServiceRecord, Status> {
    check(conn, principal, owner, None, values).await?;
    let mut tx = conn.begin().await?;
    let record = store::insert(&mut tx, owner.company_id, values)
        .await?
        .ok_or_else(name_taken)?;
    tx.commit().await?;
    Ok(record)
}

/// The service a path names in the path's company: NOT_FOUND when it is another company's
/// the key also reaches, code 7 when the key reaches neither its company nor, for a key of
/// some businesses, any business offering it.
async fn service_in(
    conn: &mut AnyConnection,
    state: &AppState,
    principal: &MoegoPrincipal,
    owner: CompanyOwner,
    id: &str,
) -> Result<ServiceRecord, Status> {
    let raw = state
        .ids
        .decode(IdKind::Service, id)
        .map_err(|_| Status::invalid_obfuscate())?;
    let record = store::find(&mut *conn, raw)
        .await?
        .ok_or_else(|| Status::not_found("service not found"))?;
    if record.company_id != owner.company_id {
        let service_owner = access::owner_of(conn, record.company_id).await?;
        access::require(principal, service_owner, None)?;
        return Err(Status::not_found("service not found in this company"));
    }
    if let Some(businesses) = principal.business_subset() {
        if !record.values.offered_at_any(businesses) {
            return Err(Status::no_permission());
        }
    }
    Ok(record)
}

/// Creates a service; `businessIds`, `availableBusinessIds` and `availableStaffIds` must be
/// the company's, and the price in its businesses' currency.
#[utoipa::path(post, path = "/v1/setting/companies/{companyId}/services", operation_id = "SettingService_CreateService",
    params(("companyId" = String, Path, description = "Company ID (cmp_...)")),
    request_body = CreateServiceBody,
    responses((status = 200, body = Service), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn create_service(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(company_id): PathId,
    ProtoJson(body): ProtoJson<CreateServiceBody>,
) -> Result<Json<Service>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let conn = db.get().await?;
    let owner = access::company(conn, &state.ids, &principal, Some(&company_id)).await?;
    if body.service_item_type.is_unspecified() {
        return Err(Status::invalid_argument(
            "serviceItemType: value is required",
        ));
    }
    if body.service_type.is_unspecified() {
        return Err(Status::invalid_argument("serviceType: value is required"));
    }
    let price = input::price("price", body.fields.price.as_ref())?;
    let base = blank(body.service_item_type, body.service_type, price);
    let values = apply_fields(&state, &body.fields, base)?;
    let record = create(conn, Some(&principal), owner, &values).await?;
    Ok(Json(record.to_wire(&state.ids)))
}

/// Retrieves one service of the company, inactive ones included.
#[utoipa::path(get, path = "/v1/setting/companies/{companyId}/services/{id}", operation_id = "SettingService_GetService",
    params(("companyId" = String, Path, description = "Company ID (cmp_...)"), ("id" = String, Path, description = "Service ID (svc_...)")),
    responses((status = 200, body = Service), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn get_service(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathIdPair(company_id, id): PathIdPair,
) -> Result<Json<Service>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let conn = db.get().await?;
    let owner = access::company(conn, &state.ids, &principal, Some(&company_id)).await?;
    let record = service_in(conn, &state, &principal, owner, &id).await?;
    Ok(Json(record.to_wire(&state.ids)))
}

/// Updates a service: `name` and `price` are required, other absent fields keep their value;
/// the type and item type are not the body's to change.
#[utoipa::path(put, path = "/v1/setting/companies/{companyId}/services/{id}", operation_id = "SettingService_UpdateService",
    params(("companyId" = String, Path, description = "Company ID (cmp_...)"), ("id" = String, Path, description = "Service ID (svc_...)")),
    request_body = UpdateServiceBody,
    responses((status = 200, body = Service), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn update_service(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathIdPair(company_id, id): PathIdPair,
    ProtoJson(body): ProtoJson<UpdateServiceBody>,
) -> Result<Json<Service>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let conn = db.get().await?;
    let owner = access::company(conn, &state.ids, &principal, Some(&company_id)).await?;
    let record = service_in(conn, &state, &principal, owner, &id).await?;
    let values = ServiceValues {
        inactive: body.inactive.unwrap_or(record.values.inactive),
        ..apply_fields(&state, &body.fields, record.values.clone())?
    };
    check(conn, Some(&principal), owner, Some(&record.values), &values).await?;
    let mut tx = conn.begin().await?;
    let updated = store::update(&mut tx, record.id, &values)
        .await?
        .ok_or_else(name_taken)?;
    tx.commit().await?;
    Ok(Json(updated.to_wire(&state.ids)))
}

/// Lists the company's active services by ID, optionally those offered at some businesses
/// or of some item types. A key of some businesses sees the services offered at them.
#[utoipa::path(post, path = "/v1/setting/companies/{companyId}/services:list", operation_id = "SettingService_ListServices",
    params(("companyId" = String, Path, description = "Company ID (cmp_...)")),
    request_body = ListServicesBody,
    responses((status = 200, body = ListServicesResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_services(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(company_id): PathId,
    ProtoJson(body): ProtoJson<ListServicesBody>,
) -> Result<Json<ListServicesResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(body.pagination.as_ref())?;
    let conn = db.get().await?;
    let owner = access::company(conn, &state.ids, &principal, Some(&company_id)).await?;
    let business_ids = decode_unique(&state, IdKind::Business, "businessIds", &body.business_ids)?;
    check_businesses(conn, Some(&principal), owner, "businessIds", &business_ids).await?;
    let item_types = body
        .filter
        .map(|filter| filter.item_types)
        .unwrap_or_default();
    check_max_items("filter.itemTypes", item_types.len())?;
    if item_types.iter().any(ServiceItemType::is_unspecified) {
        return Err(Status::invalid_argument(
            "filter.itemTypes: SERVICE_ITEM_TYPE_UNSPECIFIED is not a service item type",
        ));
    }
    let query = store::ListQuery {
        company_id: owner.company_id,
        business_ids: if business_ids.is_empty() {
            access::business_subset(&principal)
        } else {
            Some(business_ids)
        },
        item_types,
    };
    let mut records = store::list(conn, &query, page).await?;
    let next_page_token = page.finish(&mut records);
    Ok(Json(ListServicesResponse {
        next_page_token,
        services: records
            .iter()
            .map(|record| record.to_wire(&state.ids))
            .collect(),
    }))
}
