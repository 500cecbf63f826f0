//! Operator verbs for pets and leads: the company settings they refer to (pet codes, lead life
//! cycles and action statuses, which the vendor edits in its settings app) and soft-deleting a
//! pet (the vendor deletes in its app; the public API has no delete).

use std::collections::HashMap;

use moapi_core::db::Conn;
use moapi_core::{AppState, IdKind};
use moapi_moego::lead::store as leads;
use moapi_moego::lead::wire::{LeadInput, LeadReferralSource, SettingRef};
use moapi_moego::pet::store::{self as pets, NewPetCode};
use moapi_moego::pet::wire::{PetCodeRef, PetInput};
use moapi_moego::{aggregation, lead, pet};
use serde::Deserialize;

use super::{found, from_status, invalid, resolve_company, resolve_id, OperatorError, Result};
use crate::fixtures::MoegoCompany;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewPetCodeRequest {
    pub abbreviation: String,
    #[serde(default)]
    pub description: String,
    /// `#RRGGBB`.
    #[serde(default)]
    pub color: String,
}

fn check_color(color: &str) -> Result<()> {
    let hex = color.strip_prefix('#').unwrap_or("x");
    if color.is_empty() || (hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit())) {
        Ok(())
    } else {
        invalid(format!("color: {color:?} is not a #RRGGBB colour"))
    }
}

fn checked_code(request: &NewPetCodeRequest) -> Result<NewPetCode<'_>> {
    let abbreviation = request.abbreviation.trim();
    if abbreviation.is_empty() || abbreviation.chars().count() > 50 {
        return invalid("abbreviation: 1 to 50 characters");
    }
    check_color(&request.color)?;
    Ok(NewPetCode {
        abbreviation,
        description: request.description.trim(),
        color: &request.color,
    })
}

/// Creates a company pet code; returns its `pcd_` ID.
pub async fn create_pet_code(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    request: &NewPetCodeRequest,
) -> Result<String> {
    let code = checked_code(request)?;
    let company = resolve_company(state, db, company).await?;
    let conn = db.get().await?;
    let id = pets::insert_code(&mut *conn, company.id, &code).await?;
    Ok(state.ids.encode(IdKind::PetCode, id))
}

/// Replaces a company pet code, checked as a new one is; the pets it marks show the change.
pub async fn replace_pet_code(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    pet_code: &str,
    request: &NewPetCodeRequest,
) -> Result<()> {
    let code = checked_code(request)?;
    let company = resolve_company(state, db, company).await?;
    let id = resolve_id(state, IdKind::PetCode, pet_code)?;
    let conn = db.get().await?;
    let replaced = pets::update_code(&mut *conn, company.id, id, &code).await?;
    found(replaced, "pet code", pet_code)
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewLeadSettingRequest {
    pub name: String,
    /// Life cycles only: the stage new leads start in.
    #[serde(default)]
    pub is_default: bool,
    /// Action statuses only: `#RRGGBB`.
    #[serde(default)]
    pub color: String,
}

fn setting_name(request: &NewLeadSettingRequest) -> Result<&str> {
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return invalid("name: 1 to 100 characters");
    }
    Ok(name)
}

/// Creates a lead life cycle stage; returns its `llc_` ID.
pub async fn create_lead_life_cycle(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    request: &NewLeadSettingRequest,
) -> Result<String> {
    let name = setting_name(request)?;
    let company = resolve_company(state, db, company).await?;
    let conn = db.get().await?;
    let id = leads::insert_life_cycle(&mut *conn, company.id, name, request.is_default).await?;
    Ok(state.ids.encode(IdKind::LeadLifeCycle, id))
}

/// Creates a lead action status; returns its `las_` ID.
pub async fn create_lead_action_status(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    request: &NewLeadSettingRequest,
) -> Result<String> {
    let name = setting_name(request)?;
    check_color(&request.color)?;
    let company = resolve_company(state, db, company).await?;
    let conn = db.get().await?;
    let id = leads::insert_action_status(&mut *conn, company.id, name, &request.color).await?;
    Ok(state.ids.encode(IdKind::LeadActionStatus, id))
}

/// Replaces a lead life cycle stage's name and default flag; its leads show the change.
pub async fn replace_lead_life_cycle(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    life_cycle: &str,
    request: &NewLeadSettingRequest,
) -> Result<()> {
    let name = setting_name(request)?;
    let company = resolve_company(state, db, company).await?;
    let id = resolve_id(state, IdKind::LeadLifeCycle, life_cycle)?;
    let conn = db.get().await?;
    let replaced =
        leads::update_life_cycle(&mut *conn, company.id, id, name, request.is_default).await?;
    found(replaced, "lead life cycle", life_cycle)
}

