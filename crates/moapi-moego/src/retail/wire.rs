//! RetailService's wire types, field for field as the vendor swagger defines them.

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::money::Money;
use crate::wire::is_false;

/// `businessretailv1ListPackagesRequest`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = businessretailv1ListPackagesRequest)]
pub struct ListPackagesRequest {
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default, alias = "business_ids")]
    pub business_ids: Vec<String>,
}

/// `v1ListProductsRequest`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListProductsRequest)]
pub struct ListProductsRequest {
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default, alias = "business_ids")]
    pub business_ids: Vec<String>,
}

/// `businessretailv1Service`: a service of a package item, at its price when the package was
/// made.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = businessretailv1Service)]
pub struct Service {
    pub service_id: String,
    pub unit_price: Money,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// `v1Item`: services that share a quantity.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Item)]
pub struct Item {
    #[serde(skip_serializing_if = "crate::wire::is_zero_i32")]
    pub quantity: i32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<Service>,
}

/// `businessretailv1Package`: a package of the business's catalog.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = businessretailv1Package)]
pub struct Package {
    pub id: String,
    pub company_id: String,
    pub business_id: String,
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub price: Money,
    pub total_value: Money,
    /// moapi keeps one tax per business, which has no ID of its own.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub tax_id: String,
    #[serde(skip_serializing_if = "crate::wire::is_zero_f64")]
    pub tax_rate: f64,
    #[serde(skip_serializing_if = "crate::wire::is_zero_i32")]
    pub sold_quantity: i32,
    #[schema(format = DateTime)]
    pub create_time: String,
    #[schema(format = DateTime)]
    pub update_time: String,
    #[serde(skip_serializing_if = "is_false")]
    pub is_active: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub enable_online_booking: bool,
    #[serde(skip_serializing_if = "crate::wire::is_zero_i32")]
    pub expiration_days: i32,
    #[serde(skip_serializing_if = "crate::wire::is_zero_i32")]
    pub source: i32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Item>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub revenue_category_name: String,
}

/// `businessretailv1ListPackagesResponse`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = businessretailv1ListPackagesResponse)]
pub struct ListPackagesResponse {
    pub next_page_token: String,
    pub packages: Vec<Package>,
}

/// `v1Supplier`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Supplier)]
pub struct Supplier {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub first_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub last_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub telephone: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub mobile: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub email: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub website: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub address: String,
}

/// `v1Product`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Product)]
pub struct Product {
    pub id: String,
    pub business_id: String,
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub sku: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub barcode: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub image_url: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub category_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub revenue_category_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplier: Option<Supplier>,
    pub supply_price: Money,
    pub retail_price: Money,
    /// Absent when the product has no special price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub special_price: Option<Money>,
    #[serde(skip_serializing_if = "crate::wire::is_zero_f64")]
    pub tax_rate: f64,
    #[serde(skip_serializing_if = "is_false")]
    pub enable_staff_commission: bool,
    #[serde(skip_serializing_if = "crate::wire::is_zero_i32")]
    pub stock: i32,
    #[serde(skip_serializing_if = "is_false")]
    pub deleted: bool,
    #[schema(format = DateTime)]
    pub created_time: String,
    #[schema(format = DateTime)]
    pub last_updated_time: String,
}

/// `v1ListProductsResponse`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListProductsResponse)]
pub struct ListProductsResponse {
    pub next_page_token: String,
    pub products: Vec<Product>,
}
