//! OrderService's wire types, field for field as the vendor swagger defines them. Money
//! members are always present with their currency (a zero amount is `{"currencyCode":"USD"}`).

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::money::{DecimalValue, Money};
use crate::wire::{is_false, Interval};

/// `v1Order`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Order)]
pub struct Order {
    pub id: String,
    pub business_id: String,
    pub customer_id: String,
    /// v1OrderStatus name.
    pub status: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub tips_amount: Money,
    pub tax_amount: Money,
    pub discount_amount: Money,
    pub extra_fee_amount: Money,
    pub sub_total_amount: Money,
    pub tips_based_amount: Money,
    pub total_amount: Money,
    pub paid_amount: Money,
    pub remain_amount: Money,
    pub refunded_amount: Money,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub created_by: String,
    #[schema(format = DateTime)]
    pub created_time: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub last_updated_by: String,
    #[schema(format = DateTime)]
    pub last_updated_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub sales_datetime: Option<String>,
}

/// `v1OrderLineItem`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1OrderLineItem)]
pub struct OrderLineItem {
    pub id: String,
    pub order_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub object_id: String,
    /// OrderLineItemObjectType name.
    pub object_type: String,
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub unit_price: Money,
    pub quantity: i32,
    #[schema(format = DateTime)]
    pub created_time: String,
    #[schema(format = DateTime)]
    pub last_updated_time: String,
    pub paid_amount: Money,
}

/// `v1OrderLineTax`. moapi keeps one tax per business, so `taxId`, `taxCode` and the other
/// catalog members are left out (their protojson defaults).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1OrderLineTax)]
pub struct OrderLineTax {
    pub id: String,
    pub business_id: String,
    pub order_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub order_item_id: String,
    /// v1OrderLineTaxApplyType name.
    pub apply_type: String,
    /// A fraction: 0.0825 is 8.25 %.
    pub tax_rate: DecimalValue,
    pub tax_amount: Money,
    #[schema(format = DateTime)]
    pub create_time: String,
    #[schema(format = DateTime)]
    pub update_time: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub tax_name: String,
}

/// `v1OrderDiscount`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1OrderDiscount)]
pub struct OrderDiscount {
    pub id: String,
    pub business_id: String,
    pub order_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub order_item_id: String,
    /// v1OrderDiscountApplyType name.
    pub apply_type: String,
    #[serde(skip_serializing_if = "is_false")]
    pub is_deleted: bool,
    /// OrderDiscountDiscountType name.
    pub discount_type: String,
    pub discount_amount: Money,
    /// A fraction (0.5 is 50 %); only on PERCENTAGE discounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discount_rate: Option<DecimalValue>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub apply_by: String,
    pub apply_sequence: i32,
    #[schema(format = DateTime)]
    pub create_time: String,
    #[schema(format = DateTime)]
    pub update_time: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub discount_code_id: String,
}

/// `v1OrderRedeemPackage`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1OrderRedeemPackage)]
pub struct OrderRedeemPackage {
    pub id: String,
    pub order_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub order_line_item_id: String,
    pub package_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub service_id: String,
    pub service_price: Money,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub package_service_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub package_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub service_name: String,
    pub quantity: i32,
    #[schema(format = DateTime)]
    pub created_time: String,
    #[schema(format = DateTime)]
    pub last_updated_time: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListOrdersRequest)]
pub struct ListOrdersRequest {
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default, alias = "business_ids")]
    pub business_ids: Vec<String>,
    #[serde(default)]
    pub filter: Option<ListOrdersFilter>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListOrdersRequestFilter)]
pub struct ListOrdersFilter {
    #[serde(default)]
    pub ids: Vec<String>,
    /// v1OrderStatus names.
    #[serde(default)]
    pub statuses: Vec<String>,
    #[serde(default, alias = "last_updated_time")]
    pub last_updated_time: Option<Interval>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListOrdersResponse)]
pub struct ListOrdersResponse {
    pub next_page_token: String,
    pub orders: Vec<Order>,
}

/// `filter` of the line item, discount and redeemed package lists.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListOrderChildrenRequestFilter)]
pub struct OrderIdsFilter {
    #[serde(default, alias = "order_ids")]
    pub order_ids: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListOrderLineItemsRequest)]
pub struct ListOrderLineItemsRequest {
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default, alias = "include_tax")]
    pub include_tax: bool,
    #[serde(default)]
    pub filter: Option<OrderIdsFilter>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListOrderLineItemsResponse)]
pub struct ListOrderLineItemsResponse {
    pub order_line_items: Vec<OrderLineItem>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub order_line_item_taxes: Vec<OrderLineTax>,
}

/// The request of `orders/discounts:list` and `orders/redeemPackages:list`: a company and
/// optionally some of its orders.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListOrderDiscountsRequest)]
pub struct ListOrderChildrenRequest {
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default)]
    pub filter: Option<OrderIdsFilter>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListOrderDiscountsResponse)]
pub struct ListOrderDiscountsResponse {
    pub order_discounts: Vec<OrderDiscount>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListOrderRedeemPackagesResponse)]
pub struct ListOrderRedeemPackagesResponse {
    pub order_redeem_packages: Vec<OrderRedeemPackage>,
}