/// Replaces a lead action status's name and colour.
pub async fn replace_lead_action_status(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    action_status: &str,
    request: &NewLeadSettingRequest,
) -> Result<()> {
    let name = setting_name(request)?;
    check_color(&request.color)?;
    let company = resolve_company(state, db, company).await?;
    let id = resolve_id(state, IdKind::LeadActionStatus, action_status)?;
    let conn = db.get().await?;
    let replaced =
        leads::update_action_status(&mut *conn, company.id, id, name, &request.color).await?;
    found(replaced, "lead action status", action_status)
}

/// Soft-deletes a customer's pet (PET_DELETED in the same transaction). A pet already deleted
/// or of another customer is NOT_FOUND.
pub async fn delete_pet(
    state: &AppState,
    db: &mut Conn,
    customer: &str,
    pet: &str,
) -> Result<String> {
    let customer_id = resolve_id(state, IdKind::Customer, customer)?;
    let pet_id = resolve_id(state, IdKind::Pet, pet)?;
    let row = pets::find(db.get().await?, pet_id)
        .await?
        .filter(|row| row.customer_id == customer_id)
        .ok_or_else(|| OperatorError::NotFound(format!("customer {customer} has no pet {pet}")))?;
    // The transaction starts with its write (see `moapi_moego::pet::begin_write`).
    let mut tx = db.begin().await?;
    if !pets::soft_delete(&mut tx, &state.ids, row.company_id, row.id).await? {
        return Err(OperatorError::NotFound(format!(
            "pet {pet} is already deleted"
        )));
    }
    tx.commit().await?;
    Ok(state.ids.encode(IdKind::Pet, row.id))
}

/// Seeds a company's pet codes, lead settings, pets and leads from its fixture, after its
/// customers. Pets and leads go through the same rules (and events) as the API's creates.
pub async fn seed_company(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    fixture: &MoegoCompany,
) -> Result<()> {
    let mut codes = HashMap::new();
    for code in &fixture.pet_codes {
        let id = create_pet_code(state, db, company, code).await?;
        codes.insert(code.abbreviation.trim().to_string(), id);
    }
    let mut life_cycles = HashMap::new();
    for setting in &fixture.lead_life_cycles {
        let id = create_lead_life_cycle(state, db, company, setting).await?;
        life_cycles.insert(setting.name.trim().to_string(), id);
    }
    let mut action_statuses = HashMap::new();
    for setting in &fixture.lead_action_statuses {
        let id = create_lead_action_status(state, db, company, setting).await?;
        action_statuses.insert(setting.name.trim().to_string(), id);
    }
    let company = resolve_company(state, db, company).await?;
    let named = |map: &HashMap<String, String>, what: &str, name: &str| {
        map.get(name.trim())
            .cloned()
            .ok_or_else(|| OperatorError::Invalid(format!("unknown {what} {name:?}")))
    };
    let mut tx = db.begin().await?;
    for fixture_pet in &fixture.pets {
        let phone =
            moapi_moego::customer::input::phone("owner", &fixture_pet.owner, &company.country)
                .map_err(from_status)?;
        let owner = aggregation::find_customer_by_phone(&mut tx, company.id, &phone)
            .await?
            .ok_or_else(|| {
                OperatorError::Invalid(format!(
                    "pet {:?}: no customer with phone {phone}",
                    fixture_pet.pet.name
                ))
            })?;
        let pet_codes = fixture_pet
            .codes
            .iter()
            .map(|abbreviation| named(&codes, "pet code", abbreviation).map(|id| PetCodeRef { id }))
            .collect::<Result<Vec<_>>>()?;
        let input = PetInput {
            pet_codes,
            ..fixture_pet.pet.clone()
        };
        let scope = pet::CustomerScope {
            customer: pet::CustomerRef {
                id: owner.id,
                company_id: company.id,
                deleted: false,
            },
            country: company.country.clone(),
        };
        pet::create_in(state, &mut tx, &scope, "pet", &input)
            .await
            .map_err(from_status)?;
    }
    for fixture_lead in &fixture.leads {
        let setting = |map: &HashMap<String, String>, what: &str, name: &Option<String>| {
            name.as_deref()
                .map(|name| named(map, what, name).map(|id| SettingRef { id }))
                .transpose()
        };
        let input = LeadInput {
            first_name: Some(fixture_lead.first_name.clone()),
            last_name: Some(fixture_lead.last_name.clone()),
            phone: Some(fixture_lead.phone.clone()),
            email: Some(fixture_lead.email.clone()),
            pets: Some(fixture_lead.pets.clone()),
            life_cycle: setting(&life_cycles, "lead life cycle", &fixture_lead.life_cycle)?,
            action_status: setting(
                &action_statuses,
                "lead action status",
                &fixture_lead.action_status,
            )?,
            // Found by name in the company's referral sources, as the API finds one.
            referral_source: fixture_lead
                .referral_source
                .as_ref()
                .map(|name| LeadReferralSource {
                    name: name.clone(),
                    ..LeadReferralSource::default()
                }),
            ..LeadInput::default()
        };
        lead::create_in(state, &mut tx, company.id, &input)
            .await
            .map_err(from_status)?;
    }
    tx.commit().await?;
    Ok(())
}
