//! Turns trip requests into valid domain values, or into one 400 naming every bad field. A
//! create is an update of an empty trip, so both share these rules: an absent field keeps its
//! value, null clears a nullable field and is refused elsewhere, and text is trimmed (blank
//! optional text counts as null).

use moapi_core::error::MoguValidation;
use moapi_core::time::parse_instant;
use moapi_core::MoguError;

use super::countries;
use super::store::NewTrip;
use super::wire::{BodyField, DeleteTripsRequest, TripIds, TripUpdateRequest};

const TITLE_MAX_CHARS: usize = 200;
const SEO_DESCRIPTION_MAX_CHARS: usize = 500;
const DURATION_MAX_DAYS: i64 = 3650;
const URL_MAX_CHARS: usize = 2048;
const MAX_DELETED_TRIPS: usize = 100;

const TITLE_REQUIRED: &str = "title is required";
const NOT_A_STRING: &str = "must be a string";
const NOT_A_DATE: &str =
    "must be an ISO-8601 date-time with a time zone, such as 2025-07-15T00:00:00.000Z";
const NOT_A_URL: &str = "must be an absolute http or https URL";
const NOT_A_FLAG: &str = "must be true or false";
const NOT_COUNTRIES: &str = "must be an array of ISO 3166-1 alpha-3 country codes";
const NOT_TRIP_IDS: &str = "must be an array of 1 to 100 positive integer trip ids";
const DURATION_RANGE: &str = "must be an integer between 0 and 3650";

/// Applies `request` to `trip`, checking each field and then the fields together.
pub fn apply_changes(request: TripUpdateRequest, mut trip: NewTrip) -> Result<NewTrip, MoguError> {
    let mut errors = MoguValidation::default();
    // Only a create starts without a title, so only a create may miss one.
    if request.title == BodyField::Absent && trip.title.is_empty() {
        errors.add("title", TITLE_REQUIRED);
    }
    merge(
        &mut errors,
        "title",
        request.title,
        NOT_A_STRING,
        &mut trip.title,
        title,
    );
    merge(
        &mut errors,
        "duration",
        request.duration,
        DURATION_RANGE,
        &mut trip.duration,
        duration,
    );
    let start_ok = merge(
        &mut errors,
        "dateStart",
        request.date_start,
        NOT_A_DATE,
        &mut trip.date_start,
        instant,
    );
    let finish_ok = merge(
        &mut errors,
        "dateFinish",
        request.date_finish,
        NOT_A_DATE,
        &mut trip.date_finish,
        instant,
    );
    merge(
        &mut errors,
        "dateExpiration",
        request.date_expiration,
        NOT_A_DATE,
        &mut trip.date_expiration,
        instant,
    );
    merge(
        &mut errors,
        "seoDescription",
        request.seo_description,
        NOT_A_STRING,
        &mut trip.seo_description,
        seo_description,
    );
    merge(
        &mut errors,
        "countries",
        request.countries,
        NOT_COUNTRIES,
        &mut trip.countries,
        country_list,
    );
    merge(
        &mut errors,
        "logo",
        request.logo,
        NOT_A_URL,
        &mut trip.logo,
        web_url,
    );
    merge(
        &mut errors,
        "coverImage",
        request.cover_image,
        NOT_A_URL,
        &mut trip.cover_image,
        web_url,
    );
    merge(
        &mut errors,
        "isPublic",
        request.is_public,
        NOT_A_FLAG,
        &mut trip.is_public,
        flag,
    );
    merge(
        &mut errors,
        "isTemplate",
        request.is_template,
        NOT_A_FLAG,
        &mut trip.is_template,
        flag,
    );
    // Checked on the merged trip, so a new date is also held against the stored other one.
    if let (true, true, Some(start), Some(finish)) =
        (start_ok, finish_ok, trip.date_start, trip.date_finish)
    {
        if finish < start {
            errors.add("dateFinish", "must not be before dateStart");
        }
    }
    errors.finish()?;
    Ok(trip)
}

