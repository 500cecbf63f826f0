//! Validation of what `FetchReportData` is asked: the period, cut into the company's local
//! days, and the fields to group by.

use chrono::{NaiveDate, Offset, TimeZone};
use chrono_tz::Tz;
use moapi_core::Status;

use super::definitions::{Definition, FieldDef};
use crate::company;
use crate::wire::Interval;

const DAY: i64 = 86_400_000_000;
/// Longest period a request may cover: a year, leap day included. Every figure is summed
/// from live rows, so the bound keeps one request's work bounded.
pub const MAX_PERIOD_DAYS: i64 = 366;
const PERIOD: &str = "condition.queryPeriod";

/// The period's bounds in microseconds, start inclusive, end exclusive: both required, the
/// start not after the end, at most [`MAX_PERIOD_DAYS`] apart.
pub fn period(interval: Option<&Interval>) -> Result<(i64, i64), Status> {
    let interval =
        interval.ok_or_else(|| Status::invalid_argument(format!("{PERIOD}: value is required")))?;
    let (start, end) = crate::wire::interval(PERIOD, interval)?;
    let required =
        |bound: &str| Status::invalid_argument(format!("{PERIOD}.{bound}: value is required"));
    let start = start.ok_or_else(|| required("startTime"))?;
    let end = end.ok_or_else(|| required("endTime"))?;
    if end - start > MAX_PERIOD_DAYS * DAY {
        return Err(Status::invalid_argument(format!(
            "{PERIOD}: at most {MAX_PERIOD_DAYS} days from startTime to endTime"
        )));
    }
    Ok((start, end))
}

/// One local calendar day of the period: the part of it inside the period, in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    pub from: i64,
    pub to: i64,
}

/// The instant a local day begins: its midnight, or the first time after it the clock shows
/// where a time-zone change skips midnight.
fn day_start(zone: Tz, date: NaiveDate) -> i64 {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    (0..=24 * 4)
        .find_map(|quarter| {
            zone.from_local_datetime(&(midnight + chrono::Duration::minutes(15 * quarter)))
                .earliest()
        })
        .map_or(0, |start| start.timestamp_micros())
}

/// The local days of `zone` that `[start, end)` touches, each clipped to the period, in order;
/// together they cover the period exactly.
pub fn days(zone: Tz, start: i64, end: i64) -> Vec<Day> {
    let mut days = Vec::new();
    let mut date = company::local_time(start, zone).date_naive();
    let mut from = start;
    while from < end {
        let Some(next) = date.succ_opt() else { break };
        let to = day_start(zone, next).min(end);
        if from < to {
            days.push(Day { date, from, to });
        }
        from = from.max(to);
        date = next;
    }
    days
}

/// How the store finds the index of an instant's local day by arithmetic alone (no join on
/// the days, which PostgreSQL can only walk row by row): on each stretch of the period where
/// the zone's offset holds, `(instant + shift) / DAY`, where `shift` is that offset less the
/// first day's local midnight (so the quotient counts days from the first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    pub start: i64,
    pub end: i64,
    /// `(from, shift)`: from instant `from` on (the first is the period's start), `shift`.
    pub stretches: Vec<(i64, i64)>,
}

pub const MICROS_PER_DAY: i64 = DAY;

fn offset_micros(zone: Tz, instant: i64) -> i64 {
    let utc = chrono::DateTime::from_timestamp_micros(instant)
        .unwrap_or_default()
        .naive_utc();
    i64::from(zone.offset_from_utc_datetime(&utc).fix().local_minus_utc()) * 1_000_000
}

/// The calendar of `days` (see [`days`]) of `zone`, from `start` to `end`.
pub fn calendar(zone: Tz, start: i64, end: i64, days: &[Day]) -> Calendar {
    let first_midnight = days.first().map_or(0, |day| {
        day.date
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc()
            .timestamp_micros()
    });
    let mut offset = offset_micros(zone, start);
    let mut stretches = vec![(start, offset - first_midnight)];
    for day in days {
        let last = offset_micros(zone, day.to - 1);
        if last == offset {
            continue;
        }
        // Where the offset changes, to the second.
        let (mut before, mut after) = (day.from, day.to - 1);
        while after - before > 1_000_000 {
            let middle = before + (after - before) / 2;
            match offset_micros(zone, middle) == offset {
                true => before = middle,
                false => after = middle,
            }
        }
        // Clocks change on a whole second, the one second in (before, after].
        let from = (before / 1_000_000 + 1) * 1_000_000;
        offset = last;
        stretches.push((from, offset - first_midnight));
    }
    Calendar {
        start,
        end,
        stretches,
    }
}

