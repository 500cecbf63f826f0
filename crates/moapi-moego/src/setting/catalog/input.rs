//! New catalog entries as an operator describes them (fixtures, `/admin/v1`), checked with the
//! API's rules and field-named INVALID_ARGUMENT errors before anything is stored.

use std::collections::BTreeSet;

use moapi_core::time::{parse_instant, protojson_timestamp};
use moapi_core::Status;
use serde::Deserialize;

use super::wire::{
    enum_name, AssociationType, CustomFieldOption, CustomFieldSource, CustomFieldType,
    CustomFieldValue, StringList,
};
use crate::money::Amount;
use crate::pet::wire::WeightUnit;

/// Longest catalog entry name (tag, referral source, pet type, size or coat type).
const MAX_NAME: usize = 100;
/// Longest custom field code and label.
const MAX_CODE: usize = 64;
const MAX_LABEL: usize = 255;
const MAX_HELP_TEXT: usize = 1_000;
/// Most options of one select field.
const MAX_OPTIONS: usize = 200;

fn invalid(message: String) -> Status {
    Status::invalid_argument(message)
}

/// A trimmed name of 1 to 100 characters.
pub fn entry_name(field: &str, value: &str) -> Result<String, Status> {
    bounded_text(field, value, MAX_NAME)
}

fn bounded_text(field: &str, value: &str, max: usize) -> Result<String, Status> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max {
        return Err(invalid(format!("{field}: 1 to {max} characters")));
    }
    Ok(value.to_string())
}

/// One bound of a pet size's reference weight range (`v1Weight`).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightBound {
    pub value: u32,
    pub unit: WeightUnit,
}

/// A pet size as an operator writes it: the fields of `v1PetSize` without `id`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PetSizeInput {
    pub name: String,
    #[serde(default)]
    pub weight_low: Option<WeightBound>,
    #[serde(default)]
    pub weight_high: Option<WeightBound>,
}

/// A checked pet size: the range is both bounds in one unit, low ≤ high, or none.
#[derive(Debug, Clone)]
pub struct NewPetSize {
    pub name: String,
    pub range: Option<(u32, u32, WeightUnit)>,
}

impl PetSizeInput {
    pub fn check(&self) -> Result<NewPetSize, Status> {
        let name = entry_name("name", &self.name)?;
        let range = match (self.weight_low, self.weight_high) {
            (None, None) => None,
            (Some(low), Some(high)) => {
                if low.unit.is_unspecified() || low.unit != high.unit {
                    return Err(invalid(
                        "weightLow.unit: KILOGRAM or POUND, the same for both bounds".into(),
                    ));
                }
                if low.value > high.value {
                    return Err(invalid("weightHigh.value: at least weightLow.value".into()));
                }
                Some((low.value, high.value, low.unit))
            }
            _ => {
                return Err(invalid(
                    "weightLow: weightLow and weightHigh are given together".into(),
                ))
            }
        };
        Ok(NewPetSize { name, range })
    }
}

/// A custom field as an operator writes it: the fields of `v1CustomField` without the ones
/// moapi assigns (`id`, `companyId`, times).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomFieldInput {
    pub association_type: AssociationType,
    pub code: String,
    pub label: String,
    #[serde(rename = "type")]
    pub field_type: CustomFieldType,
    #[serde(default)]
    pub is_required: bool,
    #[serde(default)]
    pub default_value: Option<CustomFieldValue>,
    #[serde(default)]
    pub options: Vec<CustomFieldOption>,
    /// CUSTOM when not given.
    #[serde(default)]
    pub source: CustomFieldSource,
    #[serde(default)]
    pub display_order: i32,
    #[serde(default)]
    pub help_text: String,
}

/// A checked custom field; options are in their display order (sortOrder, then as given).
#[derive(Debug, Clone)]
pub struct NewCustomField {
    pub association_type: AssociationType,
    pub code: String,
    pub label: String,
    pub field_type: CustomFieldType,
    pub is_required: bool,
    pub default_value: Option<CustomFieldValue>,
    pub options: Vec<CustomFieldOption>,
    pub source: CustomFieldSource,
    pub display_order: i32,
    pub help_text: String,
}

