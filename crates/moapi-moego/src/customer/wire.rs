//! CustomerService's wire types, field for field as the vendor swagger defines them. Output
//! leaves defaults out (protojson); optional request fields are `Option` so that a PUT can tell
//! "absent, keep the value" from "present, replace it".

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::business::wire::Address;
use crate::wire::{is_false, Interval};

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Customer)]
pub struct Customer {
    pub id: String,
    #[serde(with = "moapi_core::wire::int64")]
    #[schema(value_type = String, format = Int64)]
    pub raw_id: i64,
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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<Address>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<CustomerStatus>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub color_code: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub last_appointment_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub next_appointment_date: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub created_by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub created_time: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub last_updated_by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub last_updated_time: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub preferred_business_id: String,
    pub company_id: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<CustomerNote>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<CustomerTag>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referral_source: Option<ReferralSource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preference: Option<Preference>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub upcoming_appointments_url: String,
    #[serde(skip_serializing_if = "is_false")]
    pub deleted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compliance_config: Option<ComplianceConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub custom_fields: Option<serde_json::Value>,
}

/// `v1CustomerStatus`; the unspecified value is never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[schema(as = v1CustomerStatus)]
pub enum CustomerStatus {
    StatusUnspecified,
    Active,
    Inactive,
}

impl CustomerStatus {
    pub fn name(self) -> &'static str {
        match self {
            CustomerStatus::StatusUnspecified => "STATUS_UNSPECIFIED",
            CustomerStatus::Active => "ACTIVE",
            CustomerStatus::Inactive => "INACTIVE",
        }
    }

    pub fn from_name(name: &str) -> Option<CustomerStatus> {
        match name {
            "ACTIVE" => Some(CustomerStatus::Active),
            "INACTIVE" => Some(CustomerStatus::Inactive),
            _ => None,
        }
    }
}

/// `v1CustomerNote`: output, and the shape of notes in create/update/append bodies (where only
/// `note`, and for an update `id`, are read).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1CustomerNote)]
pub struct CustomerNote {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(
        default,
        alias = "last_updated_by",
        skip_serializing_if = "String::is_empty"
    )]
    pub last_updated_by: String,
    #[serde(
        default,
        alias = "last_updated_time",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(format = DateTime)]
    pub last_updated_time: Option<String>,
}

/// `v1CustomerTag`: output, and in request bodies a tag named by `id` (one of the company's
/// tags) or by `name` (created in the company on first use).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1CustomerTag)]
pub struct CustomerTag {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(
        default,
        alias = "last_updated_by",
        skip_serializing_if = "String::is_empty"
    )]
    pub last_updated_by: String,
    #[serde(
        default,
        alias = "last_updated_time",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(format = DateTime)]
    pub last_updated_time: Option<String>,
}

/// `v1ReferralSource`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ReferralSource)]
pub struct ReferralSource {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// `CustomerPreference` (output: false values are left out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = CustomerPreference)]
pub struct Preference {
    #[serde(skip_serializing_if = "is_false")]
    pub receive_auto_message: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub receive_auto_email: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub subscribe_to_marketing_emails: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub receive_appointment_reminder: bool,
}

impl Default for Preference {
    /// The defaults the swagger states for each field.
    fn default() -> Self {
        Preference {
            receive_auto_message: true,
            receive_auto_email: true,
            subscribe_to_marketing_emails: false,
            receive_appointment_reminder: true,
        }
    }
}

/// `CustomerPreference` in a create body: an absent field takes its documented default.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PreferenceInput {
    #[serde(default, alias = "receive_auto_message")]
    pub receive_auto_message: Option<bool>,
    #[serde(default, alias = "receive_auto_email")]
    pub receive_auto_email: Option<bool>,
    #[serde(default, alias = "subscribe_to_marketing_emails")]
    pub subscribe_to_marketing_emails: Option<bool>,
    #[serde(default, alias = "receive_appointment_reminder")]
    pub receive_appointment_reminder: Option<bool>,
}

/// `v1ComplianceChannel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[schema(as = v1ComplianceChannel)]
pub enum ComplianceChannel {
    ComplianceChannelUnspecified,
    ComplianceChannelSms,
    ComplianceChannelEmail,
    ComplianceChannelAutoCall,
}

/// `v1CustomerComplianceConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1CustomerComplianceConfig)]
pub struct ComplianceConfig {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_related_channels: Vec<ComplianceChannel>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marketing_campaigns_channels: Vec<ComplianceChannel>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub branded_app_enabled: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_agreed_marketing_policy: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_consented: bool,
}