/// Applies one body field to `current`: absent keeps it; null (as `None`) and values go
/// through `parse`; a value of the wrong JSON type is reported as `wrong_type`. Returns
/// whether the field was acceptable.
fn merge<T, U>(
    errors: &mut MoguValidation,
    name: &str,
    field: BodyField<T>,
    wrong_type: &str,
    current: &mut U,
    parse: impl FnOnce(Option<T>) -> Result<U, String>,
) -> bool {
    let parsed = match field {
        BodyField::Absent => return true,
        BodyField::Null => parse(None),
        BodyField::Value(value) => parse(Some(value)),
        BodyField::Invalid => Err(wrong_type.to_string()),
    };
    match parsed {
        Ok(value) => {
            *current = value;
            true
        }
        Err(message) => {
            errors.add(name, message);
            false
        }
    }
}

/// Trimmed text, with blank text read as absent.
fn non_blank(text: Option<String>) -> Option<String> {
    text.map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty())
}

fn title(value: Option<String>) -> Result<String, String> {
    match non_blank(value) {
        None => Err(TITLE_REQUIRED.into()),
        Some(title) if title.chars().count() > TITLE_MAX_CHARS => {
            Err(format!("must be at most {TITLE_MAX_CHARS} characters"))
        }
        Some(title) => Ok(title),
    }
}

fn duration(value: Option<i64>) -> Result<Option<i64>, String> {
    match value {
        Some(days) if !(0..=DURATION_MAX_DAYS).contains(&days) => Err(DURATION_RANGE.into()),
        days => Ok(days),
    }
}

fn instant(value: Option<String>) -> Result<Option<i64>, String> {
    value
        .map(|text| parse_instant(text.trim()).ok_or_else(|| NOT_A_DATE.to_string()))
        .transpose()
}

fn seo_description(value: Option<String>) -> Result<Option<String>, String> {
    match non_blank(value) {
        Some(text) if text.chars().count() > SEO_DESCRIPTION_MAX_CHARS => Err(format!(
            "must be at most {SEO_DESCRIPTION_MAX_CHARS} characters"
        )),
        text => Ok(text),
    }
}

fn country_list(value: Option<Vec<String>>) -> Result<Vec<String>, String> {
    value.map_or_else(|| Err(NOT_COUNTRIES.into()), countries::normalise)
}

fn web_url(value: Option<String>) -> Result<Option<String>, String> {
    match non_blank(value) {
        Some(url) if !is_web_url(&url) => Err(NOT_A_URL.into()),
        url => Ok(url),
    }
}

/// An absolute `http` or `https` URL with a host, without spaces or control characters.
pub(crate) fn is_web_url(url: &str) -> bool {
    let after_scheme = ["https://", "http://"].iter().find_map(|scheme| {
        url.get(..scheme.len())
            .filter(|head| head.eq_ignore_ascii_case(scheme))
            .map(|_| &url[scheme.len()..])
    });
    let authority = after_scheme.and_then(|rest| rest.split(['/', '?', '#']).next());
    let host = authority.map(|authority| {
        let without_user = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        without_user.split(':').next().unwrap_or_default()
    });
    host.is_some_and(|host| !host.is_empty())
        && url.chars().count() <= URL_MAX_CHARS
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn flag(value: Option<bool>) -> Result<bool, String> {
    value.ok_or_else(|| NOT_A_FLAG.into())
}

/// A `tripId` path segment: a positive integer.
pub fn trip_id(segment: &str) -> Result<i64, MoguError> {
    segment
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| MoguError::invalid("tripId", "must be a positive integer"))
}

