//! PaymentService's wire types, field for field as the vendor swagger defines them.

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::money::Money;

/// `v1Payment`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Payment)]
pub struct Payment {
    pub id: String,
    pub business_id: String,
    pub order_id: String,
    pub customer_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub customer_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub method: String,
    /// v1PaymentStatus name.
    pub status: String,
    /// PaymentModule name.
    pub module: String,
    pub amount: Money,
    pub processing_fee: Money,
    pub refund_amount: Money,
    #[schema(format = DateTime)]
    pub created_time: String,
    #[schema(format = DateTime)]
    pub last_updated_time: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refunds: Vec<Refund>,
}

/// `v1Refund`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Refund)]
pub struct Refund {
    pub id: String,
    pub amount: Money,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[schema(format = DateTime)]
    pub processed_time: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub staff_id: String,
    pub payment_id: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListPaymentsRequest)]
pub struct ListPaymentsRequest {
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default)]
    pub filter: Option<ListPaymentsFilter>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListPaymentsRequestFilter)]
pub struct ListPaymentsFilter {
    #[serde(default, alias = "order_ids")]
    pub order_ids: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListPaymentsResponse)]
pub struct ListPaymentsResponse {
    pub next_page_token: String,
    pub payments: Vec<Payment>,
}
