//! What the vendors do in their own apps (create companies, businesses, staff, accounts,
//! agents and API keys), as one implementation behind both the CLI and `/admin/v1`.

use std::collections::HashSet;

use ipnet::IpNet;
use moapi_core::auth::{self, MoegoRestriction, NewMoegoKey};
use moapi_core::db::Conn;
use moapi_core::time::parse_instant;
use moapi_core::{AppState, IdKind};
use moapi_moego::business::store::NewBusiness;
use moapi_moego::staff::store::NewStaff;
use moapi_moego::{business, company, staff};
use serde::{Deserialize, Serialize};

use moapi_mogu::catalog::store::CatalogWriteError;
use moapi_mogu::trip::config::Block;
use moapi_mogu::trip::wire::BodyField;

use crate::fixtures::{
    FixtureCustomer, Fixtures, MoegoCompany, MoguAccount, MoguCatalog, MoguTrip,
};

pub mod abandoned_bookings;
pub mod agreements;
pub mod appointments;
pub mod booking_settings;
pub mod bookings;
pub mod catalogs;
pub mod discounts;
pub mod memberships;
pub mod messages;
pub mod orders;
pub mod pets;
pub mod retail;
pub mod reviews;
pub mod vans;

#[derive(Debug)]
pub enum OperatorError {
    Invalid(String),
    NotFound(String),
    Conflict(String),
    Internal(String),
}

impl OperatorError {
    /// A fixture item's refusal, saying where the item stands:
    /// `company "X": section[index]: ...`.
    pub(crate) fn in_fixture(self, company: &str, section: &str, index: usize) -> OperatorError {
        match self {
            OperatorError::Invalid(message) => OperatorError::Invalid(format!(
                "company {company:?}: {section}[{index}]: {message}"
            )),
            other => other,
        }
    }
}

impl std::fmt::Display for OperatorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OperatorError::Invalid(m) | OperatorError::NotFound(m) | OperatorError::Conflict(m) => {
                f.write_str(m)
            }
            OperatorError::Internal(m) => write!(f, "internal error: {m}"),
        }
    }
}

impl std::error::Error for OperatorError {}

impl From<sqlx::Error> for OperatorError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                OperatorError::Conflict(format!("already exists: {}", db.message()))
            }
            _ => OperatorError::Internal(err.to_string()),
        }
    }
}

type Result<T> = std::result::Result<T, OperatorError>;

fn invalid<T>(message: impl Into<String>) -> Result<T> {
    Err(OperatorError::Invalid(message.into()))
}

/// NOT_FOUND unless the company's entry was changed.
fn found(changed: bool, what: &str, reference: &str) -> Result<()> {
    match changed {
        true => Ok(()),
        false => Err(OperatorError::NotFound(format!(
            "the company has no {what} {reference}"
        ))),
    }
}

/// Reads a public ID of `kind` or a raw row number.
fn resolve_id(state: &AppState, kind: IdKind, reference: &str) -> Result<i64> {
    reference
        .parse::<i64>()
        .or_else(|_| state.ids.decode(kind, reference))
        .map_err(|_| OperatorError::Invalid(format!("{reference:?} is not a {} ID", kind.prefix())))
}

/// Reads a company reference: its public `cmp_` ID or its raw number.
async fn resolve_company(
    state: &AppState,
    db: &mut Conn,
    reference: &str,
) -> Result<company::store::CompanyRow> {
    let raw = match reference.parse::<i64>() {
        Ok(raw) => raw,
        Err(_) => state
            .ids
            .decode(IdKind::Company, reference)
            .map_err(|_| OperatorError::Invalid(format!("{reference:?} is not a company ID")))?,
    };
    company::store::find(db.get().await?, raw)
        .await?
        .ok_or_else(|| OperatorError::NotFound(format!("company {reference} not found")))
}

/// A business by `bus_` ID or raw number, with its company.
async fn resolve_business_scope(
    state: &AppState,
    db: &mut Conn,
    reference: &str,
) -> Result<moapi_moego::access::BusinessScope> {
    let business_id = resolve_id(state, IdKind::Business, reference)?;
    let owner = business::store::owner(db.get().await?, business_id)
        .await?
        .ok_or_else(|| OperatorError::NotFound(format!("business {reference} not found")))?;
    Ok(moapi_moego::access::BusinessScope {
        company_id: owner.company_id,
        business_id,
    })
}

