//! ReviewService's wire types, field for field as the vendor swagger defines them.

use moapi_core::pagination::Pagination;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::wire::proto_enum;

proto_enum!(
    /// `v1ReviewSource`: the channel a review came through.
    ReviewSource as v1ReviewSource {
        Unspecified = "SOURCE_UNSPECIFIED",
        Sms = "SMS", GroomingReport = "GROOMING_REPORT", PetParentPortal = "PET_PARENT_PORTAL",
    }
);

/// `v1Review`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Review)]
pub struct Review {
    pub id: String,
    pub customer_id: String,
    pub appointment_id: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub staff_ids: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pet_ids: Vec<String>,
    pub source: ReviewSource,
    /// 1 to 5; proto uint32, a plain JSON number.
    pub score: u32,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub content: String,
    pub review_time: String,
    pub created_time: String,
    pub last_updated_time: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListReviewsRequest)]
pub struct ListReviewsRequest {
    pub pagination: Option<Pagination>,
    #[serde(default, alias = "business_id")]
    pub business_id: String,
    #[serde(default)]
    pub filter: Option<ListReviewsFilter>,
}

/// `v1ListReviewsRequestFilter`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListReviewsRequestFilter)]
pub struct ListReviewsFilter {
    #[serde(default)]
    pub sources: Vec<ReviewSource>,
    #[serde(default, alias = "staff_ids")]
    pub staff_ids: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListReviewsResponse)]
pub struct ListReviewsResponse {
    pub next_page_token: String,
    pub reviews: Vec<Review>,
}
