//! OfferingService's wire types, field for field as the vendor swagger defines them.

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
