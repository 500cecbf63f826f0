//! Leads (LeadService): prospective customers of a company, with the pets they described.
//! Promotion turns a lead into a customer with its pets, once, in one transaction; a promoted
//! lead is a customer from then on, so `leads:list` leaves it out and writes to it are refused.

pub mod store;
pub mod wire;

use axum::extract::State;
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::pagination::Page;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, Code, IdKind, Status};
use sqlx::AnyConnection;

use crate::access;
use crate::business::wire::Address;
use crate::company;
use crate::customer::{self, store::NewCustomer};
use crate::pet;
use crate::wire::PathId;
use store::{LeadRow, LeadValues, SettingTable};
use wire::{
    CreateLeadRequest, Lead, LeadInput, ListLeadsRequest, ListLeadsResponse, PromoteLeadRequest,
    PromoteLeadResponse, UpdateLeadBody,
};

pub const READ_SCOPE: &str = "leads:read";
pub const WRITE_SCOPE: &str = "leads:write";

/// Most pets one lead may describe.
const MAX_LEAD_PETS: usize = 100;
/// Longest name or URL moapi keeps on a lead.
const MAX_TEXT: usize = 255;

fn invalid(message: String) -> Status {
    Status::invalid_argument(message)
}

fn decode(state: &AppState, kind: IdKind, id: &str) -> Result<i64, Status> {
    state
        .ids
        .decode(kind, id)
        .map_err(|_| Status::invalid_obfuscate())
}

fn text(field: &str, value: &str) -> Result<String, Status> {
    let value = value.trim();
    if value.chars().count() > MAX_TEXT {
        return Err(invalid(format!("{field}: at most {MAX_TEXT} characters")));
    }
    Ok(value.to_string())
}

/// The company a lead belongs to, as validation needs it.
struct LeadCompany {
    id: i64,
    country: String,
}

/// Checks that an optional reference names a row of the lead's company: "" clears it,
/// an ID of another company is code 7, an unknown one NOT_FOUND.
async fn company_reference(
    state: &AppState,
    conn: &mut AnyConnection,
    company_id: i64,
    kind: IdKind,
    field: &str,
    reference: &str,
) -> Result<Option<i64>, Status> {
    if reference.trim().is_empty() {
        return Ok(None);
    }
    let id = decode(state, kind, reference.trim())?;
    let owner = match kind {
        IdKind::Business => crate::business::store::find(conn, id)
            .await?
            .map(|row| row.company_id),
        IdKind::Staff => crate::staff::store::find(conn, id)
            .await?
            .map(|row| row.company_id),
        IdKind::LeadLifeCycle => store::setting_company(conn, SettingTable::LifeCycles, id).await?,
        IdKind::ReferralSource => {
            store::setting_company(conn, SettingTable::ReferralSources, id).await?
        }
        _ => store::setting_company(conn, SettingTable::ActionStatuses, id).await?,
    };
    match owner {
        None => Err(Status::not_found(format!("{field}: not found"))),
        Some(owner) if owner != company_id => Err(Status::no_permission()),
        Some(_) => Ok(Some(id)),
    }
}

/// The company's referral source a lead names: by `id`, else by exact `name`; an empty one
/// clears it.
async fn referral_source(
    state: &AppState,
    conn: &mut AnyConnection,
    company_id: i64,
    source: &wire::LeadReferralSource,
) -> Result<Option<i64>, Status> {
    let id = text("lead.referralSource.id", &source.id)?;
    let name = text("lead.referralSource.name", &source.name)?;
    if !id.is_empty() {
        let field = "lead.referralSource.id";
        return company_reference(state, conn, company_id, IdKind::ReferralSource, field, &id)
            .await;
    }
    if name.is_empty() {
        return Ok(None);
    }
    match store::referral_source_named(conn, company_id, &name).await? {
        Some(id) => Ok(Some(id)),
        None => Err(Status::invalid_argument(format!(
            "lead.referralSource.name: the company has no referral source named {name:?}"
        ))),
    }
}

/// A lead's address by the customer rules; one with nothing in it is none.
fn address(field: &str, address: &Address) -> Result<Option<Address>, Status> {
    let cleaned = customer::input::address(field, address)?;
    let blank = [
        &cleaned.address1,
        &cleaned.address2,
        &cleaned.city,
        &cleaned.state,
        &cleaned.postal_code,
        &cleaned.country,
    ]
    .iter()
    .all(|part| part.trim().is_empty())
        && cleaned.coordinate.is_none();
    Ok((!blank).then_some(cleaned))
}

