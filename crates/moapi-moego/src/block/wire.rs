//! BlockService's wire types, field for field as the vendor swagger defines them.

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::wire::Interval;

/// `v1Block`: time a staff member is not bookable.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Block)]
pub struct Block {
    pub id: String,
    pub staff_id: String,
    pub duration: Interval,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub color_code: String,
    pub business_id: String,
}

/// `v1CreateBlockRequest`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1CreateBlockRequest)]
pub struct CreateBlockRequest {
    #[serde(default, alias = "business_id")]
    pub business_id: String,
    #[serde(default, alias = "staff_id")]
    pub staff_id: String,
    #[serde(default)]
    pub duration: Option<Interval>,
    #[serde(default)]
    pub description: String,
    #[serde(default, alias = "color_code")]
    pub color_code: String,
}

/// `v1DeleteBlockResponse`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = v1DeleteBlockResponse)]
pub struct DeleteBlockResponse {}

/// `v1ListBlocksRequest`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListBlocksRequest)]
pub struct ListBlocksRequest {
    #[serde(default)]
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default, alias = "business_ids")]
    pub business_ids: Vec<String>,
    #[serde(default)]
    pub filter: Option<ListBlocksFilter>,
}

/// `v1ListBlocksRequestFilter`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListBlocksRequestFilter)]
pub struct ListBlocksFilter {
    #[serde(default, alias = "start_time")]
    pub start_time: Option<Interval>,
    #[serde(default, alias = "end_time")]
    pub end_time: Option<Interval>,
}

/// `v1ListBlocksResponse`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListBlocksResponse)]
pub struct ListBlocksResponse {
    pub blocks: Vec<Block>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub next_page_token: String,
}
