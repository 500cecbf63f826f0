//! The trip resource as MOGU clients see it: request and response bodies mirroring the
//! reference schemas (Trip, TripListItem, PaginatedTrips, TripCreateRequest,
//! TripUpdateRequest, DeleteTripsRequest, ValidationErrors) field for field. Responses always
//! carry every field, nullable ones as JSON null. Request fields are read as [`BodyField`]s so
//! that one reply can name every bad field, wrong JSON types included.

use std::collections::BTreeMap;

use moapi_core::query::Paginated;
use moapi_core::time::iso_millis;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use super::store::StoredTrip;

/// One member of a request body, as sent.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum BodyField<T> {
    /// Not in the body: an update keeps the current value.
    #[default]
    Absent,
    /// JSON `null`: clears a nullable field.
    Null,
    Value(T),
    /// A JSON value of the wrong type; validation names the field.
    Invalid,
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for BodyField<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Null => BodyField::Null,
            value => serde_json::from_value(value).map_or(BodyField::Invalid, BodyField::Value),
        })
    }
}

/// A trip.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Trip {
    #[schema(example = 12345)]
    pub id: i64,
    #[schema(example = "Paris Summer Vacation")]
    pub title: String,
    /// URL-friendly identifier, fixed when the trip is created.
    #[schema(example = "paris-summer-vacation-abc123")]
    pub slug: String,
    /// Code for travelers to join the trip.
    #[schema(example = "ABC12345")]
    pub join_code: String,
    pub seo_description: Option<String>,
    /// Duration of the trip in days.
    #[schema(example = 7)]
    pub duration: Option<i64>,
    #[schema(format = DateTime, example = "2025-07-15T00:00:00.000Z")]
    pub date_start: Option<String>,
    #[schema(format = DateTime, example = "2025-07-22T00:00:00.000Z")]
    pub date_finish: Option<String>,
    /// Expiration date for the trip offer.
    #[schema(format = DateTime)]
    pub date_expiration: Option<String>,
    /// Internal trip code, numbered per account.
    #[schema(example = "TRIP-001")]
    pub code: String,
    #[schema(format = "uri")]
    pub logo: Option<String>,
    #[schema(format = "uri")]
    pub cover_image: Option<String>,
    /// ISO 3166-1 alpha-3 country codes.
    #[schema(example = json!(["FRA"]))]
    pub countries: Vec<String>,
    pub is_public: bool,
    pub is_template: bool,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl From<StoredTrip> for Trip {
    fn from(stored: StoredTrip) -> Self {
        let fields = stored.fields;
        Trip {
            id: stored.id,
            title: fields.title,
            slug: stored.slug,
            join_code: stored.join_code,
            seo_description: fields.seo_description,
            duration: fields.duration,
            date_start: fields.date_start.map(iso_millis),
            date_finish: fields.date_finish.map(iso_millis),
            date_expiration: fields.date_expiration.map(iso_millis),
            code: stored.code,
            logo: fields.logo,
            cover_image: fields.cover_image,
            countries: fields.countries,
            is_public: fields.is_public,
            is_template: fields.is_template,
            created_at: iso_millis(stored.created_at),
            updated_at: iso_millis(stored.updated_at),
        }
    }
}

/// A trip in a list, with its agent's picture.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TripListItem {
    #[serde(flatten)]
    pub trip: Trip,
    /// URL of the agent's profile picture.
    #[schema(format = "uri")]
    pub agent_picture_url: Option<String>,
}

impl From<StoredTrip> for TripListItem {
    fn from(mut stored: StoredTrip) -> Self {
        let agent_picture_url = stored.agent_picture_url.take();
        TripListItem {
            trip: Trip::from(stored),
            agent_picture_url,
        }
    }
}

/// A page of trips.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaginatedTrips {
    pub data: Vec<TripListItem>,
    pub page: u64,
    pub page_size: u64,
    pub total_count: u64,
    pub total_pages: u64,
}

impl From<Paginated<TripListItem>> for PaginatedTrips {
    fn from(page: Paginated<TripListItem>) -> Self {
        PaginatedTrips {
            data: page.data,
            page: page.page,
            page_size: page.page_size,
            total_count: page.total_count,
            total_pages: page.total_pages,
        }
    }
}

/// The fields a client may set on a trip; each is optional, and null clears a nullable one.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TripUpdateRequest {
    /// 1 to 200 characters once trimmed; never null.
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    pub title: BodyField<String>,
    /// Days, 0 to 3650.
    #[serde(default)]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 3650)]
    pub duration: BodyField<i64>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub date_start: BodyField<String>,
    /// Not before `dateStart`.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub date_finish: BodyField<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub date_expiration: BodyField<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 500)]
    pub seo_description: BodyField<String>,
    /// ISO 3166-1 alpha-3 codes; duplicates are dropped.
    #[serde(default)]
    #[schema(value_type = Vec<String>, max_items = 50)]
    pub countries: BodyField<Vec<String>>,
    /// Absolute http(s) URL.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = "uri")]
    pub logo: BodyField<String>,
    /// Absolute http(s) URL.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = "uri")]
    pub cover_image: BodyField<String>,
    #[serde(default)]
    #[schema(value_type = bool)]
    pub is_public: BodyField<bool>,
    #[serde(default)]
    #[schema(value_type = bool)]
    pub is_template: BodyField<bool>,
}

