//! SettingService's catalog wire types, field for field as the vendor swagger defines them.
//! Entries shared with other resources (customer tags, pet codes, lead life cycles and action
//! statuses, referral sources, weights) reuse those resources' types.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::customer::wire::{CustomerTag, ReferralSource};
use crate::lead::wire::{ActionStatus, LifeCycle};
use crate::money::Money;
use crate::pet::wire::{PetCode, Weight};
use crate::wire::is_false;

/// The request of every catalog list but custom fields: no fields.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[schema(as = SettingServiceListCatalogBody)]
pub struct ListCatalogBody {}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = SettingServiceListCustomFieldsBody)]
pub struct ListCustomFieldsBody {
    #[serde(default)]
    pub filter: Option<ListCustomFieldsFilter>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListCustomFieldsRequestFilter)]
pub struct ListCustomFieldsFilter {
    #[serde(default, alias = "association_types")]
    pub association_types: Vec<AssociationType>,
}

/// `CustomFieldAssociationType`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[schema(as = CustomFieldAssociationType)]
pub enum AssociationType {
    #[default]
    AssociationTypeUnspecified,
    Customer,
    Lead,
}

/// `v1CustomFieldType`: what a field's values are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[schema(as = v1CustomFieldType)]
pub enum CustomFieldType {
    #[default]
    TypeUnspecified,
    ShortText,
    LongText,
    Number,
    Date,
    Boolean,
    Select,
    MultiSelect,
    Relation,
    Money,
    Time,
    Datetime,
    Group,
}

/// `v1CustomFieldSource`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[schema(as = v1CustomFieldSource)]
pub enum CustomFieldSource {
    #[default]
    SourceUnspecified,
    Custom,
    System,
}

/// The stored name of a wire enum (its protojson name).
pub fn enum_name<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|name| name.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A stored enum name read back; an unknown one is the type's unspecified default.
pub fn from_enum_name<T: serde::de::DeserializeOwned + Default>(name: &str) -> T {
    serde_json::from_value(serde_json::Value::from(name)).unwrap_or_default()
}

/// protojson int64 in an optional oneof member: a string on output, a string or a number in.
mod opt_int64 {
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<i64>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.collect_str(value),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<i64>, D::Error> {
        moapi_core::wire::int64::deserialize(deserializer).map(Some)
    }
}

/// `v1CustomFieldValue`, a oneof: exactly one member is set, and a set member is written even
/// when it holds its type's default (protojson writes a set oneof member). moapi keeps no
/// `relation` defaults (see docs/compatibility.md), so that member is not read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = v1CustomFieldValue)]
pub struct CustomFieldValue {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub string: Option<String>,
    #[serde(
        default,
        alias = "double_value",
        skip_serializing_if = "Option::is_none"
    )]
    pub double_value: Option<f64>,
    #[serde(default, with = "opt_int64", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub int64: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bool: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub money: Option<Money>,
    #[serde(
        default,
        alias = "timestamp_time",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(format = DateTime)]
    pub timestamp_time: Option<String>,
    #[serde(
        default,
        alias = "string_list",
        skip_serializing_if = "Option::is_none"
    )]
    pub string_list: Option<StringList>,
    #[serde(
        default,
        alias = "time_of_day",
        skip_serializing_if = "Option::is_none"
    )]
    pub time_of_day: Option<TimeOfDay>,
}

/// `ValueStringList`: a multi-select's values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ValueStringList)]
pub struct StringList {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// `google.type.TimeOfDay`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = typeTimeOfDay)]
pub struct TimeOfDay {
    #[serde(default, skip_serializing_if = "crate::wire::is_zero_i32")]
    pub hours: i32,
    #[serde(default, skip_serializing_if = "crate::wire::is_zero_i32")]
    pub minutes: i32,
    #[serde(default, skip_serializing_if = "crate::wire::is_zero_i32")]
    pub seconds: i32,
    #[serde(default, skip_serializing_if = "crate::wire::is_zero_i32")]
    pub nanos: i32,
}

/// `CustomFieldOption`: one choice of a select or multi-select field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = CustomFieldOption)]
pub struct CustomFieldOption {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<CustomFieldValue>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    #[serde(
        default,
        alias = "sort_order",
        skip_serializing_if = "crate::wire::is_zero_i32"
    )]
    pub sort_order: i32,
}

/// `v1CustomField`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1CustomField)]
pub struct CustomField {
    pub id: String,
    pub company_id: String,
    pub association_type: AssociationType,
    pub code: String,
    pub label: String,
    #[serde(rename = "type")]
    pub field_type: CustomFieldType,
    #[serde(skip_serializing_if = "is_false")]
    pub is_required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_value: Option<CustomFieldValue>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<CustomFieldOption>,
    pub source: CustomFieldSource,
    #[serde(skip_serializing_if = "crate::wire::is_zero_i32")]
    pub display_order: i32,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub help_text: String,
    #[schema(format = DateTime)]
    pub create_time: String,
    #[schema(format = DateTime)]
    pub update_time: String,
}

/// The setting swagger's `v1PetType` (a company's species entry); named apart from the pet
/// swagger's `v1PetType` enum, which the pet module registers.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = businesssettingv1PetType)]
pub struct PetTypeEntry {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// `v1PetCoatType`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = v1PetCoatType)]
pub struct PetCoatType {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// `v1PetSize`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1PetSize)]
pub struct PetSize {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_low: Option<Weight>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_high: Option<Weight>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListCustomFieldsResponse)]
pub struct ListCustomFieldsResponse {
    pub custom_fields: Vec<CustomField>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListCustomerReferralSourcesResponse)]
pub struct ListReferralSourcesResponse {
    pub referral_sources: Vec<ReferralSource>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = businesssettingv1ListCustomerTagsResponse)]
pub struct ListCustomerTagsResponse {
    pub tags: Vec<CustomerTag>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListLeadsActionStatusResponse)]
pub struct ListActionStatusesResponse {
    pub action_statuses: Vec<ActionStatus>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListLeadsLifeCyclesResponse)]
pub struct ListLifeCyclesResponse {
    pub life_cycles: Vec<LifeCycle>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListPetCoatTypesResponse)]
pub struct ListPetCoatTypesResponse {
    pub pet_coat_types: Vec<PetCoatType>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = v1ListPetCodesResponse)]
pub struct ListPetCodesResponse {
    pub codes: Vec<PetCode>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListPetSizesResponse)]
pub struct ListPetSizesResponse {
    pub pet_sizes: Vec<PetSize>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListPetTypesResponse)]
pub struct ListPetTypesResponse {
    pub pet_types: Vec<PetTypeEntry>,
}
