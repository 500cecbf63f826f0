//! Storage of leads and of the company settings they refer to (life cycles, action statuses).
//! A lead's pets are kept as JSON on the lead until promotion turns them into pets.

use moapi_core::db::{build, query_as_with};
use moapi_core::pagination::Page;
use moapi_core::time::{now_micros, protojson_timestamp};
use moapi_core::{IdCodec, IdKind};
use sea_query::{Alias, Expr, Order, Query, SelectStatement};
use sqlx::AnyConnection;

use super::wire::{ActionStatus, Lead, LeadReferralSource, LifeCycle};
use crate::business::wire::Address;
use crate::pet::input::PetValues;
use crate::pet::store::values_to_wire;
use crate::pet::wire::PetInput;
use crate::setting::catalog::store as catalog;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LeadRow {
    pub id: i64,
    pub company_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub avatar: String,
    pub phone: String,
    pub email: String,
    pub address: Option<String>,
    pub pets: String,
    pub preferred_business_id: Option<i64>,
    pub allocate_staff_id: Option<i64>,
    pub life_cycle_id: Option<i64>,
    pub life_cycle_name: Option<String>,
    pub life_cycle_is_default: Option<i64>,
    pub action_status_id: Option<i64>,
    pub action_status_name: Option<String>,
    pub action_status_color: Option<String>,
    /// What leads written before migration 0019 were given, as sent (`{id, name}` JSON).
    pub referral_source: Option<String>,
    pub referral_source_id: Option<i64>,
    pub referral_source_name: Option<String>,
    pub customer_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A lead's writable fields, validated (phone in E.164, references in the lead's company).
#[derive(Debug, Clone, Default)]
pub struct LeadValues {
    pub first_name: String,
    pub last_name: String,
    pub avatar: String,
    pub phone: String,
    pub email: String,
    pub address: Option<Address>,
    /// The pets as the client described them, each valid by the pet rules.
    pub pets: Vec<PetInput>,
    pub preferred_business_id: Option<i64>,
    pub allocate_staff_id: Option<i64>,
    pub life_cycle_id: Option<i64>,
    pub action_status_id: Option<i64>,
    /// An entry of the company's referral sources.
    pub referral_source_id: Option<i64>,
    /// The source a lead written before migration 0019 was given, kept until one is chosen.
    pub sent_referral_source: Option<LeadReferralSource>,
}

/// Leads belong to the company: a key restricted to some businesses reaches them all.
impl crate::access::Owned for LeadRow {
    fn company_id(&self) -> i64 {
        self.company_id
    }

    fn business_id(&self) -> Option<i64> {
        None
    }
}

impl LeadRow {
    pub fn is_promoted(&self) -> bool {
        self.customer_id.is_some()
    }

    pub fn address(&self) -> Option<Address> {
        self.address
            .as_deref()
            .and_then(|text| serde_json::from_str(text).ok())
    }

