//! Billing cycles and what a subscription's dates are at an instant. Periods are counted from
//! the subscription's start in UTC: period `k` starts `k` cycles after it (months added to the
//! start itself, so a subscription started on the 31st renews on the last day of shorter
//! months and on the 31st again after them). Nothing here reads the database.

use chrono::{DateTime, Datelike, Months, Utc};

const MICROS_PER_DAY: i64 = 86_400_000_000;

/// A billing cycle: `value` calendar periods of one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cycle {
    unit: Unit,
    value: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Fortnight,
    Month,
    Quarter,
    Half,
    Year,
}

const UNITS: [(Unit, &str); 7] = [
    (Unit::Day, "DAY"),
    (Unit::Week, "WEEK"),
    (Unit::Fortnight, "FORTNIGHT"),
    (Unit::Month, "MONTH"),
    (Unit::Quarter, "QUARTER"),
    (Unit::Half, "HALF"),
    (Unit::Year, "YEAR"),
];

/// Most units one cycle may span: a cycle of about two years at most.
const MAX_VALUE: i64 = 730;

/// How a cycle moves a date: a fixed number of days, or calendar months.
enum Step {
    Days(i64),
    Months(u32),
}

impl Cycle {
    /// A cycle from a google.type.CalendarPeriod name and a count of 1..=730.
    pub fn parse(unit: &str, value: i64) -> Result<Cycle, String> {
        let unit = UNITS
            .iter()
            .find(|(_, name)| *name == unit)
            .map(|(unit, _)| *unit)
            .ok_or_else(|| {
                format!(
                    "{unit:?} is not one of {}",
                    UNITS.map(|(_, name)| name).join(", ")
                )
            })?;
        if !(1..=MAX_VALUE).contains(&value) {
            return Err(format!("the value must be between 1 and {MAX_VALUE}"));
        }
        Ok(Cycle {
            unit,
            value: value as u32,
        })
    }

    /// The cycle of a deprecated `billingCycle` name (MONTHLY, ANNUALLY, WEEKLY).
    pub fn of_billing_cycle(name: &str) -> Option<Cycle> {
        let unit = match name {
            "MONTHLY" => Unit::Month,
            "ANNUALLY" => Unit::Year,
            "WEEKLY" => Unit::Week,
            _ => return None,
        };
        Some(Cycle { unit, value: 1 })
    }

    pub fn unit_name(self) -> &'static str {
        UNITS
            .iter()
            .find(|(unit, _)| *unit == self.unit)
            .map_or("", |(_, name)| name)
    }

    pub fn value(self) -> u32 {
        self.value
    }

    /// The deprecated `billingCycle` this cycle is, if it is one of the three.
    pub fn billing_cycle_name(self) -> Option<&'static str> {
        match (self.unit, self.value) {
            (Unit::Month, 1) => Some("MONTHLY"),
            (Unit::Year, 1) => Some("ANNUALLY"),
            (Unit::Week, 1) => Some("WEEKLY"),
            _ => None,
        }
    }

    fn step(self) -> Step {
        let value = self.value;
        match self.unit {
            Unit::Day => Step::Days(i64::from(value)),
            Unit::Week => Step::Days(7 * i64::from(value)),
            Unit::Fortnight => Step::Days(14 * i64::from(value)),
            Unit::Month => Step::Months(value),
            Unit::Quarter => Step::Months(3 * value),
            Unit::Half => Step::Months(6 * value),
            Unit::Year => Step::Months(12 * value),
        }
    }

    /// The start of period `k` of a subscription started at `start`.
    pub fn period_start(self, start: i64, k: u32) -> i64 {
        match self.step() {
            Step::Days(days) => start + i64::from(k) * days * MICROS_PER_DAY,
            Step::Months(months) => {
                let Some(date) = DateTime::<Utc>::from_timestamp_micros(start) else {
                    return i64::MAX;
                };
                months
                    .checked_mul(k)
                    .and_then(|months| date.checked_add_months(Months::new(months)))
                    .map_or(i64::MAX, |date| date.timestamp_micros())
            }
        }
    }

    /// The index of the period holding `at` (`at` >= `start`).
    pub fn period_index(self, start: i64, at: i64) -> u32 {
        let estimate = match self.step() {
            Step::Days(days) => (at - start) / (days * MICROS_PER_DAY),
            Step::Months(months) => {
                let months_between = |from: i64, to: i64| -> i64 {
                    let from = DateTime::<Utc>::from_timestamp_micros(from).unwrap_or_default();
                    let to = DateTime::<Utc>::from_timestamp_micros(to).unwrap_or_default();
                    let (from, to) = (from.date_naive(), to.date_naive());
                    i64::from(to.year() - from.year()) * 12 + i64::from(to.month())
                        - i64::from(from.month())
                };
                months_between(start, at) / i64::from(months)
            }
        };
        let mut k = u32::try_from(estimate.max(0)).unwrap_or(u32::MAX - 1);
        while k > 0 && self.period_start(start, k) > at {
            k -= 1;
        }
        while self.period_start(start, k + 1) <= at {
            k += 1;
        }
        k
    }

    /// The end of the period holding `at` (the start when `at` is before it: the first
    /// period's end).
    pub fn period_end(self, start: i64, at: i64) -> i64 {
        self.period_start(start, self.period_index(start, at.max(start)) + 1)
    }
}

