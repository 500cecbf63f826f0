//! LeadService's wire types, field for field as the vendor swagger defines them.

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::business::wire::Address;
use crate::pet::wire::{Pet, PetInput};
use crate::wire::is_false;

/// `v1Lead`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Lead)]
pub struct Lead {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub first_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub last_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub avatar: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub phone: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pets: Vec<Pet>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub preferred_business_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub allocate_staff_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub life_cycle: Option<LifeCycle>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_status: Option<ActionStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referral_source: Option<LeadReferralSource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub created_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub last_updated_time: Option<String>,
    pub company_id: String,
}

/// `v1LifeCycle` (a company setting).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1LifeCycle)]
pub struct LifeCycle {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "is_false")]
    pub is_default: bool,
}

/// `v1ActionStatus` (a company setting).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = v1ActionStatus)]
pub struct ActionStatus {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub color: String,
}

/// `v1ReferralSource` as a lead carries it: kept as the client sent it, since referral
/// sources are a settings list moapi does not hold yet.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[schema(as = v1LeadReferralSource)]
pub struct LeadReferralSource {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// A company setting named by ID (`{"id": "llc_..."}`); its other fields are the setting's.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[schema(as = v1SettingRef)]
pub struct SettingRef {
    #[serde(default)]
    pub id: String,
}

/// A lead as a client writes it. Every field is optional so that a PUT keeps what it does not
/// name; `null` counts as absent. Output-only fields (`id`, times) are not read.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1LeadInput)]
pub struct LeadInput {
    #[serde(default, alias = "first_name")]
    pub first_name: Option<String>,
    #[serde(default, alias = "last_name")]
    pub last_name: Option<String>,
    #[serde(default)]
    pub avatar: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub address: Option<Address>,
    #[serde(default)]
    pub pets: Option<Vec<PetInput>>,
    #[serde(default, alias = "preferred_business_id")]
    pub preferred_business_id: Option<String>,
    #[serde(default, alias = "allocate_staff_id")]
    pub allocate_staff_id: Option<String>,
    #[serde(default, alias = "life_cycle")]
    pub life_cycle: Option<SettingRef>,
    #[serde(default, alias = "action_status")]
    pub action_status: Option<SettingRef>,
    #[serde(default, alias = "referral_source")]
    pub referral_source: Option<LeadReferralSource>,
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = v1CreateLeadRequest)]
pub struct CreateLeadRequest {
    pub lead: Option<LeadInput>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = LeadServiceUpdateLeadBody)]
pub struct UpdateLeadBody {
    pub lead: Option<LeadInput>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListLeadsRequest)]
pub struct ListLeadsRequest {
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default)]
    pub filter: Option<ListLeadsFilter>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListLeadsRequestFilter)]
pub struct ListLeadsFilter {
    #[serde(default, alias = "life_cycle_id")]
    pub life_cycle_id: Option<String>,
    #[serde(default, alias = "action_status_id")]
    pub action_status_id: Option<String>,
    #[serde(default, alias = "main_phone_number")]
    pub main_phone_number: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListLeadsResponse)]
pub struct ListLeadsResponse {
    pub next_page_token: String,
    pub leads: Vec<Lead>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = v1PromoteLeadRequest)]
pub struct PromoteLeadRequest {
    #[serde(default)]
    pub id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = v1PromoteLeadResponse)]
pub struct PromoteLeadResponse {
    /// The new customer in the lead swagger's `v1Customer`, which predates `rawId`,
    /// `deleted`, `complianceConfig` and `customFields` (docs/compatibility.md).
    #[schema(value_type = Object)]
    pub customer: serde_json::Value,
}
