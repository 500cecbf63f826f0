//! The rules a pet's fields obey, applied to a create (and to a lead's pets) and to the result
//! of a partial update: once a `PetValues` exists it is valid, so the store only writes it.

use moapi_core::time::parse_instant;
use moapi_core::Status;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::wire::{
    EvaluationStatus, Gender, PetInput, PetStatus, PetType, UpdatePetBody, Vaccination, Vet,
    WeightInput, WeightUnit,
};
use crate::wire::Date;

/// Longest text moapi keeps in a short pet field (names, breed, coat...).
const MAX_SHORT_TEXT: usize = 255;
/// Longest free text (behavior, notes).
pub const MAX_LONG_TEXT: usize = 10_000;
/// Most vaccination records one pet carries.
const MAX_VACCINATIONS: usize = 100;
/// Heaviest pet moapi accepts, in kilograms (a draft horse weighs about 1,000 kg).
const MAX_KILOGRAMS: u64 = 2_000;
/// The same limit in pounds.
const MAX_POUNDS: u64 = 4_409;

/// A vaccination as stored: the expiry as microseconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredVaccination {
    pub name: String,
    #[serde(rename = "expiredAt")]
    pub expired_at: Option<i64>,
}

/// A pet's writable fields, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct PetValues {
    pub name: String,
    pub birthday: Option<Date>,
    pub status: PetStatus,
    pub pet_type: PetType,
    pub breed: String,
    pub gender: Gender,
    pub weight: Option<(u32, WeightUnit)>,
    pub fixed: String,
    pub coat: String,
    pub behavior: String,
    pub vaccinations: Vec<StoredVaccination>,
    pub vet: Option<Vet>,
    pub evaluation_status: EvaluationStatus,
    pub photo: String,
}

fn invalid(message: String) -> Status {
    Status::invalid_argument(message)
}

fn text(field: &str, value: &str, max: usize) -> Result<String, Status> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(invalid(format!("{field}: at most {max} characters")));
    }
    Ok(value.to_string())
}

fn required_text(field: &str, value: &str) -> Result<String, Status> {
    let value = text(field, value, MAX_SHORT_TEXT)?;
    if value.is_empty() {
        return Err(invalid(format!("{field}: value is required")));
    }
    Ok(value)
}

/// A uint32 weight: a whole, non-negative JSON number (or numeric string) within what a pet
/// can weigh. The vendor's Weight has no fractions, so "12.5" is refused rather than rounded.
pub fn weight(field: &str, input: &WeightInput) -> Result<Option<(u32, WeightUnit)>, Status> {
    let value = match &input.value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(number)) => number.to_string(),
        Some(Value::String(text)) => text.trim().to_string(),
        Some(other) => {
            return Err(invalid(format!(
                "{field}.value: expected a number, got {other}"
            )))
        }
    };
    let parsed: u64 = match value.parse::<u64>() {
        Ok(n) => n,
        Err(_) => {
            let as_float = value.parse::<f64>().ok().filter(|f| f.is_finite());
            match as_float {
                Some(f) if f < 0.0 => {
                    return Err(invalid(format!("{field}.value: must not be negative")))
                }
                Some(f) if f.fract() == 0.0 && f <= u32::MAX as f64 => f as u64,
                Some(_) => {
                    return Err(invalid(format!(
                        "{field}.value: must be a whole number (uint32), got {value}"
                    )))
                }
                None => return Err(invalid(format!("{field}.value: {value:?} is not a number"))),
            }
        }
    };
    // The vendor documents KILOGRAM as the unit when none is given.
    let unit = match input.unit {
        WeightUnit::Unspecified => WeightUnit::Kilogram,
        unit => unit,
    };
    let max = match unit {
        WeightUnit::Pound => MAX_POUNDS,
        _ => MAX_KILOGRAMS,
    };
    if parsed > max {
        return Err(invalid(format!(
            "{field}.value: {parsed} {} is more than any pet weighs (at most {max})",
            unit.name()
        )));
    }
    Ok(Some((parsed as u32, unit)))
}

fn birthday(field: &str, date: Option<Date>) -> Result<Option<Date>, Status> {
    match date {
        None => Ok(None),
        Some(date) if date.is_empty() => Ok(None),
        Some(date) => date.validate(field).map(|()| Some(date)),
    }
}