/// `v1CustomerComplianceConfigUpdateDef`: every field optional, a present one replaces.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1CustomerComplianceConfigUpdateDef)]
pub struct ComplianceConfigUpdate {
    #[serde(default, alias = "service_related_channels")]
    pub service_related_channels: Option<ChannelListUpdate>,
    #[serde(default, alias = "marketing_campaigns_channels")]
    pub marketing_campaigns_channels: Option<ChannelListUpdate>,
    #[serde(default, alias = "branded_app_enabled")]
    pub branded_app_enabled: Option<bool>,
    #[serde(default, alias = "is_agreed_marketing_policy")]
    pub is_agreed_marketing_policy: Option<bool>,
    #[serde(default, alias = "is_consented")]
    pub is_consented: Option<bool>,
}

/// `CustomerComplianceConfigUpdateDefComplianceChannelListUpdateDef`: an empty list clears.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[schema(as = CustomerComplianceConfigUpdateDefComplianceChannelListUpdateDef)]
pub struct ChannelListUpdate {
    #[serde(default)]
    pub channels: Vec<ComplianceChannel>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1CreateCustomerRequest)]
pub struct CreateCustomerRequest {
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default, alias = "preferred_business_id")]
    pub preferred_business_id: Option<String>,
    #[serde(default, alias = "first_name")]
    pub first_name: Option<String>,
    #[serde(default, alias = "last_name")]
    pub last_name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub address: Option<Address>,
    #[serde(default)]
    pub preference: Option<PreferenceInput>,
    #[serde(default)]
    pub tags: Vec<CustomerTag>,
    #[serde(default)]
    pub notes: Vec<CustomerNote>,
    #[serde(default, alias = "compliance_config")]
    pub compliance_config: Option<ComplianceConfigUpdate>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = CustomerServiceUpdateCustomerBody)]
pub struct UpdateCustomerBody {
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default, alias = "preferred_business_id")]
    pub preferred_business_id: Option<String>,
    #[serde(default, alias = "avatar_path")]
    pub avatar_path: Option<String>,
    #[serde(default, alias = "first_name")]
    pub first_name: Option<String>,
    #[serde(default, alias = "last_name")]
    pub last_name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub address: Option<Address>,
    #[serde(default)]
    pub tags: Vec<CustomerTag>,
    #[serde(default)]
    pub notes: Vec<CustomerNote>,
    #[serde(default, alias = "compliance_config")]
    pub compliance_config: Option<ComplianceConfigUpdate>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListCustomersRequest)]
pub struct ListCustomersRequest {
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default)]
    pub filter: Option<ListCustomersFilter>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListCustomersRequestFilter)]
pub struct ListCustomersFilter {
    #[serde(default, alias = "last_updated_time")]
    pub last_updated_time: Option<Interval>,
    #[serde(default, alias = "main_phone_number")]
    pub main_phone_number: Option<String>,
    /// Not in the swagger: lists leave soft-deleted customers out unless this is true
    /// (docs/compatibility.md).
    #[serde(default, alias = "include_deleted")]
    #[schema(ignore)]
    pub include_deleted: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListCustomersResponse)]
pub struct ListCustomersResponse {
    pub next_page_token: String,
    pub customers: Vec<Customer>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(as = CustomerServiceAppendCustomerNotesBody)]
pub struct AppendCustomerNotesBody {
    #[serde(default)]
    pub notes: Vec<CustomerNote>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = v1AppendCustomerNotesResponse)]
pub struct AppendCustomerNotesResponse {
    pub notes: Vec<CustomerNote>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(as = CustomerServiceListCustomerNotesBody)]
pub struct ListCustomerNotesBody {
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListCustomerNotesResponse)]
pub struct ListCustomerNotesResponse {
    pub next_page_token: String,
    pub notes: Vec<CustomerNote>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(as = CustomerServiceUpdateCustomerNoteBody)]
pub struct UpdateCustomerNoteBody {
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = v1UpdateCustomerNoteResponse)]
pub struct UpdateCustomerNoteResponse {
    pub note: CustomerNote,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = v1DeleteCustomerNoteResponse)]
pub struct DeleteCustomerNoteResponse {}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(as = CustomerServiceAppendCustomerTagsBody)]
pub struct AppendCustomerTagsBody {
    #[serde(default)]
    pub tags: Vec<CustomerTag>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = v1AppendCustomerTagsResponse)]
pub struct AppendCustomerTagsResponse {
    pub tags: Vec<CustomerTag>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(as = v1CustomerServiceListCustomerTagsBody)]
pub struct ListCustomerTagsBody {}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = businesscustomerv1ListCustomerTagsResponse)]
pub struct ListCustomerTagsResponse {
    pub tags: Vec<CustomerTag>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = v1GenCustomerCofLinkResponse)]
pub struct GenCustomerCofLinkResponse {
    pub link: String,
}
