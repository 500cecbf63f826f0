//! ListServices: the services a business offers some pets. A service is offered when it is
//! active, available at the business, of the requested kinds, and (for an add-on with
//! primary services chosen) goes with one of them; each pet's view keeps those whose pet
//! filters (breed, size, coat, pet codes) let that pet in. Prices and durations are the
//! catalog's: moapi's catalog has no per-pet prices.

use axum::extract::State;
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::pagination::Page;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, IdCodec, IdKind, Status};

use super::wire::{ListServicesRequest, ListServicesResponse, ServiceView, ServicesByPet};
use super::{reached_businesses, READ_SCOPE};
use crate::appointment::booking::{customers_pet, decode};
use crate::pet::profile::{PetProfile, PetProfiles};
use crate::setting::service::store::{self as services, ListQuery, ServiceRecord};
use crate::setting::service::wire::{ServiceFilters, ServiceItemType, ServiceType};
use crate::wire::check_max_items;

/// All of a company's services a request filters: companies keep tens of them.
pub(crate) const ALL_SERVICES: Page = Page {
    number: 1,
    size: 100_000,
};

/// Lists the services the business (or any business of the company the key reaches) offers,
/// with each requested pet's own view and those every requested pet may take.
#[utoipa::path(post, path = "/v1/offerings/services:list", operation_id = "OfferingService_ListServices",
    request_body = ListServicesRequest,
    responses((status = 200, body = ListServicesResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_services(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListServicesRequest>,
) -> Result<Json<ListServicesResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_optional(request.pagination.as_ref())?;
    check_max_items("petIds", request.pet_ids.len())?;
    check_max_items("selectedServiceIds", request.selected_service_ids.len())?;
    check_dates(&request)?;
    let conn = db.get().await?;
    let (owner, business_ids) = reached_businesses(
        conn,
        &state,
        &principal,
        (
            request.company_id.as_deref(),
            request.business_id.as_deref(),
        ),
    )
    .await?;
    let mut pet_ids = Vec::with_capacity(request.pet_ids.len());
    for (index, pet) in request.pet_ids.iter().enumerate() {
        let field = format!("petIds[{index}]");
        let company = (owner.company_id, None);
        let id = customers_pet(&state, conn, company, &field, pet).await?.id;
        if pet_ids.contains(&id) {
            return Err(Status::invalid_argument(format!(
                "{field}: the pet is named twice"
            )));
        }
        pet_ids.push(id);
    }
    let mut selected = Vec::with_capacity(request.selected_service_ids.len());
    for (index, service) in request.selected_service_ids.iter().enumerate() {
        let field = format!("selectedServiceIds[{index}]");
        let id = decode(&state, IdKind::Service, service.trim())?;
        let record = services::find(conn, id)
            .await?
            .ok_or_else(|| Status::not_found(format!("{field}: service not found")))?;
        if record.company_id != owner.company_id {
            return Err(Status::no_permission());
        }
        selected.push(record);
    }
    let query = ListQuery {
        company_id: owner.company_id,
        business_ids,
        item_types: match request.service_item_type {
            ServiceItemType::Unspecified => Vec::new(),
            item_type => vec![item_type],
        },
    };
    let offered: Vec<ServiceRecord> = services::list(conn, &query, ALL_SERVICES)
        .await?
        .into_iter()
        .filter(|service| {
            request.service_type == ServiceType::Unspecified
                || service.values.service_type == request.service_type
        })
        .filter(|service| goes_with(&state.ids, service, &selected))
        .collect();
    let pets = PetProfiles::load(conn, owner.company_id, &pet_ids).await?;
    let profiles: Vec<&PetProfile> = pet_ids.iter().filter_map(|id| pets.pet(*id)).collect();
    // With pets, a service none of them may take is not offered to them.
    let mut listed: Vec<(&ServiceRecord, Vec<bool>)> = offered
        .iter()
        .map(|service| {
            let takes = profiles
                .iter()
                .map(|pet| lets_in(&state.ids, &pets, &service.values.filters, pet))
                .collect::<Vec<bool>>();
            (service, takes)
        })
        .filter(|(_, takes)| takes.is_empty() || takes.iter().any(|takes| *takes))
        .skip(page.offset() as usize)
        .take(page.fetch_limit() as usize)
        .collect();
    let next_page_token = page.finish(&mut listed);
    let view = |service: &ServiceRecord| ServiceView {
        id: state.ids.encode(IdKind::Service, service.id),
        name: service.values.name.clone(),
        service_item_type: service.values.item_type,
        service_type: service.values.service_type,
        price: service.values.price.to_wire(),
        service_time: service.values.duration_minutes,
    };
    let pet_services = profiles
        .iter()
        .enumerate()
        .map(|(index, pet)| ServicesByPet {
            pet_id: state.ids.encode(IdKind::Pet, pet.id),
            services: listed
                .iter()
                .filter(|(_, takes)| takes[index])
                .map(|(service, _)| view(service))
                .collect(),
        })
        .collect();
    Ok(Json(ListServicesResponse {
        available_service_ids: listed
            .iter()
            .filter(|(_, takes)| takes.iter().all(|takes| *takes))
            .map(|(service, _)| state.ids.encode(IdKind::Service, service.id))
            .collect(),
        services: listed.iter().map(|(service, _)| view(service)).collect(),
        pet_services,
        next_page_token,
    }))
}

/// `startDate` and `endDate`: full dates, the end not before the start. They do not narrow
/// the answer (compatibility.md says why).
fn check_dates(request: &ListServicesRequest) -> Result<(), Status> {
    let day = |field: &str, date: &Option<crate::wire::Date>| {
        date.filter(|date| !date.is_empty())
            .map(|date| date.calendar_day(field))
            .transpose()
    };
    let start = day("startDate", &request.start_date)?;
    let end = day("endDate", &request.end_date)?;
    if let (Some(start), Some(end)) = (start, end) {
        if end < start {
            return Err(Status::invalid_argument(
                "endDate: must not be before startDate",
            ));
        }
    }
    Ok(())
}

/// Whether an add-on goes with one of the primary services chosen (every service does when
/// none is chosen, and every non-add-on).
fn goes_with(ids: &IdCodec, service: &ServiceRecord, selected: &[ServiceRecord]) -> bool {
    let filters = &service.values.filters;
    if selected.is_empty()
        || service.values.service_type != ServiceType::Addon
        || filters.service_filter
    {
        return true;
    }
    selected.iter().any(|primary| {
        let id = ids.encode(IdKind::Service, primary.id);
        filters.service_filter_list.iter().any(|entry| {
            (entry.service_item_type == ServiceItemType::Unspecified
                || entry.service_item_type == primary.values.item_type)
                && (entry.available_for_all_services == Some(true)
                    || entry.available_service_id_list.contains(&id))
        })
    })
}

/// Whether a service's pet filters let the pet in. A filter flag set means "all"; when it is
/// not, the pet's breed, weight or coat must be among those listed (sizes and coats by their
/// `psz_` / `pct_` IDs). A pet code filter not for all codes admits pets with one of its codes
/// (white list) or none of them.
pub(crate) fn lets_in(
    ids: &IdCodec,
    pets: &PetProfiles,
    filters: &ServiceFilters,
    pet: &PetProfile,
) -> bool {
    let decoded = |kind: IdKind, references: &[String]| -> Vec<i64> {
        references
            .iter()
            .filter_map(|reference| ids.decode(kind, reference).ok())
            .collect()
    };
    let breeds = filters.customized_breeds.iter().map(|entry| {
        (
            entry.pet_type_name.as_str(),
            entry.is_all == Some(true),
            entry.breeds.as_slice(),
        )
    });
    let codes = &filters.pet_code_filter;
    let coded = || {
        let listed = decoded(IdKind::PetCode, &codes.pet_code_ids);
        pet.codes.iter().any(|code| listed.contains(code))
    };
    (filters.breed_filter || PetProfiles::breed_listed(pet, breeds))
        && (filters.pet_size_filter
            || pets.fits_size(
                pet,
                &decoded(IdKind::PetSize, &filters.customized_pet_sizes),
            ))
        && (filters.coat_filter
            || pets.coat_listed(
                pet,
                &decoded(IdKind::PetCoatType, &filters.customized_coats),
            ))
        && (codes.is_all_pet_code || coded() == codes.is_white_list)
}