fn fixed(field: &str, value: &str) -> Result<String, Status> {
    let value = value.trim().to_ascii_lowercase();
    match value.as_str() {
        "" | "yes" | "no" | "unknown" => Ok(value),
        _ => Err(invalid(format!(
            "{field}: {value:?} is not one of \"yes\", \"no\", \"unknown\""
        ))),
    }
}

fn vaccinations(field: &str, list: &[Vaccination]) -> Result<Vec<StoredVaccination>, Status> {
    if list.len() > MAX_VACCINATIONS {
        return Err(invalid(format!(
            "{field}: at most {MAX_VACCINATIONS} records"
        )));
    }
    list.iter()
        .enumerate()
        .map(|(index, vaccination)| {
            let here = format!("{field}[{index}]");
            let name = required_text(&format!("{here}.name"), &vaccination.name)?;
            let expired_at = match vaccination.expired_at.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(text) => Some(parse_instant(text).ok_or_else(|| {
                    invalid(format!(
                        "{here}.expiredAt: {text:?} is not an RFC 3339 timestamp"
                    ))
                })?),
            };
            Ok(StoredVaccination { name, expired_at })
        })
        .collect()
}

/// A vet; its phone number is normalised to E.164, a national one read in `country`.
fn vet(field: &str, vet: Option<&Vet>, country: &str) -> Result<Option<Vet>, Status> {
    let Some(vet) = vet else { return Ok(None) };
    let phone = vet.phone_number.trim();
    let phone_number = if phone.is_empty() {
        String::new()
    } else {
        crate::customer::input::phone(&format!("{field}.phoneNumber"), phone, country)?
    };
    let vet = Vet {
        name: text(&format!("{field}.name"), &vet.name, MAX_SHORT_TEXT)?,
        phone_number,
        address: text(&format!("{field}.address"), &vet.address, MAX_SHORT_TEXT)?,
    };
    Ok((vet != Vet::default()).then_some(vet))
}

impl PetValues {
    /// Validates a new pet; `field` is where it sits in the request (`pet`, `lead.pets[0]`),
    /// `country` the company's (national phone numbers are read in it). Name, type and breed
    /// are required, as the swagger's `v1Pet.required` says.
    pub fn from_input(field: &str, input: &PetInput, country: &str) -> Result<PetValues, Status> {
        let values = PetValues {
            name: required_text(&format!("{field}.name"), &input.name)?,
            birthday: birthday(&format!("{field}.birthday"), input.birthday)?,
            // New pets are ALIVE unless told otherwise (the vendor's default).
            status: match input.status {
                PetStatus::Unspecified => PetStatus::Alive,
                status => status,
            },
            pet_type: input.pet_type,
            breed: required_text(&format!("{field}.breed"), &input.breed)?,
            gender: input.gender,
            weight: match &input.weight {
                None => None,
                Some(w) => weight(&format!("{field}.weight"), w)?,
            },
            fixed: fixed(&format!("{field}.fixed"), &input.fixed)?,
            coat: text(&format!("{field}.coat"), &input.coat, MAX_SHORT_TEXT)?,
            behavior: text(&format!("{field}.behavior"), &input.behavior, MAX_LONG_TEXT)?,
            vaccinations: vaccinations(&format!("{field}.vaccinations"), &input.vaccinations)?,
            vet: vet(&format!("{field}.vet"), input.vet.as_ref(), country)?,
            evaluation_status: input.evaluation_status,
            photo: text(&format!("{field}.photo"), &input.photo, 2_048)?,
        };
        values.check_type(&format!("{field}.type"))?;
        Ok(values)
    }

    fn check_type(&self, field: &str) -> Result<(), Status> {
        if self.pet_type.is_unspecified() {
            return Err(invalid(format!("{field}: value is required")));
        }
        Ok(())
    }

