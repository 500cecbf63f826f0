//! ReportService's wire types, field for field as the vendor swagger defines them.

use std::collections::BTreeMap;

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::money::Money;
use crate::wire::{is_false, proto_enum, Interval};

proto_enum!(
    /// `v1FieldType`: how a column's values are typed and shown.
    FieldType as v1FieldType {
        Unspecified = "TYPE_UNSPECIFIED",
        Money = "MONEY",
        Text = "TEXT",
        Date = "DATE",
        Time = "TIME",
        Number = "NUMBER",
        DecimalNumber = "DECIMAL_NUMBER",
        Percentage = "PERCENTAGE",
        Duration = "DURATION",
        Datetime = "DATETIME",
    }
);

/// `v1Field`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Field)]
pub struct Field {
    pub label: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    pub key: String,
    #[serde(skip_serializing_if = "is_false")]
    pub group_by_enable: bool,
}

/// `v1Report`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Report)]
pub struct Report {
    pub id: String,
    pub name: String,
    pub description: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListReportsRequest)]
pub struct ListReportsRequest {
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListReportsResponse)]
pub struct ListReportsResponse {
    pub reports: Vec<Report>,
}

/// `FetchReportDataRequestCondition`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = FetchReportDataRequestCondition)]
pub struct Condition {
    #[serde(default)]
    pub id: String,
    #[serde(default, alias = "query_period")]
    pub query_period: Option<Interval>,
    #[serde(default, alias = "group_by_field_keys")]
    pub group_by_field_keys: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1FetchReportDataRequest)]
pub struct FetchReportDataRequest {
    #[serde(default)]
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default, alias = "business_ids")]
    pub business_ids: Vec<String>,
    #[serde(default)]
    pub condition: Option<Condition>,
}

/// `v1Value`: one member of the oneof, named by its kind.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Value)]
pub enum CellValue {
    String(String),
    /// An int64, as protojson writes it: a decimal string.
    Int64(String),
    Money(Money),
    /// An RFC 3339 instant.
    Timestamp(String),
}

/// `v1Data`: one cell.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Data)]
pub struct Data {
    pub field_key: String,
    pub field_type: FieldType,
    pub value: CellValue,
}

/// `v1TableRowData`: a row's cells by field key.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1TableRowData)]
pub struct TableRowData {
    pub data: BTreeMap<String, Data>,
}

/// `v1TableData`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1TableData)]
pub struct TableData {
    pub rows: Vec<TableRowData>,
    pub fields: Vec<Field>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1FetchReportDataResponse)]
pub struct FetchReportDataResponse {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub next_page_token: String,
    pub table_data: TableData,
}