/// Applies a lead body to `base` (empty for a create): an absent field keeps its value.
async fn apply(
    state: &AppState,
    conn: &mut AnyConnection,
    company: &LeadCompany,
    base: LeadValues,
    input: &LeadInput,
) -> Result<LeadValues, Status> {
    let mut next = base;
    if let Some(value) = &input.first_name {
        next.first_name = text("lead.firstName", value)?;
    }
    if let Some(value) = &input.last_name {
        next.last_name = text("lead.lastName", value)?;
    }
    if let Some(value) = &input.avatar {
        let value = value.trim();
        if !value.is_empty() && (!value.starts_with("https://") || value.len() > 2_048) {
            return Err(invalid(
                "lead.avatar: must be an HTTPS URL of at most 2048 characters".into(),
            ));
        }
        next.avatar = value.to_string();
    }
    if let Some(value) = &input.phone {
        next.phone = if value.trim().is_empty() {
            String::new()
        } else {
            customer::input::phone("lead.phone", value, &company.country)?
        };
    }
    if let Some(value) = &input.email {
        next.email = customer::input::email("lead.email", value)?;
    }
    if let Some(value) = &input.address {
        next.address = address("lead.address", value)?;
    }
    if let Some(pets) = &input.pets {
        if pets.len() > MAX_LEAD_PETS {
            return Err(invalid(format!("lead.pets: at most {MAX_LEAD_PETS} pets")));
        }
        for (index, pet) in pets.iter().enumerate() {
            let field = format!("lead.pets[{index}]");
            pet::check_new_pet(state, conn, (company.id, &company.country), &field, pet).await?;
        }
        next.pets = pets.clone();
    }
    let references = [
        (
            input.preferred_business_id.as_deref(),
            IdKind::Business,
            "lead.preferredBusinessId",
            &mut next.preferred_business_id,
        ),
        (
            input.allocate_staff_id.as_deref(),
            IdKind::Staff,
            "lead.allocateStaffId",
            &mut next.allocate_staff_id,
        ),
        (
            input.life_cycle.as_ref().map(|setting| setting.id.as_str()),
            IdKind::LeadLifeCycle,
            "lead.lifeCycle.id",
            &mut next.life_cycle_id,
        ),
        (
            input
                .action_status
                .as_ref()
                .map(|setting| setting.id.as_str()),
            IdKind::LeadActionStatus,
            "lead.actionStatus.id",
            &mut next.action_status_id,
        ),
    ];
    for (reference, kind, field, target) in references {
        if let Some(reference) = reference {
            *target = company_reference(state, conn, company.id, kind, field, reference).await?;
        }
    }
    if let Some(value) = &input.referral_source {
        next.referral_source_id = referral_source(state, conn, company.id, value).await?;
        next.sent_referral_source = None;
    }
    Ok(next)
}

async fn lead_company(conn: &mut AnyConnection, company_id: i64) -> Result<LeadCompany, Status> {
    let row = company::store::find(conn, company_id)
        .await?
        .ok_or_else(|| Status::internal(format!("company {company_id} of a lead is missing")))?;
    Ok(LeadCompany {
        id: row.id,
        country: row.country,
    })
}

/// The lead a path or body names, checked against the key.
async fn authorized_lead(
    state: &AppState,
    principal: &MoegoPrincipal,
    conn: &mut AnyConnection,
    id: &str,
) -> Result<LeadRow, Status> {
    let id = decode(state, IdKind::Lead, id)?;
    let row = store::find(conn, id)
        .await?
        .ok_or_else(|| Status::not_found("lead not found"))?;
    access::check(conn, principal, &row).await?;
    Ok(row)
}

fn already_promoted(state: &AppState, row: &LeadRow) -> Status {
    let customer = row
        .customer_id
        .map(|id| state.ids.encode(IdKind::Customer, id))
        .unwrap_or_default();
    Status::new(
        Code::FailedPrecondition,
        format!("the lead was already promoted to customer {customer}"),
    )
}