/// Reads business references of one company (public `bus_` IDs or raw numbers).
async fn resolve_businesses(
    state: &AppState,
    db: &mut Conn,
    company_id: i64,
    references: &[String],
) -> Result<Vec<i64>> {
    let owned = business::store::ids_of_company(db.get().await?, company_id).await?;
    references
        .iter()
        .map(|reference| {
            let raw = reference
                .parse::<i64>()
                .or_else(|_| state.ids.decode(IdKind::Business, reference))
                .map_err(|_| {
                    OperatorError::Invalid(format!("{reference:?} is not a business ID"))
                })?;
            if owned.contains(&raw) {
                Ok(raw)
            } else {
                invalid(format!(
                    "business {reference} does not belong to the company"
                ))
            }
        })
        .collect()
}

/// A MoeGo API error seen by the operator: the same meaning in the operator's error shape.
fn from_status(status: moapi_core::Status) -> OperatorError {
    use moapi_core::Code;
    let message = status.message().to_string();
    match status.code() {
        Code::InvalidArgument | Code::FailedPrecondition => OperatorError::Invalid(message),
        Code::NotFound => OperatorError::NotFound(message),
        Code::AlreadyExists => OperatorError::Conflict(message),
        _ => OperatorError::Internal(message),
    }
}

/// Creates a fixture customer in a company, as `POST /v1/customers` would (event included).
async fn create_customer(
    state: &AppState,
    db: &mut Conn,
    company: &company::store::CompanyRow,
    fixture: &FixtureCustomer,
    preferred_business_id: Option<i64>,
) -> Result<String> {
    use moapi_moego::customer::{self, input, store::NewCustomer};
    let mut customer = NewCustomer::new(company.id);
    customer.preferred_business_id = preferred_business_id;
    customer.first_name =
        input::name("firstName", Some(&fixture.first_name)).map_err(from_status)?;
    customer.last_name = fixture.last_name.trim().to_string();
    customer.phone =
        input::phone("phone", &fixture.phone, &company.country).map_err(from_status)?;
    customer.email = input::email("email", &fixture.email).map_err(from_status)?;
    customer.address = fixture
        .address
        .as_ref()
        .map(|address| input::address("address", address))
        .transpose()
        .map_err(from_status)?;
    let notes: Vec<input::NoteInput> = fixture
        .notes
        .iter()
        .map(|text| input::NoteInput {
            id: None,
            text: text.clone(),
        })
        .collect();
    let tags: Vec<input::TagRef> = fixture
        .tags
        .iter()
        .map(|name| input::TagRef::Name(name.clone()))
        .collect();
    let mut tx = db.begin().await?;
    let created = customer::create_in(&mut tx, state, &customer, &notes, &tags)
        .await
        .map_err(from_status)?;
    tx.commit().await?;
    Ok(created.id)
}

