//! Wire types several MoeGo resources share (google.type.*) and the protojson rule that
//! default values are left out.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `google.type.TimeZone`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
#[schema(as = typeTimeZone)]
pub struct TimeZone {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
}

/// `google.type.LatLng`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[schema(as = typeLatLng)]
pub struct LatLng {
    #[serde(default, skip_serializing_if = "is_zero_f64")]
    pub latitude: f64,
    #[serde(default, skip_serializing_if = "is_zero_f64")]
    pub longitude: f64,
}

pub(crate) fn is_zero_f64(value: &f64) -> bool {
    *value == 0.0
}

pub fn is_false(value: &bool) -> bool {
    !*value
}

/// Declares a protojson enum: names on the wire, the `*_UNSPECIFIED` value as default (and
/// omitted on output), and the name as the stored text.
macro_rules! proto_enum {
    ($(#[$meta:meta])* $name:ident as $schema:ident { $unspecified:ident = $unspecified_name:literal, $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
        #[schema(as = $schema)]
        pub enum $name {
            #[default]
            #[serde(rename = $unspecified_name)]
            $unspecified,
            $(#[serde(rename = $text)] $variant,)+
        }

        impl $name {
            pub fn name(self) -> &'static str {
                match self {
                    $name::$unspecified => $unspecified_name,
                    $($name::$variant => $text,)+
                }
            }

            /// Reads a stored name; an empty or unknown one is unspecified.
            pub fn from_name(text: &str) -> Self {
                match text {
                    $($text => $name::$variant,)+
                    _ => $name::$unspecified,
                }
            }

            pub fn is_unspecified(&self) -> bool {
                *self == $name::$unspecified
            }
        }
    };
}
pub(crate) use proto_enum;

/// A resource ID from the URL path. One that does not even decode as text is as malformed as
/// a tampered one, so it gets the vendor's "invalid obfuscate" rather than axum's plain text.
pub struct PathId(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PathId {
    type Rejection = moapi_core::Status;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(id)| PathId(id))
            .map_err(|_| moapi_core::Status::invalid_obfuscate())
    }
}

/// Most items a repeated request field may hold (the vendor's limit on `...In` filters).
pub const MAX_REPEATED: usize = 1000;

/// INVALID_ARGUMENT naming `field` when it holds more than [`MAX_REPEATED`] items.
pub fn check_max_items(field: &str, len: usize) -> Result<(), moapi_core::Status> {
    if len > MAX_REPEATED {
        return Err(moapi_core::Status::invalid_argument(format!(
            "{field}: value must contain at most {MAX_REPEATED} items, got {len}"
        )));
    }
    Ok(())
}

/// A request's list of public IDs of one kind, decoded, duplicates dropped (first kept):
/// at most [`MAX_REPEATED`], each well-formed ("invalid obfuscate" otherwise).
pub fn decode_unique(
    state: &moapi_core::AppState,
    kind: moapi_core::IdKind,
    field: &str,
    ids: &[String],
) -> Result<Vec<i64>, moapi_core::Status> {
    check_max_items(field, ids.len())?;
    let mut seen = std::collections::BTreeSet::new();
    let mut decoded = Vec::new();
    for id in ids {
        let raw = state
            .ids
            .decode(kind, id.trim())
            .map_err(|_| moapi_core::Status::invalid_obfuscate())?;
        if seen.insert(raw) {
            decoded.push(raw);
        }
    }
    Ok(decoded)
}

/// Two resource IDs from the URL path (`/v1/customers/{customerId}/notes/{noteId}`), refused
/// like [`PathId`] when they are not text.
pub struct PathIdPair(pub String, pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PathIdPair {
    type Rejection = moapi_core::Status;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path((first, second))| PathIdPair(first, second))
            .map_err(|_| moapi_core::Status::invalid_obfuscate())
    }
}

/// protojson int32 from a number or a numeric string; absent or null is 0.
pub(crate) fn int32_or_zero<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<i32, D::Error> {
    moapi_core::wire::opt_int32::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// `google.type.Date`: a whole or partial calendar date. Zeros mark the parts left out.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[schema(as = typeDate)]
pub struct Date {
    #[serde(
        default,
        deserialize_with = "int32_or_zero",
        skip_serializing_if = "is_zero_i32"
    )]
    pub year: i32,
    #[serde(
        default,
        deserialize_with = "int32_or_zero",
        skip_serializing_if = "is_zero_i32"
    )]
    pub month: i32,
    #[serde(
        default,
        deserialize_with = "int32_or_zero",
        skip_serializing_if = "is_zero_i32"
    )]
    pub day: i32,
}

pub(crate) fn is_zero_i32(value: &i32) -> bool {
    *value == 0
}

pub(crate) fn is_zero_i64(value: &i64) -> bool {
    *value == 0
}