/// A subscription's dates: its start, its cycle and when it ends, if it was cancelled.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub start: i64,
    pub cycle: Cycle,
    pub ends_at: Option<i64>,
}

/// What a subscription is at an instant, as ListSubscriptions shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// v1SubscriptionStatus name.
    pub status: &'static str,
    /// The period served at that instant (the last one, cut at its end, once it is over).
    pub validity: Option<(i64, i64)>,
    pub next_billing: Option<i64>,
    /// When it stops: its end once cancelled, else the end of the period paid for.
    pub expired: Option<i64>,
}

impl Span {
    pub fn standing(&self, now: i64) -> Standing {
        let cycle = self.cycle;
        if self.ends_at.is_some_and(|end| end <= self.start) {
            // Cancelled before it began: it never served a period.
            return Standing {
                status: "CANCELLED",
                validity: None,
                next_billing: None,
                expired: self.ends_at,
            };
        }
        if now < self.start {
            return Standing {
                status: "PENDING",
                validity: None,
                next_billing: Some(self.start),
                expired: None,
            };
        }
        let served = match self.ends_at {
            // The last instant served is just before the end.
            Some(end) if end <= now => end - 1,
            _ => now,
        };
        let k = cycle.period_index(self.start, served);
        let period_start = cycle.period_start(self.start, k);
        let period_end = cycle.period_start(self.start, k + 1);
        match self.ends_at {
            Some(end) if end <= now => Standing {
                status: "CANCELLED",
                validity: Some((period_start, period_end.min(end))),
                next_billing: None,
                expired: Some(end),
            },
            Some(end) => Standing {
                status: "ACTIVE",
                validity: Some((period_start, period_end.min(end))),
                next_billing: None,
                expired: Some(end),
            },
            None => Standing {
                status: "ACTIVE",
                validity: Some((period_start, period_end)),
                next_billing: Some(period_end),
                expired: Some(period_end),
            },
        }
    }

    /// The starts of the periods that have begun by `now`, from `from` on, before its end.
    pub fn due_periods(&self, from: i64, now: i64) -> Vec<i64> {
        let mut due = Vec::new();
        if now < self.start {
            return due;
        }
        let first = self.cycle.period_index(self.start, from.max(self.start));
        let mut k = first;
        loop {
            let period = self.cycle.period_start(self.start, k);
            if period > now || self.ends_at.is_some_and(|end| period >= end) {
                break;
            }
            if period >= from {
                due.push(period);
            }
            k += 1;
        }
        due
    }