/// Soft-deletes a MoeGo customer, as the vendor does in its app: it keeps existing with
/// `deleted: true`, leaves the lists, and CUSTOMER_DELETED is emitted, in one transaction.
/// `reference` is the public `cus_` ID or the raw number.
pub async fn delete_moego_customer(
    state: &AppState,
    db: &mut Conn,
    reference: &str,
) -> Result<moapi_moego::customer::wire::Customer> {
    let raw = reference
        .parse::<i64>()
        .or_else(|_| state.ids.decode(IdKind::Customer, reference))
        .map_err(|_| OperatorError::Invalid(format!("{reference:?} is not a customer ID")))?;
    let mut tx = db.begin().await?;
    let deleted = moapi_moego::customer::delete_in(&mut tx, state, raw)
        .await
        .map_err(from_status)?
        .ok_or_else(|| {
            OperatorError::NotFound(format!("customer {reference} not found or already deleted"))
        })?;
    // What follows a deleted customer (its pets) is deleted here, in the same transaction.
    moapi_moego::pet::store::soft_delete_of_customer(&mut tx, &state.ids, raw).await?;
    tx.commit().await?;
    Ok(deleted)
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewCompanyRequest {
    /// The API client owning the company; a new one is created when absent.
    pub client_id: Option<i64>,
    pub name: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub timezone: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedCompany {
    pub company_id: String,
    pub raw_id: i64,
    pub client_id: i64,
}

pub async fn create_company(
    state: &AppState,
    db: &mut Conn,
    request: &NewCompanyRequest,
) -> Result<CreatedCompany> {
    if request.name.trim().is_empty() {
        return invalid("name: a company needs a name");
    }
    if let Err(message) = company::check_time_zone(&request.timezone) {
        return invalid(message);
    }
    let client_id = match request.client_id {
        Some(id) => id,
        None => {
            company::store::insert_client(db.get().await?, &request.name)
                .await?
                .0
        }
    };
    let raw_id = company::store::insert(
        db.get().await?,
        &company::store::NewCompany {
            client_id,
            name: request.name.trim(),
            country: &request.country,
            timezone_id: &request.timezone,
        },
    )
    .await
    .map_err(|err| match err {
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
            OperatorError::NotFound(format!("client {client_id} not found"))
        }
        other => other.into(),
    })?;
    Ok(CreatedCompany {
        company_id: state.ids.encode(IdKind::Company, raw_id),
        raw_id,
        client_id,
    })
}

pub async fn create_business(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    business: &NewBusiness,
) -> Result<String> {
    if business.name.trim().is_empty() {
        return invalid("name: a business needs a name");
    }
    let company = resolve_company(state, db, company).await?;
    let id = business::store::insert(db.get().await?, company.id, business).await?;
    Ok(state.ids.encode(IdKind::Business, id))
}

pub async fn create_staff(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    member: &NewStaff,
    business_refs: &[String],
) -> Result<String> {
    if member.first_name.trim().is_empty() {
        return invalid("firstName: a staff member needs a first name");
    }
    let hired_at = match &member.hired_time {
        None => None,
        Some(text) => Some(parse_instant(text).ok_or_else(|| {
            OperatorError::Invalid(format!("hiredTime: {text:?} is not an RFC 3339 timestamp"))
        })?),
    };
    let company = resolve_company(state, db, company).await?;
    let business_ids = resolve_businesses(state, db, company.id, business_refs).await?;
    let id =
        staff::store::insert(db.get().await?, company.id, member, hired_at, &business_ids).await?;
    Ok(state.ids.encode(IdKind::Staff, id))
}

pub async fn create_account(db: &mut Conn, name: &str) -> Result<i64> {
    if name.trim().is_empty() {
        return invalid("name: an account needs a name");
    }
    Ok(moapi_mogu::account::create_account(db.get().await?, name.trim()).await?)
}

pub async fn create_agent(
    db: &mut Conn,
    account_id: i64,
    email: &str,
    name: &str,
    picture_url: Option<&str>,
) -> Result<i64> {
    if !is_plausible_email(email) {
        return invalid(format!("email: {email:?} is not an email address"));
    }
    moapi_mogu::account::create_agent(db.get().await?, account_id, email, name, picture_url)
        .await
        .map_err(|err| match err {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                OperatorError::NotFound(format!("account {account_id} not found"))
            }
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                OperatorError::Conflict(format!("an agent with email {email} already exists"))
            }
            other => other.into(),
        })
}