/// The body of a new trip: the update fields, with `title` required and the rest defaulting
/// to null, `[]` and false.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct TripCreateRequest(pub TripUpdateRequest);

impl PartialSchema for TripCreateRequest {
    fn schema() -> RefOr<Schema> {
        with_title_required(
            TripUpdateRequest::schema(),
            "The fields of a new trip; only title is required.",
        )
    }
}

/// An update request's schema turned into its create request's: `title` becomes required.
pub(crate) fn with_title_required(mut schema: RefOr<Schema>, description: &str) -> RefOr<Schema> {
    if let RefOr::T(Schema::Object(object)) = &mut schema {
        object.required.push("title".to_string());
        object.description = Some(description.into());
    }
    schema
}

impl ToSchema for TripCreateRequest {}

/// The trips to delete. `tripId` also accepts a single id, and `tripIds` is read as `tripId`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeleteTripsRequest {
    #[serde(default, alias = "tripIds")]
    #[schema(value_type = Vec<i64>, required = true, min_items = 1, max_items = 100, example = json!([12345, 12346]))]
    pub trip_id: BodyField<TripIds>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum TripIds {
    One(i64),
    Many(Vec<i64>),
}

/// The trips a delete removed, in the order the request named them.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeletedTrips {
    pub deleted: Vec<i64>,
}

/// MOGU's error body (rendered by [`moapi_core::MoguError`]), described for the OpenAPI
/// document.
#[derive(ToSchema)]
#[schema(example = json!({"errors": {"title": ["title is required"]}}))]
pub struct ValidationErrors {
    pub errors: BTreeMap<String, Vec<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_fields_tell_absent_null_value_and_wrong_type_apart() {
        let request: TripUpdateRequest = serde_json::from_str(
            r#"{"title":"Rome","duration":null,"countries":["ITA",3],"isPublic":"yes","extra":1}"#,
        )
        .unwrap();
        assert_eq!(request.title, BodyField::Value("Rome".to_string()));
        assert_eq!(request.duration, BodyField::Null);
        assert_eq!(request.countries, BodyField::Invalid);
        assert_eq!(request.is_public, BodyField::Invalid);
        assert_eq!(request.date_start, BodyField::Absent);
    }

    #[test]
    fn delete_requests_take_a_list_a_single_id_or_the_plural_name() {
        let ids = |body: &str| {
            serde_json::from_str::<DeleteTripsRequest>(body)
                .unwrap()
                .trip_id
        };
        assert_eq!(
            ids(r#"{"tripId":[1,2]}"#),
            BodyField::Value(TripIds::Many(vec![1, 2]))
        );
        assert_eq!(ids(r#"{"tripId":7}"#), BodyField::Value(TripIds::One(7)));
        assert_eq!(
            ids(r#"{"tripIds":[3]}"#),
            BodyField::Value(TripIds::Many(vec![3]))
        );
        assert_eq!(ids(r#"{"tripId":"7"}"#), BodyField::Invalid);
        assert_eq!(ids("{}"), BodyField::Absent);
    }

    #[test]
    fn trips_serialize_every_field_in_the_reference_order() {
        let trip = Trip {
            id: 1,
            title: "T".into(),
            slug: "t-abc123".into(),
            join_code: "ABC12345".into(),
            seo_description: None,
            duration: None,
            date_start: None,
            date_finish: None,
            date_expiration: None,
            code: "TRIP-001".into(),
            logo: None,
            cover_image: None,
            countries: vec![],
            is_public: false,
            is_template: false,
            created_at: "2025-01-15T10:30:00.000Z".into(),
            updated_at: "2025-01-15T10:30:00.000Z".into(),
        };
        let item = serde_json::to_value(TripListItem {
            trip,
            agent_picture_url: None,
        })
        .unwrap();
        let keys: Vec<&str> = item
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "id",
                "title",
                "slug",
                "joinCode",
                "seoDescription",
                "duration",
                "dateStart",
                "dateFinish",
                "dateExpiration",
                "code",
                "logo",
                "coverImage",
                "countries",
                "isPublic",
                "isTemplate",
                "createdAt",
                "updatedAt",
                "agentPictureUrl"
            ]
        );
        assert!(item["agentPictureUrl"].is_null() && item["logo"].is_null());
    }
}
