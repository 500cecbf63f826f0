//! The TripConfig of a trip: `GET /trips/{tripId}/config` and `PATCH /trips/{tripId}/config`.
//! A PATCH replaces the top-level members it names (`blocks` replaces the whole tree) and keeps
//! the others. Its `version` is the one last read (`1.0.0+<revision>`): the write succeeds only
//! if the config is still at that revision, else 409 and nothing changes. Other modules build
//! configs with [`wire`]'s types, check them with [`validate`] and store them with
//! [`store::save`].

pub mod blocks;
pub mod store;
pub mod wire;

use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use moapi_core::auth::MoguPrincipal;
use moapi_core::db::Conn;
use moapi_core::error::MoguValidation;
use moapi_core::wire::MoguJson;
use moapi_core::{AppState, MoguError};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use self::store::Saved;
pub use self::wire::{
    Block, ContactType, ShareOnWhatsapp, TripConfig, TripConfigUpdate, TripContact, TripSettings,
    CONTAINER_TYPES, SCHEMA_VERSION,
};
use super::input::is_web_url;
use super::wire::{BodyField, ValidationErrors};
use super::{path_trip_id, trip_not_found};

const MAX_SLIDER_IMAGES: usize = 50;
const MAX_CONTACT_CHARS: usize = 500;
const MAX_DESCRIPTION_CHARS: usize = 5000;
const MAX_MESSAGE_CHARS: usize = 200;
const NOT_A_URL: &str = "must be an absolute http or https URL";

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/trips/{tripId}/config",
        get(get_trip_config).patch(update_trip_config),
    )
}

/// Checks a whole config: the block tree and the contents of contact, slider and settings.
/// The 400 names every offending member at once (`blocks[3]`, `contact.web`, `slider[0]`).
pub fn validate(config: &TripConfig) -> Result<(), MoguError> {
    let mut errors = MoguValidation::default();
    blocks::check(&config.blocks, &mut errors);
    check_contact(&config.contact, &mut errors);
    check_slider(&config.slider, &mut errors);
    check_settings(&config.settings, &mut errors);
    errors.finish()
}

fn check_contact(contact: &TripContact, errors: &mut MoguValidation) {
    let texts = [
        ("address", &contact.address, MAX_CONTACT_CHARS),
        ("agencyName", &contact.agency_name, MAX_CONTACT_CHARS),
        ("agentName", &contact.agent_name, MAX_CONTACT_CHARS),
        ("description", &contact.description, MAX_DESCRIPTION_CHARS),
        ("email", &contact.email, MAX_CONTACT_CHARS),
        ("phoneNumber", &contact.phone_number, MAX_CONTACT_CHARS),
    ];
    for (name, text, limit) in texts {
        if text
            .as_ref()
            .is_some_and(|text| text.chars().count() > limit)
        {
            errors.add(
                format!("contact.{name}"),
                format!("must be at most {limit} characters"),
            );
        }
    }
    for (name, url) in [("pictureUrl", &contact.picture_url), ("web", &contact.web)] {
        // An empty string is how some clients clear a field; only real text must be a URL.
        if url
            .as_ref()
            .is_some_and(|url| !url.is_empty() && !is_web_url(url))
        {
            errors.add(format!("contact.{name}"), NOT_A_URL);
        }
    }
}

fn check_slider(slider: &[String], errors: &mut MoguValidation) {
    if slider.len() > MAX_SLIDER_IMAGES {
        errors.add(
            "slider",
            format!("at most {MAX_SLIDER_IMAGES} images are allowed"),
        );
        return;
    }
    for (index, url) in slider.iter().enumerate() {
        if !is_web_url(url) {
            errors.add(format!("slider[{index}]"), NOT_A_URL);
        }
    }
}

fn check_settings(settings: &TripSettings, errors: &mut MoguValidation) {
    let phone = settings
        .share_on_whatsapp
        .as_ref()
        .and_then(|share| share.phone_number.as_ref());
    if phone.is_some_and(|phone| phone.chars().count() > MAX_CONTACT_CHARS) {
        errors.add(
            "settings.shareOnWhatsapp.phoneNumber",
            format!("must be at most {MAX_CONTACT_CHARS} characters"),
        );
    }
}