fn is_plausible_email(email: &str) -> bool {
    let mut parts = email.split('@');
    matches!((parts.next(), parts.next(), parts.next()),
        (Some(local), Some(domain), None) if !local.is_empty() && domain.contains('.') && !email.contains(char::is_whitespace))
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MoegoKeyRequest {
    pub company: String,
    pub businesses: Vec<String>,
    pub scopes: Vec<String>,
    pub allowed_ips: Vec<String>,
    pub name: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedMoegoKey {
    pub key_id: String,
    pub company_id: String,
    pub business_ids: Vec<String>,
    pub api_key: String,
    pub authorization: String,
}

pub async fn create_moego_key(
    state: &AppState,
    db: &mut Conn,
    request: &MoegoKeyRequest,
) -> Result<IssuedMoegoKey> {
    let company = resolve_company(state, db, &request.company).await?;
    if !request.businesses.is_empty() && !request.allowed_ips.is_empty() {
        return invalid("organization (business) and IP restrictions are mutually exclusive");
    }
    if let Some(unknown) = request
        .scopes
        .iter()
        .find(|s| !moapi_moego::SCOPES.contains(&s.as_str()))
    {
        return invalid(format!(
            "unknown scope {unknown:?}; known scopes: {}",
            moapi_moego::SCOPES.join(", ")
        ));
    }
    let business_ids = resolve_businesses(state, db, company.id, &request.businesses).await?;
    let restriction = if !request.allowed_ips.is_empty() {
        let nets = request
            .allowed_ips
            .iter()
            .map(|text| {
                text.parse::<IpNet>()
                    .or_else(|_| text.parse::<std::net::IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        OperatorError::Invalid(format!("{text:?} is not an IP address or CIDR"))
                    })
            })
            .collect::<Result<Vec<_>>>()?;
        MoegoRestriction::AllowedIps(nets)
    } else if business_ids.is_empty() {
        MoegoRestriction::Company(company.id)
    } else {
        MoegoRestriction::Businesses {
            company_id: company.id,
            business_ids: business_ids.clone(),
        }
    };
    let company_id = state.ids.encode(IdKind::Company, company.id);
    let key = auth::create_moego_key(
        db.get().await?,
        &NewMoegoKey {
            name: request
                .name
                .clone()
                .unwrap_or_else(|| format!("moego key for {company_id}")),
            client_id: company.client_id,
            restriction,
            scopes: request.scopes.clone(),
        },
    )
    .await?;
    Ok(IssuedMoegoKey {
        key_id: key.id,
        company_id,
        business_ids: business_ids
            .iter()
            .map(|id| state.ids.encode(IdKind::Business, *id))
            .collect(),
        authorization: auth::moego_authorization(&key.secret),
        api_key: key.secret,
    })
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedMoguKey {
    pub key_id: String,
    pub account_id: i64,
    pub agent_email: String,
    pub api_key: String,
}

pub async fn create_mogu_key(db: &mut Conn, agent_email: &str) -> Result<IssuedMoguKey> {
    let agent = moapi_mogu::account::find_agent_by_email(db.get().await?, agent_email)
        .await?
        .ok_or_else(|| OperatorError::NotFound(format!("agent {agent_email} not found")))?;
    let key = auth::create_mogu_key(
        db.get().await?,
        &format!("mogu key for {}", agent.email),
        agent.id,
    )
    .await?;
    Ok(IssuedMoguKey {
        key_id: key.id,
        account_id: agent.account_id,
        agent_email: agent.email,
        api_key: key.secret,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct M2mClientRequest {
    pub name: Option<String>,
    pub scopes: Vec<String>,
    /// The MOGU accounts the client may act in (its grant).
    pub account_ids: Vec<i64>,
    /// The client's ID at an external identity provider (Auth0's `azp`), if its tokens come
    /// from there.
    pub external_id: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedM2mClient {
    pub client_id: String,
    pub client_secret: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub account_ids: Vec<i64>,
    pub external_id: Option<String>,
}

/// Registers a MOGU M2M client; its secret is in the answer only.
pub async fn create_m2m_client(
    db: &mut Conn,
    request: &M2mClientRequest,
) -> Result<IssuedM2mClient> {
    let known = moapi_mogu::m2m::SCOPES;
    if request.scopes.is_empty() {
        return invalid(format!("scopes: give at least one of {}", known.join(", ")));
    }
    if let Some(unknown) = request.scopes.iter().find(|s| !known.contains(&s.as_str())) {
        return invalid(format!(
            "scopes: unknown scope {unknown:?}; known scopes: {}",
            known.join(", ")
        ));
    }
    if request.account_ids.is_empty() {
        return invalid("accountIds: give at least one account the client may act in");
    }
    let mut scopes: Vec<String> = Vec::with_capacity(request.scopes.len());
    for scope in &request.scopes {
        if !scopes.contains(scope) {
            scopes.push(scope.clone());
        }
    }
    let mut account_ids = request.account_ids.clone();
    account_ids.sort_unstable();
    account_ids.dedup();
    for account_id in &account_ids {
        let (found,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mogu_accounts WHERE id = $1")
            .bind(account_id)
            .fetch_one(db.get().await?)
            .await?;
        if found == 0 {
            return Err(OperatorError::NotFound(format!(
                "account {account_id} not found"
            )));
        }
    }
    let external_id = request
        .external_id
        .as_deref()
        .map(str::trim)
        .filter(|id| !id.is_empty());
    let name = request
        .name
        .clone()
        .unwrap_or_else(|| format!("m2m client for accounts {account_ids:?}"));
    let created = moapi_core::m2m::clients::create_client(
        db.get().await?,
        &moapi_core::m2m::clients::NewClient {
            name: &name,
            scopes: &scopes,
            account_ids: &account_ids,
            external_id,
        },
    )
    .await?;
    Ok(IssuedM2mClient {
        client_id: created.client_id,
        client_secret: created.client_secret,
        name,
        scopes,
        account_ids,
        external_id: external_id.map(str::to_string),
    })
}

/// The keys a seed created, in the shape scripts read (`moapi seed --json`).
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SeedReport {
    pub moego: Vec<SeededCompany>,
    pub mogu: Vec<SeededAgent>,
    pub public_trips: Vec<SeededTrip>,
    pub public_catalogs: Vec<SeededCatalog>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SeededCompany {
    pub company_id: String,
    pub business_ids: Vec<String>,
    pub api_key: String,
    pub authorization: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SeededAgent {
    pub account_id: i64,
    pub agent_email: String,
    pub api_key: String,
}

/// A public trip a seed created, whose page is `/p/trips/{slug}`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SeededTrip {
    pub account_id: i64,
    pub trip_id: i64,
    pub slug: String,
}

/// A public catalog a seed created, whose page is `/p/catalogs/{catalogId}`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SeededCatalog {
    pub account_id: i64,
    pub catalog_id: i64,
}

/// Checks what can be checked before anything is written, so a bad file changes nothing.
fn validate(fixtures: &Fixtures) -> Result<()> {
    let mut emails = HashSet::new();
    for account in &fixtures.mogu {
        if account.agents.is_empty() && !account.trips.is_empty() {
            return invalid(format!(
                "mogu account {:?}: trips need an agent to own them",
                account.name
            ));
        }
        validate_mogu_content(account)?;
        for agent in &account.agents {
            if !is_plausible_email(&agent.email) || !emails.insert(agent.email.to_lowercase()) {
                return invalid(format!(
                    "agent email {:?} is invalid or repeated",
                    agent.email
                ));
            }
        }
    }
    for company in fixtures.moego.iter().flat_map(|o| &o.companies) {
        validate_company(company)?;
    }
    Ok(())
}

/// Block trees and catalogs: a tree is checked as `PATCH /trips/{tripId}/config` checks it,
/// and a catalog names trips of its own account by title.
fn validate_mogu_content(account: &MoguAccount) -> Result<()> {
    let context = |what: String| {
        move |err: moapi_core::MoguError| {
            OperatorError::Invalid(format!("mogu account {:?}: {what}: {err}", account.name))
        }
    };
    for trip in &account.trips {
        let mut errors = moapi_core::error::MoguValidation::default();
        moapi_mogu::trip::config::blocks::check(&trip.blocks, &mut errors);
        errors
            .finish()
            .map_err(context(format!("trip {:?} blocks", trip_title(trip))))?;
    }
    for catalog in &account.catalogs {
        let (fields, trip_ids) = moapi_mogu::catalog::new_catalog(catalog.catalog.clone())
            .map_err(context("invalid catalog".into()))?;
        if !trip_ids.is_empty() {
            return invalid(format!(
                "catalog {:?}: name trips by title in `trips`, not by tripIds",
                fields.title
            ));
        }
        if let Some(unknown) = catalog.trips.iter().find(|title| {
            !account
                .trips
                .iter()
                .any(|trip| trip_title(trip) == Some(title))
        }) {
            return invalid(format!(
                "catalog {:?}: no trip titled {unknown:?} in account {:?}",
                fields.title, account.name
            ));
        }
    }
    Ok(())
}

fn trip_title(trip: &MoguTrip) -> Option<&String> {
    match &trip.trip.0.title {
        BodyField::Value(title) => Some(title),
        _ => None,
    }
}

fn validate_company(company: &MoegoCompany) -> Result<()> {
    if let Err(message) = company::check_time_zone(&company.timezone) {
        return invalid(format!("company {:?}: {message}", company.name));
    }
    catalogs::validate_company(company)?;
    bookings::validate_company(company)?;
    memberships::validate_company(company)?;
    retail::validate_company(company)?;
    vans::validate_company(company)?;
    abandoned_bookings::validate_company(company)?;
    agreements::validate_company(company)?;
    messages::validate_company(company)?;
    reviews::validate_company(company)?;
    let names: HashSet<&str> = company.businesses.iter().map(|b| b.name.as_str()).collect();
    for member in &company.staff {
        if let Some(missing) = member
            .businesses
            .iter()
            .find(|name| !names.contains(name.as_str()))
        {
            return invalid(format!(
                "company {:?}: staff {:?} works at unknown business {missing:?}",
                company.name, member.staff.first_name
            ));
        }
        if let Some(text) = &member.staff.hired_time {
            if parse_instant(text).is_none() {
                return invalid(format!("hiredTime {text:?} is not an RFC 3339 timestamp"));
            }
        }
    }
    for customer in &company.customers {
        let context = |err: moapi_core::Status| {
            OperatorError::Invalid(format!(
                "company {:?}: customer {:?}: {}",
                company.name,
                customer.first_name,
                err.message()
            ))
        };
        use moapi_moego::customer::input;
        input::name("firstName", Some(&customer.first_name)).map_err(context)?;
        input::phone("phone", &customer.phone, &company.country).map_err(context)?;
        input::email("email", &customer.email).map_err(context)?;
        if let Some(name) = &customer.preferred_business {
            if !names.contains(name.as_str()) {
                return invalid(format!(
                    "company {:?}: customer {:?} prefers unknown business {name:?}",
                    company.name, customer.first_name
                ));
            }
        }
    }
    Ok(())
}

/// Creates everything a fixture file describes, with one key per company and per agent.
pub async fn seed(state: &AppState, db: &mut Conn, fixtures: Fixtures) -> Result<SeedReport> {
    validate(&fixtures)?;
    let mut trips_by_account = Vec::new();
    for account in &fixtures.mogu {
        let trips = account
            .trips
            .iter()
            .map(|trip| {
                moapi_mogu::trip::new_trip(trip.trip.clone()).map_err(|err| {
                    OperatorError::Invalid(format!(
                        "mogu account {:?}: invalid trip: {err}",
                        account.name
                    ))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        trips_by_account.push(trips);
    }
    let mut report = SeedReport::default();
    for organization in &fixtures.moego {
        let (client_id, _) =
            company::store::insert_client(db.get().await?, &organization.name).await?;
        for fixture in &organization.companies {
            // On SQLite, the webhook engine fans out the events this seed emits while it runs;
            // holding the write gate keeps the seed's read-then-write transactions from losing
            // their snapshot to it. Bookings go through the API handlers, which take the gate.
            let gate = db.write_gate().await;
            let created = create_company(
                state,
                db,
                &NewCompanyRequest {
                    client_id: Some(client_id),
                    name: fixture.name.clone(),
                    country: fixture.country.clone(),
                    timezone: fixture.timezone.clone(),
                },
            )
            .await?;
            let mut business_ids = Vec::new();
            for business in &fixture.businesses {
                business_ids.push(create_business(state, db, &created.company_id, business).await?);
            }
            for member in &fixture.staff {
                let refs: Vec<String> = member
                    .businesses
                    .iter()
                    .filter_map(|name| fixture.businesses.iter().position(|b| &b.name == name))
                    .map(|index| business_ids[index].clone())
                    .collect();
                create_staff(state, db, &created.company_id, &member.staff, &refs).await?;
            }
            catalogs::seed_company(state, db, &created.company_id, fixture).await?;
            let company_row = resolve_company(state, db, &created.company_id).await?;
            for customer in &fixture.customers {
                let business = match &customer.preferred_business {
                    Some(name) => fixture.businesses.iter().position(|b| &b.name == name),
                    None => (!fixture.businesses.is_empty()).then_some(0),
                };
                let business_id = business
                    .map(|index| state.ids.decode(IdKind::Business, &business_ids[index]))
                    .transpose()
                    .map_err(|_| OperatorError::Internal("a business ID just issued".into()))?;
                create_customer(state, db, &company_row, customer, business_id).await?;
            }
            pets::seed_company(state, db, &created.company_id, fixture).await?;
            booking_settings::seed_company(state, db, &created.company_id, fixture).await?;
            drop(gate);
            discounts::seed_company(state, db, &company_row, fixture).await?;
            retail::seed_company(state, db, &company_row, fixture).await?;
            bookings::seed_company(state, db, &company_row, fixture).await?;
            memberships::seed_company(state, db, &company_row, fixture).await?;
            vans::seed_company(state, db, &company_row, fixture).await?;
            abandoned_bookings::seed_company(state, db, &company_row, fixture).await?;
            agreements::seed_company(state, db, &company_row, fixture).await?;
            messages::seed_company(state, db, &company_row, fixture).await?;
            reviews::seed_company(state, db, &company_row, fixture).await?;
            let key = create_moego_key(
                state,
                db,
                &MoegoKeyRequest {
                    company: created.company_id.clone(),
                    ..Default::default()
                },
            )
            .await?;
            report.moego.push(SeededCompany {
                company_id: created.company_id,
                business_ids,
                api_key: key.api_key,
                authorization: key.authorization,
            });
        }
    }
    for (account, trips) in fixtures.mogu.iter().zip(trips_by_account) {
        let account_id = create_account(db, &account.name).await?;
        let mut agent_ids = Vec::new();
        for agent in &account.agents {
            agent_ids.push(
                create_agent(
                    db,
                    account_id,
                    &agent.email,
                    &agent.name,
                    agent.picture_url.as_deref(),
                )
                .await?,
            );
            let key = create_mogu_key(db, &agent.email).await?;
            report.mogu.push(SeededAgent {
                account_id,
                agent_email: key.agent_email,
                api_key: key.api_key,
            });
        }
        if let Some(owner) = agent_ids.first() {
            let mut trip_ids = Vec::new();
            for (fixture, trip) in account.trips.iter().zip(trips) {
                let trip_id = moapi_mogu::trip::store::insert_trip(
                    db.get().await?,
                    account_id,
                    *owner,
                    &trip,
                )
                .await?;
                if !fixture.blocks.is_empty() {
                    save_blocks(db, trip_id, &fixture.blocks).await?;
                }
                if trip.is_public {
                    report.public_trips.push(SeededTrip {
                        account_id,
                        trip_id,
                        slug: public_slug(db, account_id, trip_id).await?,
                    });
                }
                trip_ids.push(trip_id);
            }
            for catalog in &account.catalogs {
                let catalog_id = seed_catalog(db, account_id, account, &trip_ids, catalog).await?;
                if catalog.is_public {
                    report.public_catalogs.push(SeededCatalog {
                        account_id,
                        catalog_id,
                    });
                }
            }
        }
    }
    Ok(report)
}

/// Gives a new trip its block tree through the config store, as a PATCH of `blocks` would.
async fn save_blocks(db: &mut Conn, trip_id: i64, blocks: &[Block]) -> Result<()> {
    use moapi_mogu::trip::config::{self, store::Saved};
    let conn = db.get().await?;
    let mut stored = config::store::load_stored(&mut *conn, trip_id, None)
        .await?
        .ok_or_else(|| OperatorError::Internal("a trip just created".into()))?;
    stored.config.blocks = blocks.to_vec();
    config::validate(&stored.config)
        .map_err(|err| OperatorError::Invalid(format!("trip {trip_id}: invalid config: {err}")))?;
    match config::store::save(&mut *conn, trip_id, &stored.config, Some(stored.revision)).await? {
        Saved::Written(_) => Ok(()),
        Saved::Stale | Saved::NoTrip => Err(OperatorError::Internal(format!(
            "trip {trip_id} changed while seeding its config"
        ))),
    }
}

async fn public_slug(db: &mut Conn, account_id: i64, trip_id: i64) -> Result<String> {
    moapi_mogu::trip::store::find_trip(db.get().await?, account_id, trip_id)
        .await?
        .map(|trip| trip.slug)
        .ok_or_else(|| OperatorError::Internal("a trip just created".into()))
}

/// Creates a catalog of the account's trips `trip_ids` (in fixture order), named by title.
async fn seed_catalog(
    db: &mut Conn,
    account_id: i64,
    account: &MoguAccount,
    trip_ids: &[i64],
    catalog: &MoguCatalog,
) -> Result<i64> {
    let (mut fields, _) = moapi_mogu::catalog::new_catalog(catalog.catalog.clone())
        .map_err(|err| OperatorError::Invalid(format!("invalid catalog: {err}")))?;
    fields.is_public = catalog.is_public;
    let held: Vec<i64> = account
        .trips
        .iter()
        .zip(trip_ids)
        .filter(|(trip, _)| trip_title(trip).is_some_and(|title| catalog.trips.contains(title)))
        .map(|(_, id)| *id)
        .collect();
    moapi_mogu::catalog::store::insert_catalog(db.get().await?, account_id, &fields, &held)
        .await
        .map_err(|err| match err {
            CatalogWriteError::UnknownTrips(ids) => {
                OperatorError::Internal(format!("trips {ids:?} just created are unknown"))
            }
            CatalogWriteError::Database(err) => err.into(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked() {
        assert!(is_plausible_email("ana@wanderlust.example"));
        for bad in [
            "",
            "ana",
            "ana@",
            "@x.io",
            "a@b@c.io",
            "a b@c.io",
            "ana@localhost",
        ] {
            assert!(!is_plausible_email(bad), "{bad}");
        }
    }

    #[test]
    fn mogu_block_trees_and_catalogs_are_checked_before_writing() {
        let account = |extra: &str| {
            Fixtures::parse(&format!(
                "mogu:\n- name: a\n  agents: [{{email: a@a.example}}]\n  trips:\n  - {{title: T, blocks: [{{id: x, type: text, children: [y]}}, {{id: y, type: text, parent: x}}]}}\n{extra}"
            ))
            .unwrap()
        };
        let refused = |fixtures: Fixtures, needle: &str| match validate(&fixtures) {
            Err(OperatorError::Invalid(message)) => {
                assert!(message.contains(needle), "{message}")
            }
            other => panic!("expected a refusal naming {needle:?}: {other:?}"),
        };
        refused(account(""), "blocks[0]");
        let valid_tree = |extra: &str| {
            let mut fixtures = account(extra);
            fixtures.mogu[0].trips[0].blocks.clear();
            fixtures
        };
        assert!(validate(&valid_tree("")).is_ok());
        refused(
            valid_tree("  catalogs: [{title: C, trips: [Nope]}]\n"),
            "Nope",
        );
        refused(
            valid_tree("  catalogs: [{title: C, tripIds: [1]}]\n"),
            "by title",
        );
        refused(valid_tree("  catalogs: [{title: \"\"}]\n"), "title");
        assert!(validate(&valid_tree(
            "  catalogs: [{title: C, trips: [T], isPublic: true}]\n"
        ))
        .is_ok());
    }

    #[test]
    fn memberships_and_subscriptions_are_checked_before_writing() {
        let company = |sections: &str| {
            Fixtures::parse(&format!(
                "moego:\n- name: o\n  companies:\n  - name: c\n    customers: [{{firstName: Ann, phone: \"+12125550001\"}}]\n    services: [{{name: Bath, price: \"20\", serviceItemType: GROOMING}}]\n{sections}"
            ))
            .unwrap()
        };
        let refused = |fixtures: Fixtures, needle: &str| match validate(&fixtures) {
            Err(OperatorError::Invalid(message)) => {
                assert!(message.contains(needle), "{message}")
            }
            other => panic!("expected a refusal naming {needle:?}: {other:?}"),
        };
        let club = "    memberships: [{name: Club, price: \"9\", billingCycle: MONTHLY, discounts: [{percentage: \"0.1\", services: [bath]}]}]\n";
        assert!(validate(&company(club)).is_ok());
        refused(
            company("    memberships: [{name: Club, price: \"9\", billingCycle: MONTHLY, discounts: [{amount: \"1\", services: [Nope]}]}]\n"),
            "unknown service \"Nope\"",
        );
        refused(
            company("    memberships: [{name: Club, price: \"9\", billingCycle: DAILY}]\n"),
            "billingCycle",
        );
        refused(
            company(&format!(
                "{club}    subscriptions: [{{customer: Bo, membership: Club, day: -1}}]\n"
            )),
            "unknown customer",
        );
        refused(
            company(&format!(
                "{club}    subscriptions: [{{customer: Ann, membership: Gold, day: -1}}]\n"
            )),
            "unknown membership",
        );
        refused(
            company(&format!("{club}    subscriptions: [{{customer: Ann, membership: Club, day: -1, cancelledDay: -2}}]\n")),
            "cancelledDay",
        );
    }

    #[test]
    fn staff_must_work_at_known_businesses() {
        let fixtures = Fixtures::parse(
            "moego:\n- name: o\n  companies:\n  - name: c\n    businesses: [{name: b}]\n    staff: [{firstName: s, businesses: [nope]}]\n",
        )
        .unwrap();
        assert!(matches!(
            validate(&fixtures),
            Err(OperatorError::Invalid(_))
        ));
    }
}