impl CustomFieldInput {
    pub fn check(&self) -> Result<NewCustomField, Status> {
        if self.association_type == AssociationType::AssociationTypeUnspecified {
            return Err(invalid("associationType: CUSTOMER or LEAD".into()));
        }
        let code = bounded_text("code", &self.code, MAX_CODE)?;
        if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(invalid(
                "code: letters, digits and underscores only (like field_123)".into(),
            ));
        }
        let label = bounded_text("label", &self.label, MAX_LABEL)?;
        if self.field_type == CustomFieldType::TypeUnspecified {
            return Err(invalid(
                "type: a v1CustomFieldType other than TYPE_UNSPECIFIED".into(),
            ));
        }
        let help_text = self.help_text.trim().to_string();
        if help_text.chars().count() > MAX_HELP_TEXT {
            return Err(invalid(format!(
                "helpText: at most {MAX_HELP_TEXT} characters"
            )));
        }
        let options = options(self.field_type, &self.options)?;
        let choices: BTreeSet<&str> = options
            .iter()
            .filter_map(|option| option.value.as_ref()?.string.as_deref())
            .collect();
        let default_value = self
            .default_value
            .as_ref()
            .map(|value| default_value(self.field_type, &choices, value))
            .transpose()?;
        let source = match self.source {
            CustomFieldSource::SourceUnspecified => CustomFieldSource::Custom,
            source => source,
        };
        Ok(NewCustomField {
            association_type: self.association_type,
            code,
            label,
            field_type: self.field_type,
            is_required: self.is_required,
            default_value,
            options,
            source,
            display_order: self.display_order,
            help_text,
        })
    }
}

fn is_select(field_type: CustomFieldType) -> bool {
    matches!(
        field_type,
        CustomFieldType::Select | CustomFieldType::MultiSelect
    )
}

/// A select's options: at least one, each a distinct non-empty `string` value with a label.
/// Other types take none.
fn options(
    field_type: CustomFieldType,
    given: &[CustomFieldOption],
) -> Result<Vec<CustomFieldOption>, Status> {
    if !is_select(field_type) {
        if !given.is_empty() {
            return Err(invalid(
                "options: only SELECT and MULTI_SELECT fields have options".into(),
            ));
        }
        return Ok(Vec::new());
    }
    if given.is_empty() || given.len() > MAX_OPTIONS {
        return Err(invalid(format!(
            "options: a select field has 1 to {MAX_OPTIONS} options"
        )));
    }
    let mut seen = BTreeSet::new();
    let mut checked = Vec::with_capacity(given.len());
    for (index, option) in given.iter().enumerate() {
        let field = format!("options[{index}]");
        let value = option
            .value
            .as_ref()
            .filter(|value| members(value) == 1)
            .and_then(|value| value.string.as_deref())
            .ok_or_else(|| {
                invalid(format!(
                    "{field}.value: a select option's value is a `string`"
                ))
            })?;
        let value = bounded_text(&format!("{field}.value.string"), value, MAX_LABEL)?;
        if !seen.insert(value.clone()) {
            return Err(invalid(format!("{field}.value: {value:?} is given twice")));
        }
        checked.push(CustomFieldOption {
            value: Some(CustomFieldValue {
                string: Some(value),
                ..CustomFieldValue::default()
            }),
            label: bounded_text(&format!("{field}.label"), &option.label, MAX_LABEL)?,
            sort_order: option.sort_order,
        });
    }
    // A stable sort keeps the given order among equal sortOrders.
    checked.sort_by_key(|option| option.sort_order);
    Ok(checked)
}

/// How many oneof members a value sets.
fn members(value: &CustomFieldValue) -> usize {
    [
        value.string.is_some(),
        value.double_value.is_some(),
        value.int64.is_some(),
        value.bool.is_some(),
        value.money.is_some(),
        value.timestamp_time.is_some(),
        value.string_list.is_some(),
        value.time_of_day.is_some(),
    ]
    .into_iter()
    .filter(|set| *set)
    .count()
}

