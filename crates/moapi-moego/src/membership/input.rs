//! Validation of MembershipService requests into store queries.

use moapi_core::{IdCodec, IdKind, Status};

use crate::wire::check_max_items;

/// v1MembershipStatus names a filter may name.
pub const MEMBERSHIP_STATUSES: [&str; 3] = ["ACTIVE", "INACTIVE", "DELETED"];
/// v1SubscriptionStatus names a filter may name.
pub const SUBSCRIPTION_STATUSES: [&str; 4] = ["PENDING", "ACTIVE", "CANCELLED", "PAUSED"];
/// Longest `nameLike` (characters), as the vendor documents it.
const MAX_NAME_LIKE: usize = 50;

/// Names of an enum, each one of `known`.
pub fn statuses(field: &str, names: &[String], known: &[&str]) -> Result<Vec<String>, Status> {
    check_max_items(field, names.len())?;
    names
        .iter()
        .map(|name| {
            known
                .contains(&name.as_str())
                .then(|| name.clone())
                .ok_or_else(|| {
                    Status::invalid_argument(format!(
                        "{field}: {name:?} is not one of {}",
                        known.join(", ")
                    ))
                })
        })
        .collect()
}

pub fn name_like(text: &str) -> Result<String, Status> {
    let text = text.trim();
    if text.chars().count() > MAX_NAME_LIKE {
        return Err(Status::invalid_argument(format!(
            "filter.nameLike: value length must be at most {MAX_NAME_LIKE} characters"
        )));
    }
    Ok(text.to_string())
}

pub fn decode_ids(
    ids: &IdCodec,
    kind: IdKind,
    field: &str,
    values: &[String],
) -> Result<Vec<i64>, Status> {
    check_max_items(field, values.len())?;
    values
        .iter()
        .map(|id| {
            ids.decode(kind, id.trim())
                .map_err(|_| Status::invalid_obfuscate())
        })
        .collect()
}
