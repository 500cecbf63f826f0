//! Turns catalog requests into valid domain values, or into one 400 naming every bad field.
//! The rules are the trips' (a create is an update of an empty catalog; absent keeps, null
//! clears a nullable field, text is trimmed), with the catalog's own fields: a `filters`
//! object of booleans, a `logoUrl` and the `tripIds` set.

use std::collections::BTreeMap;

use moapi_core::error::MoguValidation;
use moapi_core::MoguError;
use serde_json::{Map, Value};

use super::store::NewCatalog;
use super::wire::{CatalogTripIdsRequest, CatalogUpdateRequest};
use crate::trip::input::{
    flag, merge, merge_title, optional_text, trip_id_list, web_url, NOT_A_FLAG, NOT_A_STRING,
    NOT_A_URL,
};
use crate::trip::visibility::VisibilityRequest;
use crate::trip::wire::BodyField;

const DESCRIPTION_MAX_CHARS: usize = 2000;
const MAX_FACETS: usize = 20;
const FACET_MAX_CHARS: usize = 64;
/// The most trips one request may name, and so the largest set a create or PATCH writes.
pub const MAX_TRIP_IDS: usize = 500;

const NOT_FILTERS: &str = "must be an object of facet names to true or false";
const NOT_TRIP_IDS: &str = "must be an array of positive integer trip ids";

/// A catalog's new fields, and its new trip set when the request names one.
pub struct CatalogChanges {
    pub catalog: NewCatalog,
    pub trip_ids: Option<Vec<i64>>,
}

/// Applies `request` to `catalog`, checking every field.
pub fn apply_changes(
    request: CatalogUpdateRequest,
    mut catalog: NewCatalog,
) -> Result<CatalogChanges, MoguError> {
    let mut errors = MoguValidation::default();
    merge_title(&mut errors, request.title, &mut catalog.title);
    merge(
        &mut errors,
        "description",
        request.description,
        NOT_A_STRING,
        &mut catalog.description,
        |text| optional_text(text, DESCRIPTION_MAX_CHARS),
    );
    merge(
        &mut errors,
        "filters",
        request.filters,
        NOT_FILTERS,
        &mut catalog.filters,
        facets,
    );
    merge(
        &mut errors,
        "logoUrl",
        request.logo_url,
        NOT_A_URL,
        &mut catalog.logo_url,
        web_url,
    );
    let trip_ids = match request.trip_ids {
        BodyField::Absent => None,
        ids => {
            let ids = trip_id_list(ids, 0..=MAX_TRIP_IDS);
            if ids.is_none() {
                errors.add("tripIds", trip_ids_message(0));
            }
            ids
        }
    };
    errors.finish()?;
    Ok(CatalogChanges { catalog, trip_ids })
}

fn trip_ids_message(min: usize) -> String {
    format!("{NOT_TRIP_IDS}, {min} to {MAX_TRIP_IDS} of them")
}

/// The `filters` object: at most 20 facets, each named by 1 to 64 letters, digits, `_` or
/// `-`, each true or false. The facet names are the client's: MOGU shows only `country`.
fn facets(value: Option<Map<String, Value>>) -> Result<BTreeMap<String, bool>, String> {
    let object = value.ok_or(NOT_FILTERS)?;
    if object.len() > MAX_FACETS {
        return Err(format!("must have at most {MAX_FACETS} facets"));
    }
    object
        .into_iter()
        .map(|(name, value)| {
            let good_name = (1..=FACET_MAX_CHARS).contains(&name.chars().count())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !good_name {
                return Err(format!(
                    "facet name {name:?} must be 1 to {FACET_MAX_CHARS} letters, digits, _ or -"
                ));
            }
            match value {
                Value::Bool(on) => Ok((name, on)),
                _ => Err(format!("{name} must be true or false")),
            }
        })
        .collect()
}

