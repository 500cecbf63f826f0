//! CompanyService's wire types, field for field as the vendor swagger defines them.

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::wire::TimeZone;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Company)]
pub struct Company {
    pub id: String,
    #[serde(with = "moapi_core::wire::int64")]
    #[schema(value_type = String, format = Int64)]
    pub raw_id: i64,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub country: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<TimeZone>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListCompaniesRequest)]
pub struct ListCompaniesRequest {
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListCompaniesResponse)]
pub struct ListCompaniesResponse {
    pub next_page_token: String,
    pub companies: Vec<Company>,
}