    /// Applies a partial update: a field absent from the body keeps its value.
    pub fn patched(&self, body: &UpdatePetBody, country: &str) -> Result<PetValues, Status> {
        let mut next = self.clone();
        if let Some(name) = &body.name {
            next.name = required_text("name", name)?;
        }
        if let Some(date) = body.birthday {
            next.birthday = birthday("birthday", Some(date))?;
        }
        if let Some(pet_type) = body.pet_type {
            next.pet_type = pet_type;
            next.check_type("type")?;
        }
        if let Some(breed) = &body.breed {
            next.breed = required_text("breed", breed)?;
        }
        if let Some(gender) = body.gender {
            next.gender = gender;
        }
        if let Some(w) = &body.weight {
            next.weight = weight("weight", w)?;
        }
        if let Some(value) = &body.fixed {
            next.fixed = fixed("fixed", value)?;
        }
        if let Some(coat) = &body.coat {
            next.coat = text("coat", coat, MAX_SHORT_TEXT)?;
        }
        if let Some(behavior) = &body.behavior {
            next.behavior = text("behavior", behavior, MAX_LONG_TEXT)?;
        }
        if let Some(v) = &body.vet {
            next.vet = vet("vet", Some(v), country)?;
        }
        if let Some(status) = body.evaluation_status {
            next.evaluation_status = status;
        }
        if let Some(photo) = &body.photo {
            next.photo = text("photo", photo, 2_048)?;
        }
        if let Some(list) = &body.vaccinations {
            next.vaccinations = vaccinations("vaccinations", list)?;
        }
        if let Some(status) = body.status {
            next.status = match status {
                PetStatus::Unspecified => {
                    return Err(invalid("status: STATUS_UNSPECIFIED cannot be set".into()))
                }
                status => status,
            };
        }
        Ok(next)
    }
}

/// A note's content, trimmed and bounded.
pub fn note_content(field: &str, content: &str) -> Result<String, Status> {
    let content = text(field, content, MAX_LONG_TEXT)?;
    if content.is_empty() {
        return Err(invalid(format!("{field}: value is required")));
    }
    Ok(content)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn weight_of(value: Value, unit: WeightUnit) -> Result<Option<(u32, WeightUnit)>, Status> {
        weight(
            "weight",
            &WeightInput {
                value: Some(value),
                unit,
            },
        )
    }

    #[test]
    fn weights_are_whole_sane_and_default_to_kilograms() {
        assert_eq!(
            weight_of(json!(12), WeightUnit::Unspecified).unwrap(),
            Some((12, WeightUnit::Kilogram))
        );
        assert_eq!(
            weight_of(json!("30"), WeightUnit::Pound).unwrap(),
            Some((30, WeightUnit::Pound))
        );
        assert_eq!(
            weight_of(json!(7.0), WeightUnit::Kilogram).unwrap(),
            Some((7, WeightUnit::Kilogram))
        );
        for bad in [
            json!(-1),
            json!(12.5),
            json!("heavy"),
            json!(1e300),
            json!(2001),
            json!([1]),
        ] {
            assert!(
                weight_of(bad.clone(), WeightUnit::Kilogram).is_err(),
                "{bad}"
            );
        }
        assert!(weight_of(json!(4000), WeightUnit::Pound).is_ok());
        assert!(weight_of(json!(4000), WeightUnit::Kilogram).is_err());
    }

    #[test]
    fn a_new_pet_needs_name_type_and_breed() {
        let input = PetInput {
            name: "Rex".into(),
            pet_type: PetType::Dog,
            breed: "Beagle".into(),
            ..Default::default()
        };
        let values = PetValues::from_input("pet", &input, "US").unwrap();
        assert_eq!(values.status, PetStatus::Alive);
        for broken in [
            PetInput {
                name: " ".into(),
                ..input.clone()
            },
            PetInput {
                pet_type: PetType::Unspecified,
                ..input.clone()
            },
            PetInput {
                breed: String::new(),
                ..input.clone()
            },
            PetInput {
                fixed: "maybe".into(),
                ..input.clone()
            },
        ] {
            assert!(
                PetValues::from_input("pet", &broken, "US").is_err(),
                "{broken:?}"
            );
        }
        let patched = values
            .patched(
                &UpdatePetBody {
                    coat: Some("short".into()),
                    ..Default::default()
                },
                "US",
            )
            .unwrap();
        assert_eq!(
            (patched.name.as_str(), patched.coat.as_str()),
            ("Rex", "short")
        );
    }
}
