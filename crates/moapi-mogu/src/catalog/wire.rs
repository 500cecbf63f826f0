//! The catalog resource as MOGU clients see it: request and response bodies mirroring the
//! reference schemas (Catalog, PaginatedCatalogs, CatalogCreateRequest, CatalogUpdateRequest,
//! CatalogTripIdsRequest, VisibilityRequest) field for field. Responses carry every field,
//! nullable ones as JSON null; request fields are [`BodyField`]s so that one reply names every
//! bad field.

use std::collections::BTreeMap;

use moapi_core::query::Paginated;
use moapi_core::time::iso_millis;
use serde::{Deserialize, Serialize};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use super::store::StoredCatalog;
use crate::trip::wire::{with_title_required, BodyField, TripIds};

/// A catalog: a named collection of the account's trips.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    #[schema(example = 101)]
    pub id: i64,
    #[schema(example = "European Tours")]
    pub title: String,
    #[schema(example = "Collection of our best European tours")]
    pub description: Option<String>,
    #[schema(format = "uri", example = "https://example.com/catalog-logo.png")]
    pub logo_url: Option<String>,
    /// The account that owns the catalog.
    #[schema(example = 50)]
    pub account_id: i64,
    /// Which filter facets the catalog offers, e.g. `{"country": true}`.
    #[schema(example = json!({"country": true}))]
    pub filters: BTreeMap<String, bool>,
    /// How many trips the catalog holds now.
    #[schema(example = 15)]
    pub trip_count: i64,
    #[schema(format = DateTime, example = "2025-01-10T08:00:00.000Z")]
    pub created_at: String,
    /// Bumped by every change made through the catalog operations.
    #[schema(format = DateTime)]
    pub updated_at: String,
    /// Set with `PATCH /catalogs/{catalogId}/visibility`.
    pub is_public: bool,
}

impl From<StoredCatalog> for Catalog {
    fn from(stored: StoredCatalog) -> Self {
        let fields = stored.fields;
        Catalog {
            id: stored.id,
            title: fields.title,
            description: fields.description,
            logo_url: fields.logo_url,
            account_id: stored.account_id,
            filters: fields.filters,
            trip_count: stored.trip_count,
            created_at: iso_millis(stored.created_at),
            updated_at: iso_millis(stored.updated_at),
            is_public: fields.is_public,
        }
    }
}

/// A page of catalogs.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaginatedCatalogs {
    pub data: Vec<Catalog>,
    pub page: u64,
    pub page_size: u64,
    pub total_count: u64,
    pub total_pages: u64,
}

impl From<Paginated<Catalog>> for PaginatedCatalogs {
    fn from(page: Paginated<Catalog>) -> Self {
        PaginatedCatalogs {
            data: page.data,
            page: page.page,
            page_size: page.page_size,
            total_count: page.total_count,
            total_pages: page.total_pages,
        }
    }
}

/// The fields a client may change on a catalog; each is optional.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CatalogUpdateRequest {
    /// 1 to 200 characters once trimmed; never null.
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 200, example = "Best of Europe")]
    pub title: BodyField<String>,
    /// At most 2000 characters; null or blank clears it.
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub description: BodyField<String>,
    /// Facet name (1 to 64 letters, digits, `_` or `-`) to true or false; at most 20 facets.
    /// Replaces the whole object.
    #[serde(default)]
    #[schema(value_type = BTreeMap<String, bool>, example = json!({"country": true}))]
    pub filters: BodyField<serde_json::Map<String, serde_json::Value>>,
    /// Absolute http(s) URL; null or blank clears it.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = "uri")]
    pub logo_url: BodyField<String>,
    /// The catalog's trips: replaces the whole set (up to 500 trips of the account).
    #[serde(default)]
    #[schema(value_type = Vec<i64>, max_items = 500, example = json!([12345, 12346]))]
    pub trip_ids: BodyField<TripIds>,
}

/// The body of a new catalog: the update fields, with `title` required, no trips, no facets
/// and no logo by default.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct CatalogCreateRequest(pub CatalogUpdateRequest);

impl PartialSchema for CatalogCreateRequest {
    fn schema() -> RefOr<Schema> {
        with_title_required(
            CatalogUpdateRequest::schema(),
            "The fields of a new catalog; only title is required.",
        )
    }
}

impl ToSchema for CatalogCreateRequest {}

/// Trips to add to or remove from a catalog; `tripIds` also accepts a single id.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CatalogTripIdsRequest {
    #[serde(default, alias = "tripId")]
    #[schema(value_type = Vec<i64>, required = true, min_items = 1, max_items = 500, example = json!([12347]))]
    pub trip_ids: BodyField<TripIds>,
}
