//! OnlineBookingService's wire types, field for field as the vendor swagger defines them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::pet::wire::{Gender, PetType, WeightInput};
use crate::wire::{Date, Interval};

/// `v1GetBookingAvailabilityRequest`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1GetBookingAvailabilityRequest)]
pub struct GetBookingAvailabilityRequest {
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default, alias = "business_id")]
    pub business_id: String,
    #[serde(default)]
    pub filter: Option<AvailabilityFilter>,
}

/// `v1GetBookingAvailabilityRequestFilter`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1GetBookingAvailabilityRequestFilter)]
pub struct AvailabilityFilter {
    #[serde(default, alias = "start_date")]
    pub start_date: Option<Date>,
    #[serde(default, alias = "end_date")]
    pub end_date: Option<Date>,
    #[serde(default, alias = "service_ids")]
    pub service_ids: Vec<String>,
    #[serde(default, alias = "staff_ids")]
    pub staff_ids: Vec<String>,
    #[serde(default)]
    pub pets: Vec<PetParam>,
}

/// `GetBookingAvailabilityRequestPetParam`: an existing pet (`id`) or one described.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = GetBookingAvailabilityRequestPetParam)]
pub struct PetParam {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub birthday: Option<Date>,
    #[serde(default, rename = "type")]
    pub pet_type: PetType,
    #[serde(default)]
    pub breed: String,
    #[serde(default)]
    pub gender: Gender,
    #[serde(default)]
    pub weight: Option<WeightInput>,
    #[serde(default, alias = "staff_id")]
    pub staff_id: Option<String>,
    #[serde(default, alias = "service_ids")]
    pub service_ids: Vec<String>,
}

/// `v1GetBookingAvailabilityResponse`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1GetBookingAvailabilityResponse)]
pub struct GetBookingAvailabilityResponse {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub available_dates: Vec<Date>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub availability: Vec<AvailabilityByDate>,
}

/// `GetBookingAvailabilityResponseAvailabilityByDate`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = GetBookingAvailabilityResponseAvailabilityByDate)]
pub struct AvailabilityByDate {
    pub date: Date,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub staff: Vec<StaffAvailability>,
}

/// `GetBookingAvailabilityResponseStaffAvailability`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = GetBookingAvailabilityResponseStaffAvailability)]
pub struct StaffAvailability {
    pub staff_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub available_slots: Vec<Interval>,
}