    pub fn pets(&self) -> Vec<PetInput> {
        serde_json::from_str::<Vec<serde_json::Value>>(&self.pets)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|pet| serde_json::from_value(pet).ok())
            .collect()
    }

    /// The stored fields as the input rules know them (the base of a partial update).
    pub fn values(&self) -> LeadValues {
        LeadValues {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            avatar: self.avatar.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            address: self.address(),
            pets: self.pets(),
            preferred_business_id: self.preferred_business_id,
            allocate_staff_id: self.allocate_staff_id,
            life_cycle_id: self.life_cycle_id,
            action_status_id: self.action_status_id,
            referral_source_id: self.referral_source_id,
            sent_referral_source: self.sent_referral_source(),
        }
    }

    fn sent_referral_source(&self) -> Option<LeadReferralSource> {
        self.referral_source
            .as_deref()
            .and_then(|text| serde_json::from_str(text).ok())
    }

    /// The lead's referral source: its catalog entry (with the entry's current name), else
    /// what it was given before migration 0019.
    pub fn referral_source(&self, ids: &IdCodec) -> Option<LeadReferralSource> {
        match self.referral_source_id {
            Some(id) => Some(LeadReferralSource {
                id: ids.encode(IdKind::ReferralSource, id),
                name: self.referral_source_name.clone().unwrap_or_default(),
            }),
            None => self.sent_referral_source(),
        }
    }

    pub fn to_wire(&self, ids: &IdCodec) -> Lead {
        let values = self.values();
        Lead {
            id: ids.encode(IdKind::Lead, self.id),
            first_name: values.first_name,
            last_name: values.last_name,
            avatar: values.avatar,
            phone: values.phone,
            email: values.email,
            address: values.address,
            pets: values
                .pets
                .iter()
                .filter_map(stored_pet_values)
                .map(|pet| values_to_wire(&pet))
                .collect(),
            preferred_business_id: self
                .preferred_business_id
                .map(|id| ids.encode(IdKind::Business, id))
                .unwrap_or_default(),
            allocate_staff_id: self
                .allocate_staff_id
                .map(|id| ids.encode(IdKind::Staff, id))
                .unwrap_or_default(),
            life_cycle: self.life_cycle_id.map(|id| LifeCycle {
                id: ids.encode(IdKind::LeadLifeCycle, id),
                name: self.life_cycle_name.clone().unwrap_or_default(),
                is_default: self.life_cycle_is_default.unwrap_or(0) != 0,
            }),
            action_status: self.action_status_id.map(|id| ActionStatus {
                id: ids.encode(IdKind::LeadActionStatus, id),
                name: self.action_status_name.clone().unwrap_or_default(),
                color: self.action_status_color.clone().unwrap_or_default(),
            }),
            referral_source: self.referral_source(ids),
            created_time: Some(protojson_timestamp(self.created_at)),
            last_updated_time: Some(protojson_timestamp(self.updated_at)),
            company_id: ids.encode(IdKind::Company, self.company_id),
        }
    }
}

fn select_leads() -> SelectStatement {
    let lead = Alias::new("l");
    let mut select = Query::select();
    select
        .columns(
            [
                "id",
                "company_id",
                "first_name",
                "last_name",
                "avatar",
                "phone",
                "email",
                "address",
                "pets",
                "preferred_business_id",
                "allocate_staff_id",
                "life_cycle_id",
                "action_status_id",
                "referral_source",
                "referral_source_id",
                "customer_id",
                "created_at",
                "updated_at",
            ]
            .map(|column| (lead.clone(), Alias::new(column))),
        )
        .expr_as(
            Expr::col((Alias::new("c"), Alias::new("name"))),
            Alias::new("life_cycle_name"),
        )
        .expr_as(
            Expr::col((Alias::new("c"), Alias::new("is_default"))),
            Alias::new("life_cycle_is_default"),
        )
        .expr_as(
            Expr::col((Alias::new("a"), Alias::new("name"))),
            Alias::new("action_status_name"),
        )
        .expr_as(
            Expr::col((Alias::new("a"), Alias::new("color"))),
            Alias::new("action_status_color"),
        )
        .expr_as(
            Expr::col((Alias::new("r"), Alias::new("name"))),
            Alias::new("referral_source_name"),
        )
        .from_as(Alias::new("moego_leads"), lead.clone())
        .left_join(
            sea_query::TableRef::TableAlias(
                sea_query::SeaRc::new(Alias::new("moego_lead_life_cycles")),
                sea_query::SeaRc::new(Alias::new("c")),
            ),
            Expr::col((Alias::new("c"), Alias::new("id")))
                .equals((lead.clone(), Alias::new("life_cycle_id"))),
        )
        .left_join(
            sea_query::TableRef::TableAlias(
                sea_query::SeaRc::new(Alias::new("moego_lead_action_statuses")),
                sea_query::SeaRc::new(Alias::new("a")),
            ),
            Expr::col((Alias::new("a"), Alias::new("id")))
                .equals((lead.clone(), Alias::new("action_status_id"))),
        )
        .left_join(
            sea_query::TableRef::TableAlias(
                sea_query::SeaRc::new(Alias::new("moego_referral_sources")),
                sea_query::SeaRc::new(Alias::new("r")),
            ),
            Expr::col((Alias::new("r"), Alias::new("id")))
                .equals((lead, Alias::new("referral_source_id"))),
        );
    select
}