/// The fields to group by, in the report's field order: those `keys` names, each a groupable
/// field of the report (INVALID_ARGUMENT otherwise), or the report's default grouping.
pub fn grouping(
    report: &'static Definition,
    keys: &[String],
) -> Result<Vec<&'static FieldDef>, Status> {
    const FIELD: &str = "condition.groupByFieldKeys";
    crate::wire::check_max_items(FIELD, keys.len())?;
    let mut chosen: Vec<&str> = Vec::new();
    for key in keys.iter().map(|key| key.trim()) {
        let field = report.field(key).ok_or_else(|| {
            Status::invalid_argument(format!(
                "{FIELD}: report {} has no field {key:?}",
                report.id
            ))
        })?;
        if !field.groupable() {
            return Err(Status::invalid_argument(format!(
                "{FIELD}: field {key:?} of report {} cannot be grouped by",
                report.id
            )));
        }
        chosen.push(field.key);
    }
    if chosen.is_empty() {
        chosen.extend_from_slice(report.default_grouping);
    }
    Ok(report
        .fields
        .iter()
        .filter(|field| chosen.contains(&field.key))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instant(text: &str) -> i64 {
        moapi_core::time::parse_instant(text).unwrap()
    }

    #[test]
    fn days_follow_the_zone_across_a_clock_change() {
        let zone: Tz = "America/Los_Angeles".parse().unwrap();
        // 2026-03-08 is 23 hours long in Los Angeles.
        let days = days(
            zone,
            instant("2026-03-07T20:00:00Z"),
            instant("2026-03-09T12:00:00Z"),
        );
        let dates: Vec<String> = days.iter().map(|day| day.date.to_string()).collect();
        assert_eq!(dates, ["2026-03-07", "2026-03-08", "2026-03-09"]);
        assert_eq!(days[0].from, instant("2026-03-07T20:00:00Z"));
        assert_eq!(days[1].from, instant("2026-03-08T08:00:00Z"));
        assert_eq!(days[1].to, instant("2026-03-09T07:00:00Z"));
        assert_eq!(days[2].to, instant("2026-03-09T12:00:00Z"));
        for pair in days.windows(2) {
            assert_eq!(pair[0].to, pair[1].from);
        }
    }

    /// The day index the store's arithmetic gives an instant.
    fn bucket(calendar: &Calendar, instant: i64) -> i64 {
        let shift = calendar
            .stretches
            .iter()
            .rev()
            .find(|(from, _)| *from <= instant)
            .unwrap()
            .1;
        (instant + shift) / DAY
    }

    #[test]
    fn the_calendar_arithmetic_finds_each_instant_s_day() {
        for (zone, start, end) in [
            (
                "America/Los_Angeles",
                "2026-01-10T10:17:33Z",
                "2026-12-01T00:00:00Z",
            ),
            (
                "Asia/Kolkata",
                "2026-05-01T00:00:00Z",
                "2026-05-09T00:00:00Z",
            ),
            (
                "America/Santiago",
                "2022-08-01T00:00:00Z",
                "2022-10-01T00:00:00Z",
            ),
            (
                "Australia/Lord_Howe",
                "2026-03-01T00:00:00Z",
                "2026-11-01T00:00:00Z",
            ),
        ] {
            let zone: Tz = zone.parse().unwrap();
            let (start, end) = (instant(start), instant(end));
            let days = days(zone, start, end);
            let calendar = calendar(zone, start, end, &days);
            for (index, day) in days.iter().enumerate() {
                for at in [day.from, day.to - 1, day.from + (day.to - day.from) / 2] {
                    assert_eq!(bucket(&calendar, at), index as i64, "{zone} {day:?} {at}");
                }
            }
        }
    }

    #[test]
    fn an_empty_period_has_no_days() {
        let at = instant("2026-03-07T20:00:00Z");
        assert!(days(chrono_tz::UTC, at, at).is_empty());
    }

    #[test]
    fn a_midnight_the_clock_skips_starts_the_day_later() {
        // Santiago moved its clocks from 00:00 to 01:00 on 2022-09-11.
        let zone: Tz = "America/Santiago".parse().unwrap();
        let start = day_start(zone, NaiveDate::from_ymd_opt(2022, 9, 11).unwrap());
        assert_eq!(start, instant("2022-09-11T04:00:00Z"));
    }

    #[test]
    fn periods_are_required_bounded_and_ordered() {
        let interval = |start: &str, end: &str| Interval {
            start_time: Some(start.into()),
            end_time: Some(end.into()),
        };
        assert!(period(Some(&interval(
            "2025-01-01T00:00:00Z",
            "2026-01-02T00:00:00Z"
        )))
        .is_ok());
        for (bad, named) in [
            (None, "condition.queryPeriod:"),
            (
                Some(interval("2025-01-01T00:00:00Z", "2026-01-03T00:00:00Z")),
                "366 days",
            ),
            (
                Some(interval("2025-01-02T00:00:00Z", "2025-01-01T00:00:00Z")),
                "startTime must not be after endTime",
            ),
            (
                Some(Interval {
                    start_time: Some("2025-01-01T00:00:00Z".into()),
                    end_time: None,
                }),
                "condition.queryPeriod.endTime",
            ),
            (
                Some(interval("yesterday", "2025-01-01T00:00:00Z")),
                "condition.queryPeriod.startTime",
            ),
        ] {
            let error = period(bad.as_ref()).unwrap_err();
            assert!(error.message().contains(named), "{error:?}");
        }
    }
}
