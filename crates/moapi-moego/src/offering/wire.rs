//! OfferingService's wire types, field for field as the vendor swagger defines them.

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::money::Money;
use crate::setting::service::wire::{ServiceItemType, ServiceType};
use crate::wire::{is_false, Date};

/// `businessofferingv1ListLodgingsRequest`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = businessofferingv1ListLodgingsRequest)]
pub struct ListLodgingsRequest {
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default, alias = "business_id")]
    pub business_id: Option<String>,
    #[serde(default)]
    pub date: Option<Date>,
    #[serde(default, alias = "pet_id")]
    pub pet_id: Option<String>,
    #[serde(default, alias = "service_ids")]
    pub service_ids: Vec<String>,
    pub pagination: Option<Pagination>,
}

/// `businessofferingv1ListLodgingsResponse`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = businessofferingv1ListLodgingsResponse)]
pub struct ListLodgingsResponse {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lodgings: Vec<LodgingAvailability>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub next_page_token: String,
}

/// `v1LodgingAvailability`: one lodging unit on the requested date.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1LodgingAvailability)]
pub struct LodgingAvailability {
    pub lodging_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub lodging_name: String,
    #[serde(skip_serializing_if = "is_false")]
    pub available: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub unavailable_reason: String,
}

/// `businessofferingv1ListServicesRequest`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = businessofferingv1ListServicesRequest)]
pub struct ListServicesRequest {
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default, alias = "business_id")]
    pub business_id: Option<String>,
    #[serde(default, alias = "pet_ids")]
    pub pet_ids: Vec<String>,
    #[serde(default, alias = "service_type")]
    pub service_type: ServiceType,
    #[serde(default, alias = "service_item_type")]
    pub service_item_type: ServiceItemType,
    #[serde(default, alias = "selected_service_ids")]
    pub selected_service_ids: Vec<String>,
    #[serde(default, alias = "start_date")]
    pub start_date: Option<Date>,
    #[serde(default, alias = "end_date")]
    pub end_date: Option<Date>,
    pub pagination: Option<Pagination>,
}

/// `businessofferingv1ListServicesResponse`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = businessofferingv1ListServicesResponse)]
pub struct ListServicesResponse {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<ServiceView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub available_service_ids: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pet_services: Vec<ServicesByPet>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub next_page_token: String,
}

/// `v1ServiceView`: a bookable service, flat.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ServiceView)]
pub struct ServiceView {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "ServiceItemType::is_unspecified")]
    pub service_item_type: ServiceItemType,
    #[serde(skip_serializing_if = "ServiceType::is_unspecified")]
    pub service_type: ServiceType,
    pub price: Money,
    #[serde(skip_serializing_if = "crate::wire::is_zero_i32")]
    pub service_time: i32,
}

/// `v1ServicesByPet`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ServicesByPet)]
pub struct ServicesByPet {
    pub pet_id: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<ServiceView>,
}