/// Validates and creates a lead of company `company_id` inside the caller's transaction (the
/// create operation and fixtures both create leads this way).
pub async fn create_in(
    state: &AppState,
    conn: &mut AnyConnection,
    company_id: i64,
    input: &LeadInput,
) -> Result<LeadRow, Status> {
    let values = check_new_lead(state, conn, company_id, input).await?;
    insert_checked(conn, company_id, &values).await
}

/// Checks a new lead of company `company_id`.
async fn check_new_lead(
    state: &AppState,
    conn: &mut AnyConnection,
    company_id: i64,
    input: &LeadInput,
) -> Result<LeadValues, Status> {
    let company = lead_company(conn, company_id).await?;
    let values = apply(state, conn, &company, LeadValues::default(), input).await?;
    if values.first_name.is_empty()
        && values.last_name.is_empty()
        && values.phone.is_empty()
        && values.email.is_empty()
    {
        return Err(invalid(
            "lead: a lead needs a name, a phone number or an email address".into(),
        ));
    }
    Ok(values)
}

async fn insert_checked(
    conn: &mut AnyConnection,
    company_id: i64,
    values: &LeadValues,
) -> Result<LeadRow, Status> {
    let id = store::insert(conn, company_id, values).await?;
    Ok(store::find(conn, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?)
}

/// Creates a lead in `lead.companyId`.
#[utoipa::path(post, path = "/v1/leads", operation_id = "LeadService_CreateLead",
    request_body = CreateLeadRequest,
    responses((status = 200, body = Lead), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn create_lead(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<CreateLeadRequest>,
) -> Result<Json<Lead>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let input = request
        .lead
        .ok_or_else(|| invalid("lead: value is required".into()))?;
    let company_id = input
        .company_id
        .as_deref()
        .filter(|id| !id.is_empty())
        .ok_or_else(|| invalid("lead.companyId: value is required".into()))?;
    let conn = db.get().await?;
    let owner = access::company(conn, &state.ids, &principal, Some(company_id)).await?;
    let values = check_new_lead(&state, conn, owner.company_id, &input).await?;
    let mut tx = pet::begin_write(&mut db).await?;
    let row = insert_checked(&mut tx, owner.company_id, &values).await?;
    tx.commit().await?;
    Ok(Json(row.to_wire(&state.ids)))
}

/// Retrieves one lead (a promoted one too).
#[utoipa::path(get, path = "/v1/leads/{id}", operation_id = "LeadService_GetLead",
    params(("id" = String, Path, description = "Lead ID (lcus_...)")),
    responses((status = 200, body = Lead), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn get_lead(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
) -> Result<Json<Lead>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let row = authorized_lead(&state, &principal, db.get().await?, &id).await?;
    Ok(Json(row.to_wire(&state.ids)))
}

/// Updates a lead: fields absent from `lead` keep their values.
#[utoipa::path(put, path = "/v1/leads/{id}", operation_id = "LeadService_UpdateLead",
    params(("id" = String, Path, description = "Lead ID (lcus_...)")),
    request_body = UpdateLeadBody,
    responses((status = 200, body = Lead), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn update_lead(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
    ProtoJson(body): ProtoJson<UpdateLeadBody>,
) -> Result<Json<Lead>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let input = body
        .lead
        .ok_or_else(|| invalid("lead: value is required".into()))?;
    let conn = db.get().await?;
    let row = authorized_lead(&state, &principal, conn, &id).await?;
    if row.is_promoted() {
        return Err(already_promoted(&state, &row));
    }
    if let Some(company_id) = input.company_id.as_deref().filter(|id| !id.is_empty()) {
        if decode(&state, IdKind::Company, company_id)? != row.company_id {
            return Err(invalid(
                "lead.companyId: a lead cannot move to another company".into(),
            ));
        }
    }
    let company = lead_company(conn, row.company_id).await?;
    let values = apply(&state, conn, &company, row.values(), &input).await?;
    let mut tx = pet::begin_write(&mut db).await?;
    store::update(&mut tx, row.id, &values).await?;
    let row = store::find(&mut tx, row.id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    tx.commit().await?;
    Ok(Json(row.to_wire(&state.ids)))
}

/// Lists a company's leads not yet promoted, by ID.
#[utoipa::path(post, path = "/v1/leads:list", operation_id = "LeadService_ListLeads",
    request_body = ListLeadsRequest,
    responses((status = 200, body = ListLeadsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_leads(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListLeadsRequest>,
) -> Result<Json<ListLeadsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let conn = db.get().await?;
    let owner =
        access::company(conn, &state.ids, &principal, request.company_id.as_deref()).await?;
    let company = lead_company(conn, owner.company_id).await?;
    let filter = request.filter.unwrap_or_default();
    let setting = |kind, id: &Option<String>| -> Result<Option<i64>, Status> {
        match id.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(id) => decode(&state, kind, id).map(Some),
        }
    };
    let phone = match filter.main_phone_number.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(phone) => Some(customer::input::phone(
            "filter.mainPhoneNumber",
            phone,
            &company.country,
        )?),
    };
    let query = store::ListQuery {
        company_id: company.id,
        life_cycle_id: setting(IdKind::LeadLifeCycle, &filter.life_cycle_id)?,
        action_status_id: setting(IdKind::LeadActionStatus, &filter.action_status_id)?,
        phone,
    };
    let mut rows = store::list(conn, &query, page).await?;
    let next_page_token = page.finish(&mut rows);
    Ok(Json(ListLeadsResponse {
        next_page_token,
        leads: rows.iter().map(|row| row.to_wire(&state.ids)).collect(),
    }))
}

/// The members of the customer swagger's `v1Customer` that the lead swagger's older
/// `v1Customer` lacks; PromoteLead answers in the lead swagger's shape.
const NOT_IN_LEAD_CUSTOMER: [&str; 4] = ["rawId", "deleted", "complianceConfig", "customFields"];

/// Turns a lead into a customer with its pets, once: CUSTOMER_CREATED and one PET_CREATED per
/// pet, all in one transaction. A second promotion is FAILED_PRECONDITION and changes nothing.
#[utoipa::path(post, path = "/v1/leads:promote", operation_id = "LeadService_PromoteLead",
    request_body = PromoteLeadRequest,
    responses((status = 200, body = PromoteLeadResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn promote_lead(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<PromoteLeadRequest>,
) -> Result<Json<PromoteLeadResponse>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let id = request
        .id
        .filter(|id| !id.is_empty())
        .ok_or_else(|| invalid("id: value is required".into()))?;
    let raw = decode(&state, IdKind::Lead, &id)?;
    let mut tx = pet::begin_write(&mut db).await?;
    // The claim writes first (see `pet::begin_write`) and makes a concurrent promotion wait;
    // the lead is checked against the key right after, before anything else is written.
    let claimed = store::claim_for_promotion(&mut tx, raw).await?;
    let row = authorized_lead(&state, &principal, &mut tx, &id).await?;
    if !claimed {
        return Err(already_promoted(&state, &row));
    }
    let company = lead_company(&mut tx, row.company_id).await?;
    let values = row.values();
    let new_customer = NewCustomer {
        preferred_business_id: values.preferred_business_id,
        first_name: values.first_name.clone(),
        last_name: values.last_name.clone(),
        avatar_path: values.avatar.clone(),
        phone: values.phone.clone(),
        email: values.email.clone(),
        address: values.address.clone(),
        source: row
            .referral_source(&state.ids)
            .map(|source| source.name)
            .unwrap_or_default(),
        ..NewCustomer::new(company.id)
    };
    let created = customer::create_in(&mut tx, &state, &new_customer, &[], &[]).await?;
    let scope = pet::CustomerScope {
        customer: pet::CustomerRef {
            id: created.raw_id,
            company_id: company.id,
            deleted: false,
        },
        country: company.country.clone(),
    };
    for (index, pet_input) in values.pets.iter().enumerate() {
        pet::create_in(
            &state,
            &mut tx,
            &scope,
            &format!("lead.pets[{index}]"),
            pet_input,
        )
        .await?;
    }
    store::set_customer(&mut tx, row.id, created.raw_id).await?;
    tx.commit().await?;
    let mut customer = serde_json::to_value(&created).map_err(Status::internal)?;
    if let Some(members) = customer.as_object_mut() {
        for member in NOT_IN_LEAD_CUSTOMER {
            members.remove(member);
        }
    }
    Ok(Json(PromoteLeadResponse { customer }))
}