    /// The start of the first period after `now` still served, if any: when the next bill
    /// is due.
    pub fn next_bill_after(&self, now: i64) -> Option<i64> {
        let next = if now < self.start {
            self.start
        } else {
            self.cycle.period_end(self.start, now)
        };
        match self.ends_at {
            Some(end) if next >= end => None,
            _ => Some(next),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instant(text: &str) -> i64 {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp_micros()
    }

    fn days_after(at: i64, days: i64) -> i64 {
        at + days * MICROS_PER_DAY
    }

    fn monthly() -> Cycle {
        Cycle::of_billing_cycle("MONTHLY").unwrap()
    }

    #[test]
    fn months_are_added_to_the_start_itself() {
        let start = instant("2026-01-31T10:00:00Z");
        let cycle = monthly();
        assert_eq!(
            cycle.period_start(start, 1),
            instant("2026-02-28T10:00:00Z")
        );
        assert_eq!(
            cycle.period_start(start, 2),
            instant("2026-03-31T10:00:00Z")
        );
        let at = instant("2026-03-05T00:00:00Z");
        assert_eq!(cycle.period_index(start, at), 1);
        assert_eq!(cycle.period_end(start, at), instant("2026-03-31T10:00:00Z"));
    }

    #[test]
    fn a_subscription_forty_days_old_is_in_its_second_month() {
        let now = instant("2026-12-07T12:00:00Z");
        let span = Span {
            start: days_after(now, -40),
            cycle: monthly(),
            ends_at: None,
        };
        let standing = span.standing(now);
        assert_eq!(standing.status, "ACTIVE");
        let (from, to) = standing.validity.unwrap();
        assert_eq!(from, monthly().period_start(span.start, 1));
        assert_eq!(Some(to), standing.next_billing);
        assert_eq!(span.due_periods(span.start, now).len(), 2);
        assert_eq!(span.due_periods(from, now), vec![from]);
        assert_eq!(span.next_bill_after(now), Some(to));
    }

    #[test]
    fn cancelled_at_period_end_runs_out_its_period() {
        let start = instant("2026-01-01T00:00:00Z");
        let end = instant("2026-02-01T00:00:00Z");
        let span = Span {
            start,
            cycle: monthly(),
            ends_at: Some(end),
        };
        let during = span.standing(instant("2026-01-20T00:00:00Z"));
        assert_eq!(during.status, "ACTIVE");
        assert_eq!(during.next_billing, None);
        assert_eq!(during.expired, Some(end));
        let after = span.standing(instant("2026-03-01T00:00:00Z"));
        assert_eq!(after.status, "CANCELLED");
        assert_eq!(after.validity, Some((start, end)));
        assert_eq!(
            span.due_periods(start, instant("2026-06-01T00:00:00Z")),
            vec![start]
        );
        assert_eq!(span.next_bill_after(instant("2026-01-20T00:00:00Z")), None);
    }

    #[test]
    fn a_future_start_is_pending() {
        let span = Span {
            start: instant("2027-01-01T00:00:00Z"),
            cycle: Cycle::parse("WEEK", 2).unwrap(),
            ends_at: None,
        };
        let standing = span.standing(instant("2026-12-01T00:00:00Z"));
        assert_eq!(standing.status, "PENDING");
        assert_eq!(standing.next_billing, Some(span.start));
        assert!(span
            .due_periods(span.start, instant("2026-12-01T00:00:00Z"))
            .is_empty());
    }

    #[test]
    fn cycles_are_checked() {
        assert!(Cycle::parse("MONTH", 1).is_ok());
        assert!(Cycle::parse("DECADE", 1).is_err());
        assert!(Cycle::parse("DAY", 0).is_err());
        assert_eq!(
            Cycle::parse("YEAR", 1).unwrap().billing_cycle_name(),
            Some("ANNUALLY")
        );
        assert_eq!(Cycle::parse("DAY", 3).unwrap().billing_cycle_name(), None);
    }
}
