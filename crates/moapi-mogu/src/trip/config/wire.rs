//! The TripConfig as MOGU clients see it, mirroring the reference schemas TripConfig,
//! TripConfigUpdate, Block, TripContact, TripSettings and TripTheme field for field. These
//! types are also the crate's API for other modules (AI import builds them, public pages
//! render them); values that came from a request pass [`super::validate`] before they are
//! stored.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::trip::wire::BodyField;

/// The config schema version moapi speaks; the wire `version` is this plus `+<revision>`.
pub const SCHEMA_VERSION: &str = "1.0.0";

/// The block types that may hold children; every other type, known or not, is a leaf.
pub const CONTAINER_TYPES: [&str; 5] = ["itinerary", "itineraryDay", "group", "box", "dropdown"];

/// The full proposal configuration of a trip: its block tree, contact, slider, settings and
/// theme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TripConfig {
    /// The config schema version and, after `+`, the revision read: send it back unchanged
    /// with a PATCH so that a change made in between is refused (409) instead of overwritten.
    #[schema(example = "1.0.0+3")]
    pub version: String,
    /// Every block of the tree, flat; see Block.
    pub blocks: Vec<Block>,
    pub contact: TripContact,
    /// Image URLs of the trip slider.
    #[serde(default)]
    #[schema(example = json!(["https://example.com/image1.jpg"]))]
    pub slider: Vec<String>,
    /// When the config last changed (the trip's creation while it never did).
    #[schema(example = "2025-01-20T14:45:00.000Z")]
    pub updated_at: String,
    pub settings: TripSettings,
    /// Free-form branding (colours, fonts...); kept as given.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub theme: Map<String, Value>,
}

/// One node of the block tree. `blocks` is flat: a block names its `parent` (null at the top)
/// and lists its `children` in display order. Only container types hold children.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Block {
    /// Unique across all blocks of the config.
    #[schema(example = "b-day1", min_length = 1, max_length = 128)]
    pub id: String,
    /// An open set: itinerary, itineraryDay, group, box, dropdown (containers), title, text,
    /// gallery, form, and any other type, which is kept as a leaf.
    #[serde(rename = "type")]
    #[schema(example = "itineraryDay")]
    pub block_type: String,
    /// Id of the parent block; null for top-level blocks.
    #[serde(default)]
    #[schema(example = "b-itin")]
    pub parent: Option<String>,
    /// Ordered ids of the child blocks; the order is the display order.
    #[serde(default)]
    pub children: Vec<String>,
    /// Hidden blocks are kept but not shown.
    #[serde(default)]
    pub hidden: bool,
    /// Free-form data, kept as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Map<String, Value>>,
    /// The type's payload (title -> {title}, text -> {text: HTML}, gallery -> {images}),
    /// kept as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub content: Option<Map<String, Value>>,
}

impl Block {
    /// A visible block of `block_type` under `parent`, without children or payload.
    pub fn new(id: impl Into<String>, block_type: impl Into<String>, parent: Option<&str>) -> Self {
        Block {
            id: id.into(),
            block_type: block_type.into(),
            parent: parent.map(str::to_string),
            children: Vec::new(),
            hidden: false,
            metadata: None,
            content: None,
        }
    }

    pub fn is_container(&self) -> bool {
        is_container_type(&self.block_type)
    }
}

pub fn is_container_type(block_type: &str) -> bool {
    CONTAINER_TYPES.contains(&block_type)
}

/// Who the trip's travelers contact. Every member is optional; absent ones stay absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TripContact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "123 Main Street, Paris, France")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "Travel Dreams Agency")]
    pub agency_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "John Doe")]
    pub agent_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "contact@travelagency.com")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "+33 1 23 45 67 89")]
    pub phone_number: Option<String>,
    /// Absolute http(s) URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture_url: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub contact_type: Option<ContactType>,
    /// Whether the contact shows on the trip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible: Option<bool>,
    /// Absolute http(s) URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ContactType {
    Agency,
    Agent,
}

/// What travelers may do with the trip. Settings moapi does not know are kept as given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TripSettings {
    /// Travelers may download the trip as a PDF.
    pub can_download_pdf: bool,
    /// Travelers may copy the trip.
    pub can_create_copy: bool,
    /// The trip offer expires (at the trip's `dateExpiration`).
    pub has_expiration: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_on_whatsapp: Option<ShareOnWhatsapp>,
    /// Any further settings, kept as given.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// WhatsApp sharing of the trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShareOnWhatsapp {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "+33123456789")]
    pub phone_number: Option<String>,
}

/// The body of `PATCH /trips/{tripId}/config`: every member optional; an absent one keeps its
/// value, and `blocks` replaces the whole tree. Members are read as raw JSON so that one reply
/// can name every bad one, down to the block.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TripConfigUpdate {
    /// The `version` last read. Absent, or the bare schema version `1.0.0`: the update
    /// applies to whatever the config is now.
    #[serde(default)]
    #[schema(value_type = String, example = "1.0.0+3")]
    pub version: BodyField<Value>,
    #[serde(default)]
    #[schema(value_type = Vec<Block>)]
    pub blocks: BodyField<Value>,
    #[serde(default)]
    #[schema(value_type = TripContact)]
    pub contact: BodyField<Value>,
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub slider: BodyField<Value>,
    #[serde(default)]
    #[schema(value_type = TripSettings)]
    pub settings: BodyField<Value>,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub theme: BodyField<Value>,
}