/// A default value of a field of `field_type`: exactly the member its type uses, valid;
/// select defaults are among the options (`choices`). Times are stored normalised to UTC.
fn default_value(
    field_type: CustomFieldType,
    choices: &BTreeSet<&str>,
    value: &CustomFieldValue,
) -> Result<CustomFieldValue, Status> {
    use CustomFieldType as T;
    let wrong = || {
        invalid(format!(
            "defaultValue: one member, the one a {} field holds",
            enum_name(field_type)
        ))
    };
    if members(value) != 1 {
        return Err(wrong());
    }
    let not_a_choice =
        |given: &str| invalid(format!("defaultValue: {given:?} is not one of the options"));
    let mut checked = value.clone();
    match (field_type, value) {
        (
            T::ShortText | T::LongText,
            CustomFieldValue {
                string: Some(_), ..
            },
        ) => {}
        (
            T::Select,
            CustomFieldValue {
                string: Some(given),
                ..
            },
        ) => {
            if !choices.contains(given.as_str()) {
                return Err(not_a_choice(given));
            }
        }
        (
            T::MultiSelect,
            CustomFieldValue {
                string_list: Some(StringList { values }),
                ..
            },
        ) => {
            if let Some(given) = values.iter().find(|v| !choices.contains(v.as_str())) {
                return Err(not_a_choice(given));
            }
        }
        (T::Number, CustomFieldValue { int64: Some(_), .. }) => {}
        (
            T::Number,
            CustomFieldValue {
                double_value: Some(number),
                ..
            },
        ) => {
            if !number.is_finite() {
                return Err(invalid("defaultValue.doubleValue: a finite number".into()));
            }
        }
        (T::Boolean, CustomFieldValue { bool: Some(_), .. }) => {}
        (
            T::Money,
            CustomFieldValue {
                money: Some(money), ..
            },
        ) => {
            Amount::from_wire("defaultValue.money", money)?;
        }
        (
            T::Date | T::Datetime,
            CustomFieldValue {
                timestamp_time: Some(text),
                ..
            },
        ) => {
            let micros = parse_instant(text)
                .ok_or_else(|| invalid("defaultValue.timestampTime: an RFC 3339 instant".into()))?;
            checked.timestamp_time = Some(protojson_timestamp(micros));
        }
        (
            T::Time,
            CustomFieldValue {
                time_of_day: Some(time),
                ..
            },
        ) => {
            let valid = (0..24).contains(&time.hours)
                && (0..60).contains(&time.minutes)
                && (0..60).contains(&time.seconds)
                && (0..1_000_000_000).contains(&time.nanos);
            if !valid {
                return Err(invalid(
                    "defaultValue.timeOfDay: hours 0-23, minutes and seconds 0-59".into(),
                ));
            }
        }
        _ => return Err(wrong()),
    }
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn select(options: &[(&str, i32)]) -> CustomFieldInput {
        CustomFieldInput {
            association_type: AssociationType::Customer,
            code: "field_1".into(),
            label: "Size".into(),
            field_type: CustomFieldType::Select,
            options: options
                .iter()
                .map(|(value, sort_order)| CustomFieldOption {
                    value: Some(CustomFieldValue {
                        string: Some(value.to_string()),
                        ..Default::default()
                    }),
                    label: value.to_uppercase(),
                    sort_order: *sort_order,
                })
                .collect(),
            ..Default::default()
        }
    }

    fn text(value: &str) -> CustomFieldValue {
        CustomFieldValue {
            string: Some(value.into()),
            ..Default::default()
        }
    }

    #[test]
    fn select_options_are_ordered_and_defaults_must_be_one_of_them() {
        let mut input = select(&[("b", 2), ("a", 1), ("c", 2)]);
        input.default_value = Some(text("c"));
        let checked = input.check().unwrap();
        let order: Vec<_> = checked
            .options
            .iter()
            .map(|o| o.value.as_ref().unwrap().string.clone().unwrap())
            .collect();
        assert_eq!(order, ["a", "b", "c"]);
        input.default_value = Some(text("z"));
        assert!(input.check().unwrap_err().message().contains("not one of"));
        assert!(select(&[]).check().is_err());
        assert!(select(&[("a", 0), ("a", 1)]).check().is_err());
    }

    #[test]
    fn a_default_uses_the_member_of_its_type() {
        let mut input = CustomFieldInput {
            association_type: AssociationType::Lead,
            code: "birthday".into(),
            label: "Birthday".into(),
            field_type: CustomFieldType::Date,
            default_value: Some(CustomFieldValue {
                timestamp_time: Some("2026-01-02T03:04:05+01:00".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let checked = input.check().unwrap();
        assert_eq!(
            checked.default_value.unwrap().timestamp_time.as_deref(),
            Some("2026-01-02T02:04:05Z")
        );
        input.default_value = Some(text("tomorrow"));
        assert!(input.check().is_err());
        input.field_type = CustomFieldType::Group;
        assert!(input.check().is_err());
        input.default_value = None;
        assert_eq!(input.check().unwrap().source, CustomFieldSource::Custom);
        input.code = "no spaces".into();
        assert!(input.check().is_err());
    }

    #[test]
    fn a_size_range_is_both_bounds_in_one_unit() {
        let bound = |value, unit| Some(WeightBound { value, unit });
        let size = |low, high| PetSizeInput {
            name: "Small".into(),
            weight_low: low,
            weight_high: high,
        };
        assert!(size(None, None).check().unwrap().range.is_none());
        assert_eq!(
            size(bound(0, WeightUnit::Pound), bound(20, WeightUnit::Pound))
                .check()
                .unwrap()
                .range,
            Some((0, 20, WeightUnit::Pound))
        );
        assert!(size(bound(0, WeightUnit::Pound), None).check().is_err());
        assert!(
            size(bound(0, WeightUnit::Pound), bound(9, WeightUnit::Kilogram))
                .check()
                .is_err()
        );
        assert!(
            size(bound(30, WeightUnit::Pound), bound(20, WeightUnit::Pound))
                .check()
                .is_err()
        );
    }
}
