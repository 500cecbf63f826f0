//! From the store's finest-grained groups to the answer's table: the groups the request
//! asks for (their sums added up), ordered by their fields in the report's field order, one
//! row per currency where the businesses charge in more than one.

use std::collections::BTreeMap;

use super::definitions::{Column, Definition, FieldDef};
use super::input::Day;
use super::store::Cell;
use super::wire::{CellValue, Data, Field, FieldType, TableRowData};
use crate::money::Money;

const NANOS_PER_UNIT: i64 = 1_000_000_000;

/// A group's value of one field, ordered as rows are.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    /// Days sort by date: their index in the period.
    Day(usize),
    /// Businesses by name, then ID (two of one name stay apart).
    Business(String, i64),
    Label(String),
}

/// The table's fields: those grouped by, then every measure.
pub fn fields(report: &Definition, grouping: &[&FieldDef]) -> Vec<Field> {
    grouping
        .iter()
        .copied()
        .chain(report.fields.iter().filter(|field| !field.groupable()))
        .map(FieldDef::to_wire)
        .collect()
}

/// How many sums each of the report's groups carries.
pub fn measures(report: &Definition) -> usize {
    report
        .fields
        .iter()
        .filter(|field| !field.groupable())
        .count()
}

fn money(currency: &str, nanos: i64) -> Money {
    Money {
        currency_code: currency.to_string(),
        units: nanos / NANOS_PER_UNIT,
        nanos: (nanos % NANOS_PER_UNIT) as i32,
    }
}

fn value(field: &FieldDef, part: &Part, days: &[Day]) -> CellValue {
    match part {
        // A DATE is the local day at midnight, written as the instant with that date (the
        // vendor: "based on the local timezone; no conversion needed").
        Part::Day(index) => CellValue::Timestamp(
            days.get(*index)
                .map(|day| format!("{}T00:00:00Z", day.date.format("%Y-%m-%d")))
                .unwrap_or_default(),
        ),
        Part::Business(name, _) | Part::Label(name) => {
            debug_assert_eq!(field.kind, FieldType::Text);
            CellValue::String(name.clone())
        }
    }
}

fn measure(field: &FieldDef, currency: &str, sum: i64) -> CellValue {
    match field.kind {
        FieldType::Money => CellValue::Money(money(currency, sum)),
        _ => CellValue::Int64(sum.to_string()),
    }
}

fn data(field: &FieldDef, value: CellValue) -> (String, Data) {
    (
        field.key.to_string(),
        Data {
            field_key: field.key.to_string(),
            field_type: field.kind,
            value,
        },
    )
}

/// The rows of the report grouped by `grouping`, in order.
pub fn rows(
    report: &Definition,
    grouping: &[&FieldDef],
    days: &[Day],
    businesses: &[(i64, String)],
    cells: Vec<Cell>,
) -> Vec<TableRowData> {
    let business_name = |id: i64| {
        businesses
            .iter()
            .find(|(business, _)| *business == id)
            .map(|(_, name)| name.clone())
            .unwrap_or_default()
    };
    let mut groups: BTreeMap<(Vec<Part>, String), Vec<i64>> = BTreeMap::new();
    for cell in cells {
        let parts = grouping
            .iter()
            .map(|field| match field.column {
                Column::Day => Part::Day(cell.day),
                Column::Business => {
                    Part::Business(business_name(cell.business_id), cell.business_id)
                }
                Column::Label(index) => Part::Label(cell.labels[index].clone()),
                Column::Sum(_) => unreachable!("grouping holds groupable fields only"),
            })
            .collect();
        let sums = groups
            .entry((parts, cell.currency))
            .or_insert_with(|| vec![0; cell.sums.len()]);
        for (total, sum) in sums.iter_mut().zip(&cell.sums) {
            *total += sum;
        }
    }
    groups
        .into_iter()
        .map(|((parts, currency), sums)| {
            let dimensions = grouping
                .iter()
                .zip(&parts)
                .map(|(field, part)| data(field, value(field, part, days)));
            let measures = report.fields.iter().filter_map(|field| match field.column {
                Column::Sum(index) => Some(data(field, measure(field, &currency, sums[index]))),
                _ => None,
            });
            TableRowData {
                data: dimensions.chain(measures).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_keeps_one_sign_in_units_and_nanos() {
        let money = money("USD", -1_750_000_000);
        assert_eq!((money.units, money.nanos), (-1, -750_000_000));
    }
}
