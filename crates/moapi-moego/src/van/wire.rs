//! VanService's and VanRecordService's wire types, field for field as the vendor swaggers
//! define them (the record service reuses van.v1's `AssignedStaff`).

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `v1AssignedStaff`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1AssignedStaff)]
pub struct AssignedStaff {
    pub id: String,
    #[serde(with = "moapi_core::wire::int64")]
    #[schema(value_type = String, format = Int64)]
    pub raw_id: i64,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// `v1Van`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Van)]
pub struct Van {
    pub id: String,
    #[serde(with = "moapi_core::wire::int64")]
    #[schema(value_type = String, format = Int64)]
    pub raw_id: i64,
    pub company_id: String,
    pub business_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub display_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub license_plate: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assigned_staffs: Vec<AssignedStaff>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListVansRequest)]
pub struct ListVansRequest {
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default, alias = "business_ids")]
    pub business_ids: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListVansResponse)]
pub struct ListVansResponse {
    pub next_page_token: String,
    pub vans: Vec<Van>,
}

/// `v1VanStaffRecord`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1VanStaffRecord)]
pub struct VanStaffRecord {
    pub van_id: String,
    #[serde(with = "moapi_core::wire::int64")]
    #[schema(value_type = String, format = Int64)]
    pub van_raw_id: i64,
    pub business_id: String,
    /// `yyyy-MM-dd`.
    pub date: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assigned_staffs: Vec<AssignedStaff>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListVanStaffRecordsRequest)]
pub struct ListVanStaffRecordsRequest {
    #[serde(default, alias = "van_ids")]
    pub van_ids: Vec<String>,
    #[serde(default)]
    pub date: Option<String>,
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListVanStaffRecordsResponse)]
pub struct ListVanStaffRecordsResponse {
    pub next_page_token: String,
    pub records: Vec<VanStaffRecord>,
}