/// The members a PATCH replaces, each already valid.
#[derive(Default)]
struct Changes {
    /// The revision the client read, when it named one.
    expected_revision: Option<i64>,
    blocks: Option<Vec<Block>>,
    contact: Option<TripContact>,
    slider: Option<Vec<String>>,
    settings: Option<TripSettings>,
    theme: Option<Map<String, Value>>,
}

impl Changes {
    /// Reads and checks a PATCH body, naming every bad member at once.
    fn parse(update: TripConfigUpdate) -> Result<Changes, MoguError> {
        let mut errors = MoguValidation::default();
        let mut changes = Changes::default();
        if let Some(version) = member::<String>("version", update.version, &mut errors) {
            match expected_revision(&version) {
                Ok(revision) => changes.expected_revision = revision,
                Err(message) => errors.add("version", message),
            }
        }
        changes.blocks = block_list(update.blocks, &mut errors);
        changes.contact = member("contact", update.contact, &mut errors);
        changes.slider = member("slider", update.slider, &mut errors);
        changes.settings = member("settings", update.settings, &mut errors);
        changes.theme = member("theme", update.theme, &mut errors);
        if let Some(blocks) = &changes.blocks {
            blocks::check(blocks, &mut errors);
        }
        if let Some(contact) = &changes.contact {
            check_contact(contact, &mut errors);
        }
        if let Some(slider) = &changes.slider {
            check_slider(slider, &mut errors);
        }
        if let Some(settings) = &changes.settings {
            check_settings(settings, &mut errors);
        }
        errors.finish().map(|()| changes)
    }

    fn apply(self, mut config: TripConfig) -> TripConfig {
        config.blocks = self.blocks.unwrap_or(config.blocks);
        config.contact = self.contact.unwrap_or(config.contact);
        config.slider = self.slider.unwrap_or(config.slider);
        config.settings = self.settings.unwrap_or(config.settings);
        config.theme = self.theme.unwrap_or(config.theme);
        config
    }
}

/// The revision a `version` names: `1.0.0+3` names 3; the bare schema version names none.
fn expected_revision(version: &str) -> Result<Option<i64>, String> {
    // Longer than any version moapi writes; not echoed back.
    if version.len() > 40 {
        return Err(format!(
            "must be a version read from this API, such as \"{SCHEMA_VERSION}+3\""
        ));
    }
    let (schema, revision) = match version.trim().split_once('+') {
        Some((schema, revision)) => (schema, Some(revision)),
        None => (version.trim(), None),
    };
    if schema != SCHEMA_VERSION {
        return Err(format!(
            "config schema version \"{schema}\" is not supported; send the version last read, such as \"{SCHEMA_VERSION}+3\""
        ));
    }
    revision
        .map(|revision| {
            revision
                .parse::<i64>()
                .ok()
                .filter(|revision| *revision >= 0)
                .ok_or_else(|| {
                    format!("\"{version}\" is not a version read from this API, such as \"{SCHEMA_VERSION}+3\"")
                })
        })
        .transpose()
}

/// A top-level member of the body as `T`; absent is `None`, null or a bad value an error
/// naming the member or the part of it at fault (`contact.type`).
fn member<T: DeserializeOwned>(
    name: &str,
    value: BodyField<Value>,
    errors: &mut MoguValidation,
) -> Option<T> {
    match value {
        BodyField::Absent => None,
        BodyField::Null | BodyField::Invalid => {
            errors.add(name, "must not be null");
            None
        }
        BodyField::Value(value) => decode(name, value, errors),
    }
}

fn decode<T: DeserializeOwned>(name: &str, value: Value, errors: &mut MoguValidation) -> Option<T> {
    serde_path_to_error::deserialize(value)
        .map_err(|err| {
            let path = err.path().to_string();
            let field = match path.as_str() {
                "." => name.to_string(),
                index if index.starts_with('[') => format!("{name}{index}"),
                inner => format!("{name}.{inner}"),
            };
            // serde quotes the bad value, which may be long.
            let message = err.into_inner().to_string();
            errors.add(field, blocks::shortened(&message, MAX_MESSAGE_CHARS));
        })
        .ok()
}

