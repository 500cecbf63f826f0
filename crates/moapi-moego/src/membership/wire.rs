//! MembershipService's wire types, field for field as the vendor swagger defines them.

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::money::Money;
use crate::wire::{is_false, Interval};

/// `v1TimePeriod`: `unit` is a google.type.CalendarPeriod name.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1TimePeriod)]
pub struct TimePeriod {
    pub unit: String,
    pub value: i32,
}

/// `v1CustomizedBreed`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1CustomizedBreed)]
pub struct CustomizedBreed {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pet_type_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pet_type_name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breeds: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_all: Option<bool>,
}

/// `v1Membership`. moapi has no subscription-service product, price or tax catalog, so
/// `internalProductId`, `priceId` and `taxId` are left out (docs/compatibility.md).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Membership)]
pub struct Membership {
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// v1MembershipStatus name.
    pub status: String,
    pub price: Money,
    /// MembershipBillingCycle name, for the three cycles it can name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_cycle: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub policy: String,
    pub company_id: String,
    pub billing_cycle_period: TimePeriod,
    #[schema(format = DateTime)]
    pub created_time: String,
    #[schema(format = DateTime)]
    pub last_updated_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub deleted_time: Option<String>,
    pub revision: i32,
    pub total_price: Money,
    pub total_tax: Money,
    #[serde(skip_serializing_if = "is_false")]
    pub enable_online_booking: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub enable_discount_benefits: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub enable_quantity_benefits: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub breed_filter: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub customized_breeds: Vec<CustomizedBreed>,
    #[serde(skip_serializing_if = "is_false")]
    pub pet_size_filter: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub customized_pet_sizes: Vec<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub coat_filter: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub customized_coats: Vec<String>,
    /// v1MembershipSource name.
    pub source: String,
}

/// `v1Subscription`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Subscription)]
pub struct Subscription {
    pub id: String,
    pub customer_id: String,
    pub membership_id: String,
    pub company_id: String,
    pub price: Money,
    #[schema(format = DateTime)]
    pub created_time: String,
    #[schema(format = DateTime)]
    pub last_updated_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub deleted_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validity_period: Option<Interval>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub next_billing_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub expired_time: Option<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub cancel_at_period_end: bool,
    /// v1SubscriptionStatus name.
    pub status: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListMembershipsRequest)]
pub struct ListMembershipsRequest {
    #[serde(default)]
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default)]
    pub filter: Option<ListMembershipsFilter>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListMembershipsRequestFilter)]
pub struct ListMembershipsFilter {
    #[serde(default, alias = "name_like")]
    pub name_like: String,
    /// v1MembershipStatus names.
    #[serde(default, alias = "status_in")]
    pub status_in: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListMembershipsResponse)]
pub struct ListMembershipsResponse {
    pub memberships: Vec<Membership>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub next_page_token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListSubscriptionsRequest)]
pub struct ListSubscriptionsRequest {
    #[serde(default)]
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default)]
    pub filter: Option<ListSubscriptionsFilter>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListSubscriptionsRequestFilter)]
pub struct ListSubscriptionsFilter {
    #[serde(default, alias = "customer_id_in")]
    pub customer_id_in: Vec<String>,
    #[serde(default, alias = "membership_id_in")]
    pub membership_id_in: Vec<String>,
    /// v1SubscriptionStatus names.
    #[serde(default, alias = "status_in")]
    pub status_in: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListSubscriptionsResponse)]
pub struct ListSubscriptionsResponse {
    pub subscriptions: Vec<Subscription>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub next_page_token: String,
}
