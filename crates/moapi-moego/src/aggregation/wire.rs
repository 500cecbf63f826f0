//! AggregationService's wire types, field for field as the vendor swagger defines them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::pet::wire::{EvaluationStatus, Gender, PetType, Vaccination};
use crate::wire::{is_false, Date};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1LookupClientPetProfileRequest)]
pub struct LookupClientPetProfileRequest {
    #[serde(default, alias = "phone_number")]
    pub phone_number: Option<String>,
    #[serde(default, alias = "business_id")]
    pub business_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1LookupClientPetProfileResponse)]
pub struct LookupClientPetProfileResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<CustomerSummary>,
    pub pets: Vec<PetView>,
    /// `LookupClientPetProfileResponseAppointmentView`s, built by
    /// `super::recent_appointments`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub last_appointment: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub next_appointment: Option<serde_json::Value>,
}

/// `v1CustomerSummary`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1CustomerSummary)]
pub struct CustomerSummary {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub first_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub last_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub phone: String,
    /// proto3 `optional`: present exactly when the customer has an email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// `LookupClientPetProfileResponsePetView`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = LookupClientPetProfileResponsePetView)]
pub struct PetView {
    pub pet_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pet_name: String,
    #[serde(skip_serializing_if = "PetType::is_unspecified")]
    pub pet_type: PetType,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub breed: String,
    #[serde(skip_serializing_if = "is_false")]
    pub breed_mixed: bool,
    #[serde(skip_serializing_if = "Gender::is_unspecified")]
    pub gender: Gender,
    /// The weight as text with its unit ("10 kg", "22 lb").
    #[serde(skip_serializing_if = "String::is_empty")]
    pub weight: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub coat_type: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub fixed: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birthday: Option<Date>,
    #[serde(skip_serializing_if = "EvaluationStatus::is_unspecified")]
    pub evaluation_status: EvaluationStatus,
    /// moapi keeps no feeding or medication schedules (no public operation writes them).
    #[schema(value_type = Vec<Object>)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub feeding_schedules: Vec<serde_json::Value>,
    #[schema(value_type = Vec<Object>)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub medication_schedules: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vaccine_list: Vec<Vaccination>,
}
