//! Validation of what a review is given (by the review page or an operator's import) and of
//! ListReviews' filter.

use moapi_core::{IdCodec, IdKind, Status};
use sqlx::AnyConnection;

use super::wire::ReviewSource;
use crate::access::BusinessScope;

/// Longest review text: the vendor names no limit; 4,000 characters is a long letter and
/// more than the review sites clients copy reviews to allow.
pub const MAX_CONTENT_CHARS: usize = 4000;

fn invalid(message: String) -> Status {
    Status::invalid_argument(message)
}

/// A score on the vendor's scale, 1 to 5.
pub fn score(value: i64) -> Result<i64, Status> {
    match (1..=5).contains(&value) {
        true => Ok(value),
        false => Err(invalid(format!(
            "score: value must be inside range [1, 5], got {value}"
        ))),
    }
}

/// The review text, trimmed: at most [`MAX_CONTENT_CHARS`] characters, possibly none (a
/// score alone is a review).
pub fn content(text: &str) -> Result<String, Status> {
    let text = text.trim();
    if text.chars().count() > MAX_CONTENT_CHARS {
        return Err(invalid(format!(
            "content: at most {MAX_CONTENT_CHARS} characters"
        )));
    }
    Ok(text.to_string())
}

/// A channel a review can have come through: SOURCE_UNSPECIFIED is none ("should not be used
/// when creating new reviews", the vendor says).
pub fn source(source: ReviewSource) -> Result<ReviewSource, Status> {
    match source.is_unspecified() {
        true => Err(invalid(
            "source: value must be one of SMS, GROOMING_REPORT, PET_PARENT_PORTAL".to_string(),
        )),
        false => Ok(source),
    }
}

/// ListReviews' `filter.sources`: the unspecified value filters nothing, so it is refused
/// rather than silently matching no review.
pub fn filter_sources(sources: &[ReviewSource]) -> Result<Vec<ReviewSource>, Status> {
    crate::wire::check_max_items("filter.sources", sources.len())?;
    if sources.iter().any(ReviewSource::is_unspecified) {
        return Err(invalid(
            "filter.sources: the unspecified value is no filter".to_string(),
        ));
    }
    Ok(sources.to_vec())
}

/// A review's own staff or pets, when its writer names them: none twice.
fn once_each(ids: &IdCodec, kind: IdKind, field: &str, members: &[i64]) -> Result<(), Status> {
    let mut seen = std::collections::BTreeSet::new();
    match members.iter().find(|id| !seen.insert(**id)) {
        Some(repeated) => Err(invalid(format!(
            "{field}: {} is given twice",
            ids.encode(kind, *repeated)
        ))),
        None => Ok(()),
    }
}

/// Checks the staff an import names: none twice, each a live staff member working at the
/// appointment's business (NOT_FOUND otherwise).
pub async fn check_staff(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    business: BusinessScope,
    staff_ids: &[i64],
) -> Result<(), Status> {
    crate::wire::check_max_items("staffIds", staff_ids.len())?;
    once_each(ids, IdKind::Staff, "staffIds", staff_ids)?;
    let working = crate::staff::store::working_at(conn, business, staff_ids).await?;
    match staff_ids.iter().find(|id| !working.contains(id)) {
        Some(missing) => Err(Status::not_found(format!(
            "staffIds: {} is not a staff member working at the appointment's business",
            ids.encode(IdKind::Staff, *missing)
        ))),
        None => Ok(()),
    }
}

/// Checks the pets an import names: none twice, each a live pet of the appointment's
/// customer (NOT_FOUND otherwise).
pub async fn check_pets(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    customer_id: i64,
    pet_ids: &[i64],
) -> Result<(), Status> {
    crate::wire::check_max_items("petIds", pet_ids.len())?;
    once_each(ids, IdKind::Pet, "petIds", pet_ids)?;
    let pets = crate::pet::store::find_many(conn, pet_ids).await?;
    let owned = |id: &i64| {
        pets.iter()
            .any(|pet| pet.id == *id && pet.customer_id == customer_id && !pet.is_deleted())
    };
    match pet_ids.iter().find(|id| !owned(id)) {
        Some(missing) => Err(Status::not_found(format!(
            "petIds: {} is not a pet of the appointment's customer",
            ids.encode(IdKind::Pet, *missing)
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_one_to_five_and_text_has_a_limit() {
        for good in 1..=5 {
            assert_eq!(score(good).unwrap(), good);
        }
        for bad in [0, 6, -1, i64::MAX] {
            assert!(score(bad).unwrap_err().message().starts_with("score:"));
        }
        assert_eq!(content("  Lovely  ").unwrap(), "Lovely");
        assert_eq!(content("").unwrap(), "");
        assert!(content(&"é".repeat(MAX_CONTENT_CHARS)).is_ok());
        assert!(content(&"é".repeat(MAX_CONTENT_CHARS + 1)).is_err());
        assert!(source(ReviewSource::Unspecified).is_err());
        assert_eq!(source(ReviewSource::Sms).unwrap(), ReviewSource::Sms);
        assert!(filter_sources(&[ReviewSource::Sms, ReviewSource::Unspecified]).is_err());
    }
}
