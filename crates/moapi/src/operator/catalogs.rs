//! Operator verbs for the company catalogs SettingService lists (the vendor edits them in its
//! settings app): customer tags, referral sources, pet types, sizes and coat types, and custom
//! fields. Entries are checked with the API's rules; a duplicate name is a conflict. Named
//! entries can be renamed and pet sizes replaced. Pet codes and lead settings have their verbs
//! in `operator::pets`.

use moapi_core::db::Conn;
use moapi_core::{AppState, IdKind};
use moapi_moego::setting::catalog::input::{entry_name, CustomFieldInput, PetSizeInput};
use moapi_moego::setting::catalog::store::{self, FieldReplacement, NamedCatalog};
use serde::Deserialize;

use super::{found, from_status, resolve_company, resolve_id, OperatorError, Result};
use crate::fixtures::MoegoCompany;

/// A catalog entry that is only a name (tag, referral source, pet type or coat type).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewNamedEntryRequest {
    pub name: String,
}

/// Creates a company customer tag; returns its `ctag_` ID.
pub async fn create_customer_tag(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    name: &str,
) -> Result<String> {
    let name = entry_name("name", name).map_err(from_status)?;
    let company = resolve_company(state, db, company).await?;
    let conn = db.get().await?;
    let id = store::insert_tag(&mut *conn, company.id, &name).await?;
    Ok(state.ids.encode(IdKind::CustomerTag, id))
}

/// Creates a referral source, pet type or pet coat type; returns its public ID.
pub async fn create_named_entry(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    catalog: NamedCatalog,
    name: &str,
) -> Result<String> {
    let name = entry_name("name", name).map_err(from_status)?;
    let company = resolve_company(state, db, company).await?;
    let conn = db.get().await?;
    let id = store::insert_named(&mut *conn, catalog, company.id, &name).await?;
    Ok(state.ids.encode(catalog.kind(), id))
}

/// Creates a pet size; returns its `psz_` ID.
pub async fn create_pet_size(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    request: &PetSizeInput,
) -> Result<String> {
    let size = request.check().map_err(from_status)?;
    let company = resolve_company(state, db, company).await?;
    let conn = db.get().await?;
    let id = store::insert_pet_size(&mut *conn, company.id, &size).await?;
    Ok(state.ids.encode(IdKind::PetSize, id))
}

/// Creates a custom field; returns its `cfd_` ID.
pub async fn create_custom_field(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    request: &CustomFieldInput,
) -> Result<String> {
    let field = request.check().map_err(from_status)?;
    let company = resolve_company(state, db, company).await?;
    let conn = db.get().await?;
    let id = store::insert_custom_field(&mut *conn, company.id, &field).await?;
    Ok(state.ids.encode(IdKind::CustomField, id))
}

/// Renames a company customer tag; its customers show the new name.
pub async fn rename_customer_tag(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    tag: &str,
    name: &str,
) -> Result<()> {
    let name = entry_name("name", name).map_err(from_status)?;
    let company = resolve_company(state, db, company).await?;
    let id = resolve_id(state, IdKind::CustomerTag, tag)?;
    let conn = db.get().await?;
    found(
        store::rename_tag(&mut *conn, company.id, id, &name).await?,
        "customer tag",
        tag,
    )
}

/// Renames a referral source, pet type or pet coat type.
pub async fn rename_named_entry(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    catalog: NamedCatalog,
    entry: &str,
    name: &str,
) -> Result<()> {
    let name = entry_name("name", name).map_err(from_status)?;
    let company = resolve_company(state, db, company).await?;
    let id = resolve_id(state, catalog.kind(), entry)?;
    let conn = db.get().await?;
    let renamed = store::rename_named(&mut *conn, catalog, company.id, id, &name).await?;
    found(renamed, "entry", entry)
}

/// Replaces a pet size's name and weight range, checked as a new size is.
pub async fn update_pet_size(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    pet_size: &str,
    request: &PetSizeInput,
) -> Result<()> {
    let size = request.check().map_err(from_status)?;
    let company = resolve_company(state, db, company).await?;
    let id = resolve_id(state, IdKind::PetSize, pet_size)?;
    let conn = db.get().await?;
    let updated = store::update_pet_size(&mut *conn, company.id, id, &size).await?;
    found(updated, "pet size", pet_size)
}

/// Replaces a custom field, checked as a new one is. Its association type, code and type
/// cannot change (values recorded under it depend on them): that is a conflict.
pub async fn replace_custom_field(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    custom_field: &str,
    request: &CustomFieldInput,
) -> Result<()> {
    let field = request.check().map_err(from_status)?;
    let company = resolve_company(state, db, company).await?;
    let id = resolve_id(state, IdKind::CustomField, custom_field)?;
    let conn = db.get().await?;
    match store::replace_custom_field(&mut *conn, company.id, id, &field).await? {
        FieldReplacement::Replaced => Ok(()),
        FieldReplacement::Missing => found(false, "custom field", custom_field),
        FieldReplacement::Redefined => Err(OperatorError::Conflict(format!(
            "custom field {custom_field}: associationType, code and type cannot change"
        ))),
    }
}

/// Seeds a company's catalogs from its fixture, before its customers (whose tags then name
/// the catalog's tags instead of creating them).
pub async fn seed_company(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    fixture: &MoegoCompany,
) -> Result<()> {
    for name in &fixture.customer_tags {
        create_customer_tag(state, db, company, name).await?;
    }
    let named = [
        (NamedCatalog::ReferralSources, &fixture.referral_sources),
        (NamedCatalog::PetTypes, &fixture.pet_types),
        (NamedCatalog::PetCoatTypes, &fixture.pet_coat_types),
    ];
    for (catalog, names) in named {
        for name in names {
            create_named_entry(state, db, company, catalog, name).await?;
        }
    }
    for size in &fixture.pet_sizes {
        create_pet_size(state, db, company, size).await?;
    }
    for field in &fixture.custom_fields {
        create_custom_field(state, db, company, field).await?;
    }
    Ok(())
}

/// Checks a company fixture's catalog entries before anything is written, so that one bad
/// entry refuses the whole fixture.
pub fn validate_company(company: &MoegoCompany) -> Result<()> {
    let context = |what: &str| {
        let what = what.to_string();
        move |err: moapi_core::Status| {
            OperatorError::Invalid(format!(
                "company {:?}: {what}: {}",
                company.name,
                err.message()
            ))
        }
    };
    let names = [
        ("customerTags", &company.customer_tags),
        ("referralSources", &company.referral_sources),
        ("petTypes", &company.pet_types),
        ("petCoatTypes", &company.pet_coat_types),
    ];
    for (what, entries) in names {
        for name in entries {
            entry_name("name", name).map_err(context(what))?;
        }
    }
    for size in &company.pet_sizes {
        size.check().map_err(context("petSizes"))?;
    }
    for field in &company.custom_fields {
        field.check().map_err(context("customFields"))?;
    }
    Ok(())
}
