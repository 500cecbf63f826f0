//! DiscountService's wire types, field for field as the vendor swagger defines them.

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::money::Money;
use crate::wire::{is_false, proto_enum, Interval};

proto_enum! {
    /// `v1DiscountStatus`: output only.
    DiscountStatus as v1DiscountStatus {
        Unspecified = "STATUS_UNSPECIFIED",
        Active = "ACTIVE",
        Inactive = "INACTIVE",
        Archived = "ARCHIVED",
        Expired = "EXPIRED",
    }
}

/// `v1Discount`. It has no ID: the vendor addresses discounts by `code`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Discount)]
pub struct Discount {
    #[serde(default)]
    pub code: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// A whole percentage (1-100); proto uint32, a plain JSON number.
    #[serde(
        default,
        deserialize_with = "moapi_core::wire::opt_int32::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub percentage: Option<i32>,
    #[serde(
        default,
        alias = "valid_period",
        skip_serializing_if = "Option::is_none"
    )]
    pub valid_period: Option<Interval>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limitation: Option<DiscountLimitation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<DiscountSettings>,
    #[serde(
        default,
        alias = "expiry_time",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(format = DateTime)]
    pub expiry_time: Option<String>,
    #[serde(default, skip_serializing_if = "DiscountStatus::is_unspecified")]
    pub status: DiscountStatus,
}

/// `v1DiscountLimitation`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1DiscountLimitation)]
pub struct DiscountLimitation {
    /// 0: unlimited.
    #[serde(
        default,
        alias = "max_redeem_times",
        deserialize_with = "moapi_core::wire::opt_int32::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_redeem_times: Option<i32>,
    #[serde(default, alias = "business_ids", skip_serializing_if = "Vec::is_empty")]
    pub business_ids: Vec<String>,
    #[serde(
        default,
        alias = "redeem_once_per_customer",
        skip_serializing_if = "is_false"
    )]
    pub redeem_once_per_customer: bool,
    #[serde(default, alias = "customer_ids", skip_serializing_if = "Vec::is_empty")]
    pub customer_ids: Vec<String>,
}

/// `v1DiscountSettings`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1DiscountSettings)]
pub struct DiscountSettings {
    #[serde(
        default,
        alias = "auto_apply_on_eligible_appointment",
        skip_serializing_if = "is_false"
    )]
    pub auto_apply_on_eligible_appointment: bool,
    #[serde(
        default,
        alias = "allow_for_online_booking",
        skip_serializing_if = "is_false"
    )]
    pub allow_for_online_booking: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1CreateDiscountRequest)]
pub struct CreateDiscountRequest {
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default)]
    pub discount: Option<Discount>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListDiscountsRequest)]
pub struct ListDiscountsRequest {
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListDiscountsResponse)]
pub struct ListDiscountsResponse {
    pub next_page_token: String,
    pub discounts: Vec<Discount>,
}

/// The query of `GET /v1/discounts/{code}`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetDiscountQuery {
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
}
