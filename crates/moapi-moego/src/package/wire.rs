//! PackageService's wire types, field for field as the vendor swagger defines them.

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::money::Money;
use crate::wire::is_false;

/// `businesspackagev1ListPackagesRequest`: a customer's packages at one business.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = businesspackagev1ListPackagesRequest)]
pub struct ListPackagesRequest {
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default, alias = "business_id")]
    pub business_id: String,
    #[serde(default, alias = "customer_id")]
    pub customer_id: String,
}

/// `businesspackagev1Package`: a package a customer bought.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = businesspackagev1Package)]
pub struct Package {
    pub id: String,
    /// The catalog package it was bought from (`pkg_`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cart_package_id: String,
    pub customer_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub staff_id: String,
    /// The order line that sold it (`oli_`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub retail_invoice_item_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub confirmation_id: String,
    pub package_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub package_desc: String,
    pub package_price: Money,
    #[schema(format = DateTime)]
    pub purchase_time: String,
    #[schema(format = DateTime)]
    pub start_time: String,
    /// Absent for a package that never expires.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub end_time: Option<String>,
    #[schema(format = DateTime)]
    pub create_time: String,
    #[schema(format = DateTime)]
    pub update_time: String,
    /// 1 while the package can be redeemed, 2 once it has expired.
    pub status: i32,
    #[serde(skip_serializing_if = "is_false")]
    pub used: bool,
    #[serde(skip_serializing_if = "crate::wire::is_zero_i32")]
    pub total_remaining_quantity: i32,
    #[serde(skip_serializing_if = "is_false")]
    pub applied: bool,
    pub business_id: String,
    /// `yyyy-MM-dd`; "9999-01-01" when it never expires.
    pub expiration_date: String,
}

/// `businesspackagev1ListPackagesResponse`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = businesspackagev1ListPackagesResponse)]
pub struct ListPackagesResponse {
    pub packages: Vec<Package>,
    pub next_page_token: String,
}

/// `v1ListPackageDetailsRequest`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListPackageDetailsRequest)]
pub struct ListPackageDetailsRequest {
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default, alias = "business_id")]
    pub business_id: String,
    #[serde(default, alias = "package_ids")]
    pub package_ids: Vec<String>,
}

/// `v1PackageDetailService`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1PackageDetailService)]
pub struct DetailService {
    pub service_id: String,
    pub unit_price: Money,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// `PackageDetailPackageService`: an item of a bought package with what is left of it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PackageDetailPackageService)]
pub struct PackageService {
    pub id: String,
    pub package_id: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<DetailService>,
    #[serde(skip_serializing_if = "crate::wire::is_zero_i32")]
    pub total_quantity: i32,
    #[serde(skip_serializing_if = "crate::wire::is_zero_i32")]
    pub remaining_quantity: i32,
}

/// `v1PackageDetail`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1PackageDetail)]
pub struct PackageDetail {
    pub package_info: Package,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub package_services: Vec<PackageService>,
}

/// `v1ListPackageDetailsResponse`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListPackageDetailsResponse)]
pub struct ListPackageDetailsResponse {
    pub package_details: Vec<PackageDetail>,
    pub next_page_token: String,
}
