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