/// The trips a delete names: 1 to 100 positive IDs, de-duplicated in order.
pub fn trips_to_delete(request: DeleteTripsRequest) -> Result<Vec<i64>, MoguError> {
    let ids = match request.trip_id {
        BodyField::Value(TripIds::One(id)) => vec![id],
        BodyField::Value(TripIds::Many(ids)) => ids,
        BodyField::Absent | BodyField::Null | BodyField::Invalid => Vec::new(),
    };
    if ids.is_empty() || ids.len() > MAX_DELETED_TRIPS || ids.iter().any(|id| *id <= 0) {
        return Err(MoguError::invalid("tripId", NOT_TRIP_IDS));
    }
    let mut distinct = Vec::with_capacity(ids.len());
    for id in ids {
        if !distinct.contains(&id) {
            distinct.push(id);
        }
    }
    Ok(distinct)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::test_support::errors_of;

    fn request(body: serde_json::Value) -> TripUpdateRequest {
        serde_json::from_value(body).unwrap()
    }

    fn create(body: serde_json::Value) -> Result<NewTrip, serde_json::Value> {
        apply_changes(request(body), NewTrip::default()).map_err(errors_of)
    }

    fn stored() -> NewTrip {
        NewTrip {
            title: "Rome".into(),
            seo_description: Some("Ancient city".into()),
            duration: Some(4),
            date_start: parse_instant("2025-07-15T00:00:00Z"),
            date_finish: parse_instant("2025-07-19T00:00:00Z"),
            countries: vec!["ITA".into()],
            logo: Some("https://example.com/logo.png".into()),
            is_public: true,
            ..NewTrip::default()
        }
    }

    #[test]
    fn a_create_needs_only_a_title_and_defaults_the_rest() {
        let trip = create(json!({"title": "  Paris Summer Vacation "})).unwrap();
        assert_eq!(
            trip,
            NewTrip {
                title: "Paris Summer Vacation".into(),
                ..NewTrip::default()
            }
        );
        for body in [json!({}), json!({"title": null}), json!({"title": "   "})] {
            assert_eq!(
                create(body).unwrap_err(),
                json!({"title": ["title is required"]})
            );
        }
    }

    #[test]
    fn a_full_create_is_normalised() {
        let trip = create(json!({
            "title": "Paris", "duration": 7, "seoDescription": " Seven days ",
            "dateStart": "2025-07-15T02:00:00+02:00", "dateFinish": "2025-07-22T00:00:00.000Z",
            "dateExpiration": "2025-06-30T00:00:00Z", "countries": ["fra", "BEL", "FRA"],
            "logo": "https://example.com/a.png", "coverImage": "", "isPublic": true,
        }))
        .unwrap();
        assert_eq!(trip.seo_description.as_deref(), Some("Seven days"));
        assert_eq!(trip.date_start, parse_instant("2025-07-15T00:00:00Z"));
        assert_eq!(trip.countries, ["FRA", "BEL"]);
        assert_eq!(trip.cover_image, None);
        assert!(trip.is_public && !trip.is_template);
    }

    #[test]
    fn every_invalid_field_is_reported_at_once() {
        let errors = create(json!({
            "title": "x".repeat(201), "duration": 3651, "dateStart": "2025-07-15",
            "dateFinish": 5, "dateExpiration": "soon", "seoDescription": "x".repeat(501),
            "countries": ["FRA", "XXX"], "logo": "ftp://example.com/a.png",
            "coverImage": "https:///nohost", "isPublic": "true", "isTemplate": null,
        }))
        .unwrap_err();
        let date =
            "must be an ISO-8601 date-time with a time zone, such as 2025-07-15T00:00:00.000Z";
        assert_eq!(
            errors,
            json!({
                "title": ["must be at most 200 characters"],
                "duration": ["must be an integer between 0 and 3650"],
                "dateStart": [date],
                "dateFinish": [date],
                "dateExpiration": [date],
                "seoDescription": ["must be at most 500 characters"],
                "countries": ["must hold ISO 3166-1 alpha-3 country codes; unknown: \"XXX\""],
                "logo": ["must be an absolute http or https URL"],
                "coverImage": ["must be an absolute http or https URL"],
                "isPublic": ["must be true or false"],
                "isTemplate": ["must be true or false"],
            })
        );
    }

    #[test]
    fn wrong_json_types_are_named_by_field() {
        let errors = create(json!({
            "title": 5, "duration": 1.5, "countries": "FRA", "seoDescription": [], "logo": {},
        }))
        .unwrap_err();
        assert_eq!(
            errors,
            json!({
                "title": ["must be a string"],
                "duration": ["must be an integer between 0 and 3650"],
                "seoDescription": ["must be a string"],
                "countries": ["must be an array of ISO 3166-1 alpha-3 country codes"],
                "logo": ["must be an absolute http or https URL"],
            })
        );
    }

    #[test]
    fn an_update_keeps_absent_fields_and_null_clears_nullable_ones() {
        let updated = apply_changes(
            request(
                json!({"duration": null, "logo": null, "seoDescription": null, "title": "Roma"}),
            ),
            stored(),
        )
        .unwrap();
        assert_eq!(
            updated,
            NewTrip {
                title: "Roma".into(),
                seo_description: None,
                duration: None,
                logo: None,
                ..stored()
            }
        );
        assert_eq!(
            apply_changes(request(json!({})), stored()).unwrap(),
            stored()
        );
    }

    #[test]
    fn an_update_may_not_null_a_field_that_is_never_null() {
        let errors = apply_changes(
            request(json!({"title": null, "countries": null, "isPublic": null})),
            stored(),
        )
        .map_err(errors_of)
        .unwrap_err();
        assert_eq!(
            errors,
            json!({
                "title": ["title is required"],
                "countries": ["must be an array of ISO 3166-1 alpha-3 country codes"],
                "isPublic": ["must be true or false"],
            })
        );
    }

    #[test]
    fn a_finish_before_the_start_is_refused_against_the_stored_start_too() {
        let errors = create(json!({
            "title": "T", "dateStart": "2025-07-15T00:00:00Z", "dateFinish": "2025-07-14T23:59:59Z",
        }))
        .unwrap_err();
        assert_eq!(
            errors,
            json!({"dateFinish": ["must not be before dateStart"]})
        );
        let moved = apply_changes(
            request(json!({"dateFinish": "2025-07-01T00:00:00Z"})),
            stored(),
        );
        assert_eq!(
            errors_of(moved.unwrap_err()),
            json!({"dateFinish": ["must not be before dateStart"]})
        );
        let same_day =
            json!({"dateStart": "2025-07-10T00:00:00Z", "dateFinish": "2025-07-10T00:00:00Z"});
        assert!(apply_changes(request(same_day), stored()).is_ok());
    }

    #[test]
    fn web_urls_are_absolute_http_or_https() {
        for url in [
            "https://example.com",
            "HTTP://example.com:8080/a?b#c",
            "https://u@cdn.example/x.png",
        ] {
            assert!(is_web_url(url), "{url}");
        }
        for url in [
            "example.com",
            "ftp://example.com",
            "https://",
            "https://:80/",
            "https://a b.com",
            "/logo.png",
        ] {
            assert!(!is_web_url(url), "{url}");
        }
    }

    #[test]
    fn trip_ids_are_positive_integers() {
        assert_eq!(trip_id("12345").unwrap(), 12345);
        for segment in ["0", "-1", "abc", "1.5", "", "99999999999999999999"] {
            assert_eq!(
                errors_of(trip_id(segment).unwrap_err()),
                json!({"tripId": ["must be a positive integer"]}),
                "{segment}"
            );
        }
    }

    #[test]
    fn deletes_name_one_to_a_hundred_distinct_positive_ids() {
        let delete = |body: serde_json::Value| {
            trips_to_delete(serde_json::from_value(body).unwrap()).map_err(errors_of)
        };
        assert_eq!(delete(json!({"tripId": [3, 1, 3]})).unwrap(), [3, 1]);
        assert_eq!(delete(json!({"tripId": 7})).unwrap(), [7]);
        assert_eq!(delete(json!({"tripIds": [2]})).unwrap(), [2]);
        let too_many: Vec<i64> = (1..=101).collect();
        for body in [
            json!({}),
            json!({"tripId": []}),
            json!({"tripId": [1, 0]}),
            json!({"tripId": ["1"]}),
            json!({"tripId": null}),
            json!({"tripId": too_many}),
        ] {
            assert_eq!(
                delete(body.clone()).unwrap_err(),
                json!({"tripId": ["must be an array of 1 to 100 positive integer trip ids"]}),
                "{body}"
            );
        }
    }
}
