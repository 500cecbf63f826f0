//! Validation of what a van and an assignment are given (operators make both; the public API
//! only reads them) and of the records' `date`.

use chrono::NaiveDate;
use moapi_core::{IdCodec, IdKind, Status};
use sqlx::AnyConnection;

use super::store::VanRow;
use crate::access::BusinessScope;

/// Longest display name: the vendor names no limit; a van's name is a short label.
const MAX_NAME_CHARS: usize = 100;
/// Longest license plate: plates are at most about ten characters in any country; spaces and
/// dashes are kept as typed.
const MAX_PLATE_CHARS: usize = 20;
/// Most staff on one van on a day: the vendor names no limit; a van seats a few groomers.
pub const MAX_STAFF_PER_VAN: usize = 10;

fn invalid(message: String) -> Status {
    Status::invalid_argument(message)
}

/// A van's display name and license plate, trimmed.
#[derive(Debug, Clone)]
pub struct VanValues {
    pub display_name: String,
    pub license_plate: String,
}

/// A display name (1 to 100 characters) and a license plate (at most 20, possibly none).
pub fn van_values(display_name: &str, license_plate: &str) -> Result<VanValues, Status> {
    let display_name = display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > MAX_NAME_CHARS {
        return Err(invalid(format!(
            "displayName: 1 to {MAX_NAME_CHARS} characters"
        )));
    }
    let license_plate = license_plate.trim();
    if license_plate.chars().count() > MAX_PLATE_CHARS {
        return Err(invalid(format!(
            "licensePlate: at most {MAX_PLATE_CHARS} characters"
        )));
    }
    Ok(VanValues {
        display_name: display_name.to_string(),
        license_plate: license_plate.to_string(),
    })
}

/// A calendar day written exactly `yyyy-MM-dd`, as the vendor specifies `date`.
pub fn date(field: &str, text: Option<&str>) -> Result<NaiveDate, Status> {
    let text = text
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .ok_or_else(|| invalid(format!("{field}: value is required")))?;
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(index, byte)| match index {
            4 | 7 => byte == b'-',
            _ => byte.is_ascii_digit(),
        });
    shaped
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| {
            invalid(format!(
                "{field}: {text:?} is not a date in yyyy-MM-dd format"
            ))
        })
}

/// The text a date is stored and answered as.
pub fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Checks the staff of an assignment: at most [`MAX_STAFF_PER_VAN`], none twice, each a live
/// staff member of the van's company working at its business (NOT_FOUND otherwise).
pub async fn check_staff(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    van: &VanRow,
    staff_ids: &[i64],
) -> Result<(), Status> {
    if staff_ids.len() > MAX_STAFF_PER_VAN {
        return Err(invalid(format!(
            "staffIds: at most {MAX_STAFF_PER_VAN} staff on a van"
        )));
    }
    let mut seen = std::collections::BTreeSet::new();
    if let Some(repeated) = staff_ids.iter().find(|id| !seen.insert(**id)) {
        return Err(invalid(format!(
            "staffIds: {} is given twice",
            ids.encode(IdKind::Staff, *repeated)
        )));
    }
    let business = BusinessScope {
        company_id: van.company_id,
        business_id: van.business_id,
    };
    let working = crate::staff::store::working_at(conn, business, staff_ids).await?;
    match staff_ids.iter().find(|id| !working.contains(id)) {
        Some(missing) => Err(Status::not_found(format!(
            "staffIds: {} is not a staff member working at the van's business",
            ids.encode(IdKind::Staff, *missing)
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_exactly_yyyy_mm_dd() {
        let day = date("date", Some("2026-02-28")).unwrap();
        assert_eq!(date_text(day), "2026-02-28");
        assert_eq!(
            date_text(date("date", Some(" 2024-02-29 ")).unwrap()),
            "2024-02-29"
        );
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-05",
            "26-01-05",
            "2026/01/05",
            "+202-01-05",
            "2026-01-05T00:00:00Z",
            "20260105",
        ] {
            let err = date("date", Some(bad)).unwrap_err();
            assert!(err.message().contains("yyyy-MM-dd"), "{bad}: {err:?}");
        }
        for missing in [None, Some(""), Some("  ")] {
            let err = date("date", missing).unwrap_err();
            assert!(err.message().contains("required"), "{missing:?}");
        }
    }
}