impl Date {
    /// Checks the forms google.type.Date allows: a full date that exists (no Feb 30), a year
    /// alone, a year and month, or a month and day (an anniversary). `field` names the error.
    pub fn validate(&self, field: &str) -> Result<(), moapi_core::Status> {
        let Date { year, month, day } = *self;
        let in_range =
            (0..=9999).contains(&year) && (0..=12).contains(&month) && (0..=31).contains(&day);
        let valid = in_range
            && match (year, month, day) {
                (0, 0, _) => false,
                (_, 0, 0) => true,
                (_, 0, _) => false,
                (_, _, 0) => year != 0,
                // A month and day without a year: any day some year has (Feb 29 included).
                (0, _, _) => {
                    chrono::NaiveDate::from_ymd_opt(2000, month as u32, day as u32).is_some()
                }
                _ => chrono::NaiveDate::from_ymd_opt(year, month as u32, day as u32).is_some(),
            };
        if valid {
            Ok(())
        } else {
            Err(moapi_core::Status::invalid_argument(format!(
                "{field}: {year:04}-{month:02}-{day:02} is not a valid date"
            )))
        }
    }

    /// A full date (year, month and day; `field` names it) as a calendar day.
    pub fn calendar_day(&self, field: &str) -> Result<chrono::NaiveDate, moapi_core::Status> {
        self.validate(field)?;
        u32::try_from(self.month)
            .ok()
            .zip(u32::try_from(self.day).ok())
            .and_then(|(month, day)| chrono::NaiveDate::from_ymd_opt(self.year, month, day))
            .filter(|_| self.year != 0)
            .ok_or_else(|| {
                moapi_core::Status::invalid_argument(format!(
                    "{field}: year, month and day are all required"
                ))
            })
    }

    /// Whether every part is zero (protojson's "not set").
    pub fn is_empty(&self) -> bool {
        *self == Date::default()
    }

    /// The stored form, `YYYY-MM-DD` with zeros for the parts left out.
    pub fn to_text(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    pub fn from_text(text: &str) -> Option<Date> {
        let mut parts = text.splitn(3, '-').map(|part| part.parse::<i32>().ok());
        match (parts.next(), parts.next(), parts.next()) {
            (Some(Some(year)), Some(Some(month)), Some(Some(day))) => {
                Some(Date { year, month, day })
            }
            _ => None,
        }
    }
}

impl From<chrono::NaiveDate> for Date {
    fn from(day: chrono::NaiveDate) -> Date {
        use chrono::Datelike;
        Date {
            year: day.year(),
            month: day.month() as i32,
            day: day.day() as i32,
        }
    }
}

/// `google.type.Interval`: start inclusive, end exclusive, both optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
#[schema(as = typeInterval)]
pub struct Interval {
    #[serde(default, alias = "start_time", skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub start_time: Option<String>,
    #[serde(default, alias = "end_time", skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub end_time: Option<String>,
}

impl Interval {
    /// The wire form of stored instants (microseconds).
    pub fn from_micros(start: Option<i64>, end: Option<i64>) -> Interval {
        Interval {
            start_time: start.map(moapi_core::time::protojson_timestamp),
            end_time: end.map(moapi_core::time::protojson_timestamp),
        }
    }
}

fn instant(field: &str, value: Option<&str>) -> Result<Option<i64>, moapi_core::Status> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => moapi_core::time::parse_instant(text)
            .map(Some)
            .ok_or_else(|| {
                moapi_core::Status::invalid_argument(format!(
                    "{field}: {text:?} is not an RFC 3339 timestamp (e.g. 2025-06-30T11:58:36Z)"
                ))
            }),
    }
}

/// An interval's bounds in microseconds, each optional; a start after the end is refused.
pub fn interval(
    field: &str,
    interval: &Interval,
) -> Result<(Option<i64>, Option<i64>), moapi_core::Status> {
    let start = instant(
        &format!("{field}.startTime"),
        interval.start_time.as_deref(),
    )?;
    let end = instant(&format!("{field}.endTime"), interval.end_time.as_deref())?;
    if let (Some(start), Some(end)) = (start, end) {
        if start > end {
            return Err(moapi_core::Status::invalid_argument(format!(
                "{field}: startTime must not be after endTime"
            )));
        }
    }
    Ok((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_take_the_forms_google_type_date_allows() {
        let date = |year, month, day| Date { year, month, day };
        for ok in [
            date(2020, 2, 29),
            date(2021, 0, 0),
            date(2021, 7, 0),
            date(0, 2, 29),
        ] {
            assert!(ok.validate("d").is_ok(), "{ok:?}");
        }
        for bad in [
            date(2021, 2, 29),
            date(2021, 2, 30),
            date(2021, 13, 1),
            date(0, 0, 5),
            date(2021, 0, 5),
            date(-1, 1, 1),
            date(10000, 1, 1),
            date(0, 4, 31),
        ] {
            assert!(bad.validate("d").is_err(), "{bad:?}");
        }
        assert_eq!(
            Date::from_text(&date(2020, 2, 0).to_text()),
            Some(date(2020, 2, 0))
        );
    }
}
