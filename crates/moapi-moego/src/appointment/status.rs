//! The appointment status machine: UNCONFIRMED -> CONFIRMED -> CHECKED_IN -> READY ->
//! FINISHED, forward only (a move may skip stages, and stamps every stage it passes), and
//! CANCELED from any state before FINISHED. FINISHED and CANCELED are final.

use moapi_core::{Code, Status};

use super::store::StatusChange;
use super::wire::AppointmentStatus;
use crate::event::EventType;

/// The forward stages in order, with the column stamped when each is reached.
const STAGES: [(AppointmentStatus, Option<&str>); 5] = [
    (AppointmentStatus::Unconfirmed, None),
    (AppointmentStatus::Confirmed, Some("confirmed_at")),
    (AppointmentStatus::CheckedIn, Some("check_in_at")),
    (AppointmentStatus::Ready, Some("ready_at")),
    (AppointmentStatus::Finished, Some("check_out_at")),
];

fn stage(status: AppointmentStatus) -> Option<usize> {
    STAGES.iter().position(|(stage, _)| *stage == status)
}

/// The change moving an appointment from `from` to `to`: INVALID_ARGUMENT for a target that
/// is no status, FAILED_PRECONDITION for a move the machine does not allow from `from`.
pub fn change(from: AppointmentStatus, to: AppointmentStatus) -> Result<StatusChange, Status> {
    if to.is_unspecified() {
        return Err(Status::invalid_argument(
            "status: value must be one of UNCONFIRMED, CONFIRMED, CHECKED_IN, READY, FINISHED, CANCELED",
        ));
    }
    let refused = || {
        Status::new(
            Code::FailedPrecondition,
            format!(
                "status: an appointment cannot move from {} to {}",
                from.name(),
                to.name()
            ),
        )
    };
    let current = stage(from).filter(|_| from != AppointmentStatus::Finished);
    let Some(current) = current else {
        return Err(refused());
    };
    if to == AppointmentStatus::Canceled {
        return Ok(StatusChange {
            from,
            to,
            stamps: vec!["canceled_at"],
        });
    }
    let target = stage(to)
        .filter(|target| *target > current)
        .ok_or_else(refused)?;
    Ok(StatusChange {
        from,
        to,
        stamps: STAGES[current + 1..=target]
            .iter()
            .filter_map(|(_, column)| *column)
            .collect(),
    })
}

/// When a move reaches each stage it stamps. The API moves at one instant ([`StageTimes::all`]);
/// the operator's demo seed gives each stage the time its history says it was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageTimes {
    pub confirmed: i64,
    pub checked_in: i64,
    pub ready: i64,
    pub checked_out: i64,
    pub canceled: i64,
}

impl StageTimes {
    /// Every stage at `now`.
    pub fn all(now: i64) -> StageTimes {
        StageTimes {
            confirmed: now,
            checked_in: now,
            ready: now,
            checked_out: now,
            canceled: now,
        }
    }

    /// The instant of the stage stamped in `column` (one of [`StatusChange::stamps`]).
    pub fn of(&self, column: &str) -> i64 {
        match column {
            "confirmed_at" => self.confirmed,
            "check_in_at" => self.checked_in,
            "ready_at" => self.ready,
            "check_out_at" => self.checked_out,
            // canceled_at, the only other column a move stamps.
            _ => self.canceled,
        }
    }
}

/// The event a move to `to` announces.
pub fn event_of(to: AppointmentStatus) -> EventType {
    match to {
        AppointmentStatus::Finished => EventType::AppointmentFinished,
        AppointmentStatus::Canceled => EventType::AppointmentCanceled,
        _ => EventType::AppointmentUpdated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AppointmentStatus::*;

    #[test]
    fn forward_moves_stamp_every_stage_they_pass() {
        assert_eq!(
            change(Unconfirmed, Confirmed).unwrap().stamps,
            ["confirmed_at"]
        );
        assert_eq!(
            change(Confirmed, Finished).unwrap().stamps,
            ["check_in_at", "ready_at", "check_out_at"]
        );
        assert_eq!(change(Ready, Canceled).unwrap().stamps, ["canceled_at"]);
    }

    #[test]
    fn every_stamped_column_has_its_own_time() {
        let times = StageTimes {
            confirmed: 1,
            checked_in: 2,
            ready: 3,
            checked_out: 4,
            canceled: 5,
        };
        let finished = change(Unconfirmed, Finished).unwrap().stamps;
        let canceled = change(Unconfirmed, Canceled).unwrap().stamps;
        let instants: Vec<i64> = finished
            .iter()
            .chain(&canceled)
            .map(|c| times.of(c))
            .collect();
        assert_eq!(instants, [1, 2, 3, 4, 5]);
    }

    #[test]
    fn backward_repeated_and_final_moves_are_refused() {
        for (from, to) in [
            (Confirmed, Unconfirmed),
            (Confirmed, Confirmed),
            (Finished, Canceled),
            (Canceled, Confirmed),
            (Canceled, Canceled),
            (Ready, CheckedIn),
        ] {
            assert_eq!(
                change(from, to).unwrap_err().code(),
                Code::FailedPrecondition
            );
        }
        assert_eq!(
            change(Confirmed, Unspecified).unwrap_err().code(),
            Code::InvalidArgument
        );
    }
}