fn lead_column(name: &str) -> Expr {
    Expr::col((Alias::new("l"), Alias::new(name)))
}

pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<LeadRow>, sqlx::Error> {
    let mut select = select_leads();
    select.and_where(lead_column("id").eq(id));
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_optional(conn).await
}

/// What `leads:list` selects, already validated.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub company_id: i64,
    pub life_cycle_id: Option<i64>,
    pub action_status_id: Option<i64>,
    /// E.164.
    pub phone: Option<String>,
}

/// A company's leads not yet promoted, by ID, one row beyond the page.
pub async fn list(
    conn: &mut AnyConnection,
    query: &ListQuery,
    page: Page,
) -> Result<Vec<LeadRow>, sqlx::Error> {
    let mut select = select_leads();
    select
        .and_where(lead_column("company_id").eq(query.company_id))
        .and_where(lead_column("customer_id").is_null())
        .order_by((Alias::new("l"), Alias::new("id")), Order::Asc)
        .limit(page.fetch_limit() as u64)
        .offset(page.offset() as u64);
    if let Some(id) = query.life_cycle_id {
        select.and_where(lead_column("life_cycle_id").eq(id));
    }
    if let Some(id) = query.action_status_id {
        select.and_where(lead_column("action_status_id").eq(id));
    }
    if let Some(phone) = &query.phone {
        select.and_where(lead_column("phone").eq(phone.as_str()));
    }
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_all(conn).await
}

/// A stored lead pet's fields. They were validated on write and the vet's phone is already
/// E.164, which reads the same in any country.
fn stored_pet_values(pet: &PetInput) -> Option<PetValues> {
    PetValues::from_input("pet", pet, "").ok()
}

fn address_json(address: &Option<Address>) -> Option<String> {
    address
        .as_ref()
        .map(|address| serde_json::to_string(address).unwrap_or_default())
}

fn pets_json(pets: &[PetInput]) -> String {
    let pets: Vec<serde_json::Value> = pets.iter().map(pet_input_json).collect();
    serde_json::Value::Array(pets).to_string()
}

/// A lead pet as stored: the fields PetInput reads back.
fn pet_input_json(pet: &PetInput) -> serde_json::Value {
    let values = stored_pet_values(pet);
    let mut json = values
        .map(|values| serde_json::to_value(values_to_wire(&values)).unwrap_or_default())
        .unwrap_or_default();
    // Codes and notes a lead's pet names go with it to promotion.
    if let Some(object) = json.as_object_mut() {
        object.insert(
            "petCodes".into(),
            pet.pet_codes
                .iter()
                .map(|code| serde_json::json!({ "id": code.id }))
                .collect(),
        );
        object.insert(
            "notes".into(),
            pet.notes
                .iter()
                .map(|note| serde_json::json!({ "content": note.content }))
                .collect(),
        );
    }
    json
}

pub async fn insert(
    conn: &mut AnyConnection,
    company_id: i64,
    values: &LeadValues,
) -> Result<i64, sqlx::Error> {
    let now = now_micros();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_leads (company_id, created_at, updated_at) VALUES ($1, $2, $2) \
         RETURNING id",
    )
    .bind(company_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    update(conn, id, values).await?;
    Ok(id)
}

