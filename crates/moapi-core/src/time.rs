//! Instants are stored as microseconds since the Unix epoch (one integer column on both
//! backends) and rendered in each vendor's timestamp style.

use chrono::{DateTime, SecondsFormat, Utc};

pub fn now_micros() -> i64 {
    Utc::now().timestamp_micros()
}

fn to_datetime(micros: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros).unwrap_or_default()
}

/// protojson's Timestamp: RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits.
pub fn protojson_timestamp(micros: i64) -> String {
    to_datetime(micros).to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// MOGU's timestamps: ISO-8601 UTC with milliseconds (`2025-07-15T00:00:00.000Z`).
pub fn iso_millis(micros: i64) -> String {
    to_datetime(micros).to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// MOGU's AI job timestamps: ISO-8601 UTC to the second (`2026-01-27T15:30:28Z`).
pub fn iso_seconds(micros: i64) -> String {
    to_datetime(micros).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Parses an RFC 3339 / ISO-8601 instant with an offset.
pub fn parse_instant(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc).timestamp_micros())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_formats() {
        let micros = parse_instant("2025-07-15T00:00:00.000Z").unwrap();
        assert_eq!(iso_millis(micros), "2025-07-15T00:00:00.000Z");
        assert_eq!(protojson_timestamp(micros), "2025-07-15T00:00:00Z");
        assert_eq!(
            protojson_timestamp(micros + 740_351),
            "2025-07-15T00:00:00.740351Z"
        );
        assert!(parse_instant("2025-02-30T00:00:00Z").is_none());
    }
}
