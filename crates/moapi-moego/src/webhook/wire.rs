//! WebhookService's wire types for the subscription operations, field for field as the vendor
//! swagger defines them. Enums (`v1EventType`, `v1OrganizationType`, `WebhookContentType`)
//! travel as their names and are checked in `input.rs`.

use std::collections::BTreeMap;

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::wire::{is_false, Interval};

/// The only content type the vendor defines; receivers always get JSON.
pub const CONTENT_TYPE_JSON: &str = "CONTENT_TYPE_JSON";

/// `v1Organization`: a company or business a webhook listens to.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[schema(as = v1Organization)]
pub struct Organization {
    #[serde(default)]
    pub id: String,
    /// A `v1OrganizationType` name: COMPANY or BUSINESS (ENTERPRISE is refused).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// `WebhookHeaderValues`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[schema(as = WebhookHeaderValues)]
pub struct HeaderValues {
    #[serde(default)]
    pub values: Vec<String>,
}

/// Custom headers by name, as the webhook's `headers` map holds them.
pub type Headers = BTreeMap<String, HeaderValues>;

/// `v1Webhook`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Webhook)]
pub struct Webhook {
    pub id: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub organizations: Vec<Organization>,
    /// `v1EventType` names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub event_types: Vec<String>,
    pub endpoint_url: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub secret_token: String,
    /// `WebhookContentType` name.
    pub content_type: String,
    #[serde(skip_serializing_if = "is_false")]
    pub is_active: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub verify_ssl: bool,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: Headers,
    #[schema(format = DateTime)]
    pub created_time: String,
    #[schema(format = DateTime)]
    pub updated_time: String,
}

/// What a client writes to create or replace a webhook; `null` counts as absent.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1CreateWebhookRequest)]
pub struct WebhookInput {
    #[serde(default, alias = "endpoint_url")]
    pub endpoint_url: Option<String>,
    #[serde(default)]
    pub organizations: Option<Vec<Organization>>,
    /// `v1EventType` names.
    #[serde(default, alias = "event_types")]
    pub event_types: Option<Vec<String>>,
    #[serde(default, alias = "secret_token")]
    pub secret_token: Option<String>,
    /// `WebhookContentType` name.
    #[serde(default, alias = "content_type")]
    pub content_type: Option<String>,
    #[serde(default, alias = "is_active")]
    pub is_active: Option<bool>,
    #[serde(default, alias = "verify_ssl")]
    pub verify_ssl: Option<bool>,
    #[serde(default)]
    pub headers: Option<Headers>,
}

/// `WebhookServiceUpdateWebhookBody`: the same fields as a create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(as = WebhookServiceUpdateWebhookBody)]
pub struct UpdateWebhookBody(pub WebhookInput);

/// `v1DeleteWebhookResponse`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = v1DeleteWebhookResponse)]
pub struct DeleteWebhookResponse {}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = v1ListWebhooksRequest)]
pub struct ListWebhooksRequest {
    pub pagination: Option<Pagination>,
    #[serde(default)]
    pub filter: Option<ListWebhooksFilter>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListWebhooksRequestFilter)]
pub struct ListWebhooksFilter {
    #[serde(default, alias = "is_active")]
    pub is_active: Option<bool>,
    /// `v1EventType` names; a webhook matches when it subscribes to any of them.
    #[serde(default, alias = "event_types")]
    pub event_types: Option<Vec<String>>,
    #[serde(default, alias = "created_time")]
    pub created_time: Option<Interval>,
    #[serde(default, alias = "updated_time")]
    pub updated_time: Option<Interval>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListWebhooksResponse)]
pub struct ListWebhooksResponse {
    pub next_page_token: String,
    pub webhooks: Vec<Webhook>,
}