/// The trips an add or a remove names: 1 to 500 positive IDs, de-duplicated in order.
pub fn trips_named(request: CatalogTripIdsRequest) -> Result<Vec<i64>, MoguError> {
    trip_id_list(request.trip_ids, 1..=MAX_TRIP_IDS)
        .ok_or_else(|| MoguError::invalid("tripIds", trip_ids_message(1)))
}

/// The `isPublic` flag of a visibility request; required.
pub fn visibility(request: VisibilityRequest) -> Result<bool, MoguError> {
    match request.is_public {
        BodyField::Value(is_public) => flag(Some(is_public)),
        _ => Err(NOT_A_FLAG.to_string()),
    }
    .map_err(|message| MoguError::invalid("isPublic", message))
}

/// The 400 for trips a request names that are not the account's (unknown or another
/// account's: the two are not told apart).
pub fn unknown_trips(trip_ids: &[i64]) -> MoguError {
    let listed: Vec<String> = trip_ids.iter().map(i64::to_string).collect();
    MoguError::invalid(
        "tripIds",
        format!("no such trips in this account: {}", listed.join(", ")),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::test_support::errors_of;

    fn create(body: Value) -> Result<CatalogChanges, Value> {
        let request = serde_json::from_value(body).unwrap();
        apply_changes(request, NewCatalog::default()).map_err(errors_of)
    }

    #[test]
    fn a_create_needs_only_a_title() {
        let changes = create(json!({"title": " European Tours ", "description": " "})).unwrap();
        assert_eq!(
            changes.catalog,
            NewCatalog {
                title: "European Tours".into(),
                ..NewCatalog::default()
            }
        );
        assert_eq!(changes.trip_ids, None);
        assert_eq!(
            create(json!({})).err().unwrap(),
            json!({"title": ["title is required"]})
        );
    }

    #[test]
    fn a_full_create_keeps_facets_logo_and_distinct_trips() {
        let changes = create(
            json!({"title": "T", "filters": {"country": true, "price_range": false},
                                    "logoUrl": "https://example.com/l.png", "tripIds": [3, 1, 3]}),
        )
        .unwrap();
        assert_eq!(
            changes.catalog.filters,
            [
                ("country".to_string(), true),
                ("price_range".to_string(), false)
            ]
            .into()
        );
        assert_eq!(
            changes.catalog.logo_url.as_deref(),
            Some("https://example.com/l.png")
        );
        assert_eq!(changes.trip_ids, Some(vec![3, 1]));
        assert_eq!(
            create(json!({"title": "T", "tripIds": []}))
                .unwrap()
                .trip_ids,
            Some(vec![])
        );
    }

    #[test]
    fn every_bad_field_is_named() {
        let errors = create(json!({"title": 5, "description": "x".repeat(2001),
                                   "filters": {"country": "yes"}, "logoUrl": "ftp://x",
                                   "tripIds": [1, 0]}))
        .err()
        .unwrap();
        assert_eq!(
            errors,
            json!({
                "title": ["must be a string"],
                "description": ["must be at most 2000 characters"],
                "filters": ["country must be true or false"],
                "logoUrl": ["must be an absolute http or https URL"],
                "tripIds": ["must be an array of positive integer trip ids, 0 to 500 of them"],
            })
        );
        for filters in [
            json!(null),
            json!([true]),
            json!({"": true}),
            json!({"a b": true}),
        ] {
            let errors = create(json!({"title": "T", "filters": filters}))
                .err()
                .unwrap();
            assert!(errors["filters"].is_array(), "{filters}: {errors}");
        }
        let errors = create(json!({"title": "T", "tripIds": null}))
            .err()
            .unwrap();
        assert!(errors["tripIds"].is_array());
    }

    #[test]
    fn visibility_needs_a_boolean() {
        let read =
            |body: Value| visibility(serde_json::from_value(body).unwrap()).map_err(errors_of);
        assert!(read(json!({"isPublic": true})).unwrap());
        for body in [
            json!({}),
            json!({"isPublic": null}),
            json!({"isPublic": "true"}),
        ] {
            assert_eq!(
                read(body).unwrap_err(),
                json!({"isPublic": ["must be true or false"]})
            );
        }
    }
}
