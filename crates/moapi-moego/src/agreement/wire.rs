//! AgreementService's wire types, field for field as the vendor swagger defines them.

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::wire::proto_enum;

proto_enum! {
    /// `v1AgreementStatus`.
    AgreementStatus as v1AgreementStatus {
        Unspecified = "STATUS_UNSPECIFIED",
        Normal = "NORMAL",
        Deleted = "DELETED",
    }
}

proto_enum! {
    /// `AgreementSignedPolicy`: when customers must sign.
    SignedPolicy as AgreementSignedPolicy {
        Unspecified = "SIGNED_POLICY_UNSPECIFIED",
        ForFirst = "FOR_FIRST",
        ForEach = "FOR_EACH",
        Optional = "OPTIONAL",
    }
}

/// `v1Agreement`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Agreement)]
pub struct Agreement {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub business_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub creator_id: String,
    #[serde(skip_serializing_if = "AgreementStatus::is_unspecified")]
    pub status: AgreementStatus,
    #[serde(skip_serializing_if = "SignedPolicy::is_unspecified")]
    pub signed_policy: SignedPolicy,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub content: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub sms_template: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub email_template_title: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub email_template_body: String,
    #[schema(format = DateTime)]
    pub last_required_time: String,
    #[schema(format = DateTime)]
    pub last_edit_time: String,
    #[schema(format = DateTime)]
    pub created_time: String,
    #[schema(format = DateTime)]
    pub last_updated_time: String,
}

/// The query of `GET /v1/agreements/{id}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetAgreementQuery {
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
}

/// The query of `GET /v1/agreements/{id}/sign_link`: the vendor's clients send snake_case.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignLinkQuery {
    #[serde(default, alias = "customer_id")]
    pub customer_id: Option<String>,
    #[serde(default, alias = "business_id")]
    pub business_id: Option<String>,
}

/// `v1GetAgreementSignURLResponse`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1GetAgreementSignURLResponse)]
pub struct GetAgreementSignUrlResponse {
    pub agreement_record_id: String,
    pub sign_url: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListAgreementsRequest)]
pub struct ListAgreementsRequest {
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "company_id")]
    pub company_id: Option<String>,
    #[serde(default, alias = "business_ids")]
    pub business_ids: Vec<String>,
}

/// `v1ListAgreementsResponse`: the vendor names the list `agreement`, singular.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListAgreementsResponse)]
pub struct ListAgreementsResponse {
    pub next_page_token: String,
    pub agreement: Vec<Agreement>,
}
