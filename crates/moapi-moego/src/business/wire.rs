//! BusinessService's wire types, field for field as the vendor swagger defines them.

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::wire::LatLng;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Business)]
pub struct Business {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub avatar: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub phone: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub business_phone: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub website: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub facebook: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub instagram: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub yelp: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub google: String,
    pub company_id: String,
}

/// `moego.common.v1.Address`; also the shape operators use in fixtures.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Address)]
pub struct Address {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default, alias = "address_1", skip_serializing_if = "String::is_empty")]
    pub address1: String,
    #[serde(default, alias = "address_2", skip_serializing_if = "String::is_empty")]
    pub address2: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub city: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub state: String,
    #[serde(
        default,
        alias = "postal_code",
        skip_serializing_if = "String::is_empty"
    )]
    pub postal_code: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinate: Option<LatLng>,
    #[serde(
        default,
        rename = "type",
        skip_serializing_if = "AddressType::is_unspecified"
    )]
    pub address_type: AddressType,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[schema(as = v1AddressType)]
pub enum AddressType {
    #[default]
    TypeUnspecified,
    Primary,
    Secondary,
}

impl AddressType {
    fn is_unspecified(&self) -> bool {
        *self == AddressType::TypeUnspecified
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListBusinessRequest)]
pub struct ListBusinessRequest {
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListBusinessResponse)]
pub struct ListBusinessResponse {
    pub next_page_token: String,
    pub businesses: Vec<Business>,
}