/// `blocks`, each block read on its own so that every bad one is named.
fn block_list(value: BodyField<Value>, errors: &mut MoguValidation) -> Option<Vec<Block>> {
    let items = member::<Vec<Value>>("blocks", value, errors)?;
    // Past the limit one message says it all; reading every block would only drown it.
    if !blocks::check_count(items.len(), errors) {
        return None;
    }
    let mut decoded = Vec::with_capacity(items.len());
    let mut all_read = true;
    for (index, item) in items.into_iter().enumerate() {
        match decode::<Block>(&format!("blocks[{index}]"), item, errors) {
            Some(block) => decoded.push(block),
            None => all_read = false,
        }
    }
    all_read.then_some(decoded)
}

/// 409 for a `version` that is no longer the config's.
fn stale(revision: i64) -> MoguError {
    MoguError::new(
        StatusCode::CONFLICT,
        "version",
        format!(
            "version \"{}\" is stale: the config changed since it was read; read it again, reapply the change and retry",
            store::version_of(revision)
        ),
    )
}

#[utoipa::path(
    get,
    path = "/trips/{tripId}/config",
    tag = "trips",
    operation_id = "getTripConfig",
    description = "Retrieve the complete configuration for a trip, including blocks, contact info, settings, and theme. A trip whose config was never written has a default one.",
    params(("tripId" = i64, Path, description = "Unique identifier of the trip", example = 12345)),
    responses(
        (status = 200, description = "The trip configuration", body = TripConfig),
        (status = 400, description = "tripId is not a positive integer", body = ValidationErrors),
        (status = 401, description = "Missing or invalid API key", body = ValidationErrors),
        (status = 404, description = "No such trip in the caller's account", body = ValidationErrors),
    )
)]
pub async fn get_trip_config(
    principal: MoguPrincipal,
    mut db: Conn,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<TripConfig>, MoguError> {
    let trip_id = path_trip_id(path)?;
    let stored = store::load_stored(db.get().await?, trip_id, Some(principal.account_id))
        .await?
        .ok_or_else(trip_not_found)?;
    Ok(Json(stored.config))
}

#[utoipa::path(
    patch,
    path = "/trips/{tripId}/config",
    tag = "trips",
    operation_id = "updateTripConfig",
    description = "Update a trip's TripConfig: each top-level member sent replaces the stored one (`blocks` replaces the whole tree) and absent ones are kept. Send the `version` last read to have the update refused with 409 if the config changed since.",
    params(("tripId" = i64, Path, description = "Unique identifier of the trip", example = 12345)),
    request_body = TripConfigUpdate,
    responses(
        (status = 200, description = "Updated trip configuration", body = TripConfig),
        (status = 400, description = "Validation error naming every bad member, down to the block (`blocks[3]`)", body = ValidationErrors),
        (status = 401, description = "Missing or invalid API key", body = ValidationErrors),
        (status = 404, description = "No such trip in the caller's account", body = ValidationErrors),
        (status = 409, description = "`version` is stale: the config changed since it was read; nothing was changed", body = ValidationErrors),
    )
)]
pub async fn update_trip_config(
    principal: MoguPrincipal,
    mut db: Conn,
    path: Result<Path<String>, PathRejection>,
    MoguJson(request): MoguJson<TripConfigUpdate>,
) -> Result<Json<TripConfig>, MoguError> {
    let trip_id = path_trip_id(path)?;
    let changes = Changes::parse(request)?;
    let mut tx = db.begin().await?;
    // The trip's bump comes first: it is the tenancy check, and on both databases it holds
    // the trip's writers in line until this transaction ends.
    let updated_at = store::touch_trip(&mut tx, trip_id, Some(principal.account_id), None)
        .await?
        .ok_or_else(trip_not_found)?;
    let current = store::load_stored(&mut tx, trip_id, None)
        .await?
        .ok_or_else(trip_not_found)?;
    let expected = changes.expected_revision.unwrap_or(current.revision);
    if expected != current.revision {
        return Err(stale(expected));
    }
    let config = changes.apply(current.config);
    match store::write(&mut tx, trip_id, &config, Some(expected), updated_at).await? {
        Saved::Written(config) => {
            tx.commit().await?;
            Ok(Json(*config))
        }
        Saved::Stale | Saved::NoTrip => Err(stale(expected)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::test_support::errors_of;

    fn parse(body: Value) -> Result<Changes, Value> {
        Changes::parse(serde_json::from_value(body).unwrap()).map_err(errors_of)
    }

    #[test]
    fn versions_name_a_revision_or_none() {
        assert_eq!(expected_revision("1.0.0+3"), Ok(Some(3)));
        assert_eq!(expected_revision("1.0.0+0"), Ok(Some(0)));
        assert_eq!(expected_revision("1.0.0"), Ok(None));
        assert!(expected_revision("2.0.0+3").is_err());
        assert!(expected_revision("1.0.0+x").is_err());
        assert!(expected_revision("1.0.0+-1").is_err());
        assert!(expected_revision(&format!("1.0.0+{}", "9".repeat(40))).is_err());
        assert_eq!(store::version_of(7), "1.0.0+7");
    }

    #[test]
    fn every_bad_member_is_named_down_to_the_block() {
        let errors = parse(json!({
            "version": 3,
            "blocks": [
                {"id": "a", "type": "text"},
                {"type": "text"},
                {"id": "c", "type": "text", "hidden": "yes"},
            ],
            "contact": {"type": "person", "web": "nope"},
            "slider": ["https://img.example/1.png", "ftp://x"],
            "settings": {"canDownloadPdf": true},
            "theme": null,
        }))
        .err()
        .unwrap();
        assert_eq!(
            errors,
            json!({
                "version": ["invalid type: integer `3`, expected a string"],
                "blocks[1]": ["missing field `id`"],
                "blocks[2].hidden": ["invalid type: string \"yes\", expected a boolean"],
                "contact.type": ["unknown variant `person`, expected `agency` or `agent`"],
                "slider[1]": [NOT_A_URL],
                "settings": ["missing field `canCreateCopy`"],
                "theme": ["must not be null"],
            })
        );
    }

    #[test]
    fn quoted_bad_values_are_cut_short() {
        let long = "y".repeat(5000);
        let errors = parse(json!({"contact": {"visible": long}})).err().unwrap();
        let message = errors["contact.visible"][0].as_str().unwrap();
        assert!(
            message.starts_with("invalid type: string \"yyy"),
            "{message}"
        );
        assert_eq!(message.chars().count(), MAX_MESSAGE_CHARS + 3);
    }

    #[test]
    fn absent_members_are_kept_and_present_ones_replace() {
        let changes = parse(json!({
            "version": "1.0.0+2",
            "settings": {"canDownloadPdf": false, "canCreateCopy": true, "hasExpiration": false,
                         "shareOnWhatsapp": {"enabled": true}, "printable": {"a4": true}},
        }))
        .ok()
        .unwrap();
        assert_eq!(changes.expected_revision, Some(2));
        let before = TripConfig {
            version: store::version_of(2),
            blocks: vec![Block::new("t", "title", None)],
            contact: TripContact::default(),
            slider: vec!["https://img.example/1.png".into()],
            updated_at: "2025-01-20T14:45:00.000Z".into(),
            settings: TripSettings {
                can_download_pdf: true,
                can_create_copy: false,
                has_expiration: false,
                share_on_whatsapp: None,
                other: Map::new(),
            },
            theme: Map::new(),
        };
        let after = changes.apply(before.clone());
        assert_eq!(
            (&after.blocks, &after.slider),
            (&before.blocks, &before.slider)
        );
        assert_eq!(
            serde_json::to_value(&after.settings).unwrap(),
            json!({"canDownloadPdf": false, "canCreateCopy": true, "hasExpiration": false,
                   "shareOnWhatsapp": {"enabled": true}, "printable": {"a4": true}})
        );
        assert!(validate(&after).is_ok());
    }
}
