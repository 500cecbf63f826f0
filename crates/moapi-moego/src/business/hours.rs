//! A business's working hours, as its booking settings give them: for each weekday, ranges of
//! minutes from midnight (end exclusive) on the wall clock of the company's time zone. A
//! business whose settings name no hours at all is taken as always open, so that a sandbox
//! business set up without settings can still be booked and rescheduled.

use std::collections::BTreeMap;

use chrono::{Datelike, Timelike, Weekday};
use serde::Deserialize;
use sqlx::AnyConnection;

use crate::company;

#[derive(Debug, Clone, Copy, Deserialize)]
struct Range {
    start: i64,
    end: i64,
}

/// The working hours of one business, in its company's time zone.
#[derive(Debug)]
pub struct WorkingHours {
    zone: chrono_tz::Tz,
    /// By weekday name (`MONDAY`...); a day left out is closed.
    days: BTreeMap<String, Vec<Range>>,
}

impl WorkingHours {
    /// Whether `[start, end)` (microseconds) lies within one working range of its day. A window
    /// that runs past midnight is outside: no range crosses it.
    pub fn covers(&self, start: i64, end: i64) -> bool {
        let (from, to) = (
            company::local_time(start, self.zone),
            company::local_time(end, self.zone),
        );
        let minute = |at: chrono::DateTime<chrono_tz::Tz>| i64::from(at.hour() * 60 + at.minute());
        let same_day = from.date_naive() == to.date_naive();
        // An end exactly at midnight is the day's last minute, 24:00.
        let at_midnight = to.date_naive() == from.date_naive().succ_opt().unwrap_or_default()
            && minute(to) == 0
            && to.second() == 0;
        let (first, last) = match (same_day, at_midnight) {
            (true, _) => (minute(from), minute(to) + i64::from(to.second() > 0)),
            (false, true) => (minute(from), 24 * 60),
            (false, false) => return false,
        };
        let day = match from.weekday() {
            Weekday::Mon => "MONDAY",
            Weekday::Tue => "TUESDAY",
            Weekday::Wed => "WEDNESDAY",
            Weekday::Thu => "THURSDAY",
            Weekday::Fri => "FRIDAY",
            Weekday::Sat => "SATURDAY",
            Weekday::Sun => "SUNDAY",
        };
        self.days
            .get(day)
            .into_iter()
            .flatten()
            .any(|range| range.start <= first && last <= range.end)
    }
}

/// The business's working hours; `None` when its settings name none (always open).
pub async fn of_business(
    conn: &mut AnyConnection,
    business_id: i64,
) -> Result<Option<WorkingHours>, sqlx::Error> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT s.working_hours, c.timezone_id FROM moego_business_settings s \
         JOIN moego_companies c ON c.id = s.company_id WHERE s.business_id = $1",
    )
    .bind(business_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|(hours, zone)| {
        let days: BTreeMap<String, Vec<Range>> = serde_json::from_str(&hours).unwrap_or_default();
        (!days.values().all(Vec::is_empty)).then(|| WorkingHours {
            zone: company::time_zone(&zone),
            days,
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn micros(text: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp_micros()
    }

    #[test]
    fn a_window_must_lie_within_one_range_of_its_local_day() {
        let hours = WorkingHours {
            zone: "America/Los_Angeles".parse().unwrap(),
            days: serde_json::from_str(
                r#"{"TUESDAY":[{"start":600,"end":780},{"start":840,"end":1440}]}"#,
            )
            .unwrap(),
        };
        // Tuesday 2030-01-08, 10:00-11:00 in Los Angeles (UTC-8).
        assert!(hours.covers(
            micros("2030-01-08T18:00:00Z"),
            micros("2030-01-08T19:00:00Z")
        ));
        // 12:30-13:30 runs into the lunch gap.
        assert!(!hours.covers(
            micros("2030-01-08T20:30:00Z"),
            micros("2030-01-08T21:30:00Z")
        ));
        // 23:00-24:00 ends at the range's end, midnight.
        assert!(hours.covers(
            micros("2030-01-09T07:00:00Z"),
            micros("2030-01-09T08:00:00Z")
        ));
        // 09:00 is before opening; Wednesday is closed.
        assert!(!hours.covers(
            micros("2030-01-08T17:00:00Z"),
            micros("2030-01-08T18:30:00Z")
        ));
        assert!(!hours.covers(
            micros("2030-01-09T18:00:00Z"),
            micros("2030-01-09T19:00:00Z")
        ));
    }
}