/// Replaces a lead's writable fields (the caller merged the PUT into the stored values).
pub async fn update(
    conn: &mut AnyConnection,
    id: i64,
    values: &LeadValues,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE moego_leads SET first_name = $2, last_name = $3, avatar = $4, phone = $5, \
         email = $6, address = $7, pets = $8, preferred_business_id = $9, allocate_staff_id = $10, \
         life_cycle_id = $11, action_status_id = $12, referral_source = $13, updated_at = $14, \
         referral_source_id = $15 WHERE id = $1",
    )
    .bind(id)
    .bind(&values.first_name)
    .bind(&values.last_name)
    .bind(&values.avatar)
    .bind(&values.phone)
    .bind(&values.email)
    .bind(address_json(&values.address))
    .bind(pets_json(&values.pets))
    .bind(values.preferred_business_id)
    .bind(values.allocate_staff_id)
    .bind(values.life_cycle_id)
    .bind(values.action_status_id)
    .bind(
        values
            .sent_referral_source
            .as_ref()
            .map(|source| serde_json::to_string(source).unwrap_or_default()),
    )
    .bind(now_micros())
    .bind(values.referral_source_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Claims a lead for promotion: true for the one caller that got it, false when it was
/// promoted already. On PostgreSQL the row stays locked until the caller's transaction ends,
/// so a concurrent promotion waits and then sees it taken.
pub async fn claim_for_promotion(conn: &mut AnyConnection, id: i64) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE moego_leads SET promoted_at = $2 WHERE id = $1 AND promoted_at IS NULL",
    )
    .bind(id)
    .bind(now_micros())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn set_customer(
    conn: &mut AnyConnection,
    id: i64,
    customer_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE moego_leads SET customer_id = $2 WHERE id = $1")
        .bind(id)
        .bind(customer_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The company's referral source of that exact name.
pub async fn referral_source_named(
    conn: &mut AnyConnection,
    company_id: i64,
    name: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM moego_referral_sources WHERE company_id = $1 AND name = $2")
            .bind(company_id)
            .bind(name)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(id,)| id))
}

/// The company of a setting row a lead names by ID (life cycle, action status or referral
/// source).
pub async fn setting_company(
    conn: &mut AnyConnection,
    table: SettingTable,
    id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let sql = format!("SELECT company_id FROM {} WHERE id = $1", table.name());
    let row: Option<(i64,)> = sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?;
    Ok(row.map(|(company_id,)| company_id))
}

/// The company settings a lead names by ID.
#[derive(Debug, Clone, Copy)]
pub enum SettingTable {
    LifeCycles,
    ActionStatuses,
    ReferralSources,
}

impl SettingTable {
    fn name(self) -> &'static str {
        match self {
            SettingTable::LifeCycles => "moego_lead_life_cycles",
            SettingTable::ActionStatuses => "moego_lead_action_statuses",
            SettingTable::ReferralSources => "moego_referral_sources",
        }
    }
}

pub async fn insert_life_cycle(
    conn: &mut AnyConnection,
    company_id: i64,
    name: &str,
    is_default: bool,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_lead_life_cycles (company_id, name, is_default) VALUES ($1, $2, $3) \
         RETURNING id",
    )
    .bind(company_id)
    .bind(name)
    .bind(i64::from(is_default))
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Replaces a life cycle stage's name and default flag (its leads show them); false when the
/// company has no such stage.
pub async fn update_life_cycle(
    conn: &mut AnyConnection,
    company_id: i64,
    id: i64,
    name: &str,
    is_default: bool,
) -> Result<bool, sqlx::Error> {
    let columns = vec![
        ("name", name.into()),
        ("is_default", i64::from(is_default).into()),
    ];
    let table = SettingTable::LifeCycles.name();
    catalog::update_entry(conn, table, (company_id, id), columns).await
}

/// Replaces an action status's name and colour; false when the company has no such status.
pub async fn update_action_status(
    conn: &mut AnyConnection,
    company_id: i64,
    id: i64,
    name: &str,
    color: &str,
) -> Result<bool, sqlx::Error> {
    let columns = vec![("name", name.into()), ("color", color.into())];
    let table = SettingTable::ActionStatuses.name();
    catalog::update_entry(conn, table, (company_id, id), columns).await
}

pub async fn insert_action_status(
    conn: &mut AnyConnection,
    company_id: i64,
    name: &str,
    color: &str,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_lead_action_statuses (company_id, name, color) VALUES ($1, $2, $3) \
         RETURNING id",
    )
    .bind(company_id)
    .bind(name)
    .bind(color)
    .fetch_one(conn)
    .await?;
    Ok(id)
}
