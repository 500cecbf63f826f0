//! Storage of the company catalogs: the lists read what the customer, pet and lead modules
//! (tags, pet codes, lead settings) and migration 0014 (the rest) keep, each in a stable
//! order: creation order (by ID), custom fields by `displayOrder` then ID.

use moapi_core::db::{build, query_as_with, query_with};
use moapi_core::time::{now_micros, protojson_timestamp};
use moapi_core::{IdCodec, IdKind};
use sea_query::{Alias, Expr, Order, Query, SimpleExpr};
use sqlx::AnyConnection;

use super::input::{NewCustomField, NewPetSize};
use super::wire::{enum_name, from_enum_name, AssociationType, CustomField, PetSize};
use crate::customer::store::TagRow;
use crate::lead::wire::{ActionStatus, LifeCycle};
use crate::pet::store::PetCodeRow;
use crate::pet::wire::{Weight, WeightUnit};

/// Every row of a company's catalog `table`, as `columns`, by ID (creation order).
async fn company_rows<T>(
    conn: &mut AnyConnection,
    table: &str,
    columns: &str,
    company_id: i64,
) -> Result<Vec<T>, sqlx::Error>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let sql = format!("SELECT {columns} FROM {table} WHERE company_id = $1 ORDER BY id");
    sqlx::query_as(&sql).bind(company_id).fetch_all(conn).await
}

/// The catalogs whose entries are only a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedCatalog {
    ReferralSources,
    PetTypes,
    PetCoatTypes,
}

impl NamedCatalog {
    fn table(self) -> &'static str {
        match self {
            NamedCatalog::ReferralSources => "moego_referral_sources",
            NamedCatalog::PetTypes => "moego_pet_types",
            NamedCatalog::PetCoatTypes => "moego_pet_coat_types",
        }
    }

    pub fn kind(self) -> IdKind {
        match self {
            NamedCatalog::ReferralSources => IdKind::ReferralSource,
            NamedCatalog::PetTypes => IdKind::PetType,
            NamedCatalog::PetCoatTypes => IdKind::PetCoatType,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NamedRow {
    pub id: i64,
    pub name: String,
}

pub async fn list_named(
    conn: &mut AnyConnection,
    catalog: NamedCatalog,
    company_id: i64,
) -> Result<Vec<NamedRow>, sqlx::Error> {
    company_rows(conn, catalog.table(), "id, name", company_id).await
}

pub async fn insert_named(
    conn: &mut AnyConnection,
    catalog: NamedCatalog,
    company_id: i64,
    name: &str,
) -> Result<i64, sqlx::Error> {
    insert_entry(conn, catalog.table(), "created_at", company_id, name).await
}

/// Inserts a named entry stamped now in `stamp_columns`; returns its ID.
async fn insert_entry(
    conn: &mut AnyConnection,
    table: &str,
    stamp_columns: &str,
    company_id: i64,
    name: &str,
) -> Result<i64, sqlx::Error> {
    let stamps = vec!["$3"; stamp_columns.split(',').count()].join(", ");
    let sql = format!(
        "INSERT INTO {table} (company_id, name, {stamp_columns}) VALUES ($1, $2, {stamps}) \
         RETURNING id"
    );
    let (id,): (i64,) = sqlx::query_as(&sql)
        .bind(company_id)
        .bind(name)
        .bind(now_micros())
        .fetch_one(conn)
        .await?;
    Ok(id)
}

/// Sets `columns` of a company's entry of `table` (a catalog whose rows carry `company_id`);
/// false when the company has no such entry. A name the company already has is a unique
/// violation.
pub(crate) async fn update_entry(
    conn: &mut AnyConnection,
    table: &str,
    (company_id, id): (i64, i64),
    columns: Vec<(&str, SimpleExpr)>,
) -> Result<bool, sqlx::Error> {
    let mut update = Query::update();
    update
        .table(Alias::new(table))
        .values(
            columns
                .into_iter()
                .map(|(column, value)| (Alias::new(column), value)),
        )
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .and_where(Expr::col(Alias::new("company_id")).eq(company_id));
    let (sql, values) = build(&update);
    Ok(query_with(&sql, values)
        .execute(conn)
        .await?
        .rows_affected()
        == 1)
}

/// Renames a referral source, pet type or coat type; false when the company has no such entry.
pub async fn rename_named(
    conn: &mut AnyConnection,
    catalog: NamedCatalog,
    company_id: i64,
    id: i64,
    name: &str,
) -> Result<bool, sqlx::Error> {
    let name = vec![("name", name.into())];
    update_entry(conn, catalog.table(), (company_id, id), name).await
}

/// Renames a customer tag (its customers show the new name); false when the company has no
/// such tag.
pub async fn rename_tag(
    conn: &mut AnyConnection,
    company_id: i64,
    id: i64,
    name: &str,
) -> Result<bool, sqlx::Error> {
    let columns = vec![("name", name.into()), ("updated_at", now_micros().into())];
    update_entry(conn, "moego_customer_tags", (company_id, id), columns).await
}

pub async fn list_tags(
    conn: &mut AnyConnection,
    company_id: i64,
) -> Result<Vec<TagRow>, sqlx::Error> {
    let columns = "id, company_id, name, updated_at";
    company_rows(conn, "moego_customer_tags", columns, company_id).await
}

/// Creates a customer tag; one of the same name in the company is a unique violation.
pub async fn insert_tag(
    conn: &mut AnyConnection,
    company_id: i64,
    name: &str,
) -> Result<i64, sqlx::Error> {
    let stamps = "created_at, updated_at";
    insert_entry(conn, "moego_customer_tags", stamps, company_id, name).await
}

pub async fn list_pet_codes(
    conn: &mut AnyConnection,
    company_id: i64,
) -> Result<Vec<PetCodeRow>, sqlx::Error> {
    let columns = "id, company_id, abbreviation, description, color";
    company_rows(conn, "moego_pet_codes", columns, company_id).await
}

pub async fn list_life_cycles(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    company_id: i64,
) -> Result<Vec<LifeCycle>, sqlx::Error> {
    let columns = "id, name, is_default";
    let rows: Vec<(i64, String, i64)> =
        company_rows(conn, "moego_lead_life_cycles", columns, company_id).await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, is_default)| LifeCycle {
            id: ids.encode(IdKind::LeadLifeCycle, id),
            name,
            is_default: is_default != 0,
        })
        .collect())
}

pub async fn list_action_statuses(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    company_id: i64,
) -> Result<Vec<ActionStatus>, sqlx::Error> {
    let columns = "id, name, color";
    let rows: Vec<(i64, String, String)> =
        company_rows(conn, "moego_lead_action_statuses", columns, company_id).await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, color)| ActionStatus {
            id: ids.encode(IdKind::LeadActionStatus, id),
            name,
            color,
        })
        .collect())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PetSizeRow {
    pub id: i64,
    pub name: String,
    pub weight_low: i64,
    pub weight_high: i64,
    pub weight_unit: String,
}

impl PetSizeRow {
    pub fn to_wire(&self, ids: &IdCodec) -> PetSize {
        let unit = WeightUnit::from_name(&self.weight_unit);
        let weight = |value: i64| {
            (!unit.is_unspecified()).then(|| Weight {
                value: u32::try_from(value).unwrap_or_default(),
                unit,
            })
        };
        PetSize {
            id: ids.encode(IdKind::PetSize, self.id),
            name: self.name.clone(),
            weight_low: weight(self.weight_low),
            weight_high: weight(self.weight_high),
        }
    }
}

pub async fn list_pet_sizes(
    conn: &mut AnyConnection,
    company_id: i64,
) -> Result<Vec<PetSizeRow>, sqlx::Error> {
    let columns = "id, name, weight_low, weight_high, weight_unit";
    company_rows(conn, "moego_pet_sizes", columns, company_id).await
}

pub async fn insert_pet_size(
    conn: &mut AnyConnection,
    company_id: i64,
    size: &NewPetSize,
) -> Result<i64, sqlx::Error> {
    let (low, high, unit) = weight_range(size);
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_pet_sizes \
         (company_id, name, weight_low, weight_high, weight_unit, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(company_id)
    .bind(&size.name)
    .bind(low)
    .bind(high)
    .bind(unit)
    .bind(now_micros())
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Replaces a pet size's name and weight range; false when the company has no such size.
pub async fn update_pet_size(
    conn: &mut AnyConnection,
    company_id: i64,
    id: i64,
    size: &NewPetSize,
) -> Result<bool, sqlx::Error> {
    let (low, high, unit) = weight_range(size);
    let columns = vec![
        ("name", size.name.as_str().into()),
        ("weight_low", low.into()),
        ("weight_high", high.into()),
        ("weight_unit", unit.into()),
    ];
    update_entry(conn, "moego_pet_sizes", (company_id, id), columns).await
}

/// A size's weight columns: low, high and unit (zeros and no unit for a size without range).
fn weight_range(size: &NewPetSize) -> (i64, i64, &'static str) {
    size.range.map_or((0, 0, ""), |(low, high, unit)| {
        (i64::from(low), i64::from(high), unit.name())
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CustomFieldRow {
    pub id: i64,
    pub company_id: i64,
    pub association_type: String,
    pub code: String,
    pub label: String,
    pub field_type: String,
    pub is_required: i64,
    pub default_value: Option<String>,
    pub options: String,
    pub source: String,
    pub display_order: i64,
    pub help_text: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl CustomFieldRow {
    /// The wire form; the JSON columns were written from checked wire values, so a column
    /// that no longer parses is a corrupt row, reported as such.
    pub fn to_wire(&self, ids: &IdCodec) -> Result<CustomField, serde_json::Error> {
        Ok(CustomField {
            id: ids.encode(IdKind::CustomField, self.id),
            company_id: ids.encode(IdKind::Company, self.company_id),
            association_type: from_enum_name(&self.association_type),
            code: self.code.clone(),
            label: self.label.clone(),
            field_type: from_enum_name(&self.field_type),
            is_required: self.is_required != 0,
            default_value: self
                .default_value
                .as_deref()
                .map(serde_json::from_str)
                .transpose()?,
            options: serde_json::from_str(&self.options)?,
            source: from_enum_name(&self.source),
            display_order: i32::try_from(self.display_order).unwrap_or_default(),
            help_text: self.help_text.clone(),
            create_time: protojson_timestamp(self.created_at),
            update_time: protojson_timestamp(self.updated_at),
        })
    }
}

const CUSTOM_FIELD_COLUMNS: [&str; 14] = [
    "id",
    "company_id",
    "association_type",
    "code",
    "label",
    "field_type",
    "is_required",
    "default_value",
    "options",
    "source",
    "display_order",
    "help_text",
    "created_at",
    "updated_at",
];

/// The company's custom fields, of the given association types (all when empty).
pub async fn list_custom_fields(
    conn: &mut AnyConnection,
    company_id: i64,
    association_types: &[AssociationType],
) -> Result<Vec<CustomFieldRow>, sqlx::Error> {
    let mut select = Query::select();
    select
        .columns(CUSTOM_FIELD_COLUMNS.map(Alias::new))
        .from(Alias::new("moego_custom_fields"))
        .and_where(Expr::col(Alias::new("company_id")).eq(company_id))
        .order_by(Alias::new("display_order"), Order::Asc)
        .order_by(Alias::new("id"), Order::Asc);
    if !association_types.is_empty() {
        select.and_where(
            Expr::col(Alias::new("association_type"))
                .is_in(association_types.iter().map(|kind| enum_name(*kind))),
        );
    }
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_all(conn).await
}

/// A custom field's default value and options as their columns store them (JSON).
fn stored_choices(field: &NewCustomField) -> Result<(Option<String>, String), sqlx::Error> {
    let encode = |err: serde_json::Error| sqlx::Error::Encode(Box::new(err));
    let default_value = field
        .default_value
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(encode)?;
    let options = serde_json::to_string(&field.options).map_err(encode)?;
    Ok((default_value, options))
}

/// What replacing a custom field did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldReplacement {
    Replaced,
    /// The company has no such field.
    Missing,
    /// The field exists with another association type, code or type, which values recorded
    /// under it depend on, so nothing was changed.
    Redefined,
}

/// Replaces a custom field's label, requirement, default, options, source, order and help
/// text, keeping its association type, code and type.
pub async fn replace_custom_field(
    conn: &mut AnyConnection,
    company_id: i64,
    id: i64,
    field: &NewCustomField,
) -> Result<FieldReplacement, sqlx::Error> {
    let (default_value, options) = stored_choices(field)?;
    let replaced = sqlx::query(
        "UPDATE moego_custom_fields SET label = $1, is_required = $2, default_value = $3, \
         options = $4, source = $5, display_order = $6, help_text = $7, updated_at = $8 \
         WHERE id = $9 AND company_id = $10 AND association_type = $11 AND code = $12 \
         AND field_type = $13",
    )
    .bind(&field.label)
    .bind(i64::from(field.is_required))
    .bind(default_value)
    .bind(options)
    .bind(enum_name(field.source))
    .bind(i64::from(field.display_order))
    .bind(&field.help_text)
    .bind(now_micros())
    .bind(id)
    .bind(company_id)
    .bind(enum_name(field.association_type))
    .bind(&field.code)
    .bind(enum_name(field.field_type))
    .execute(&mut *conn)
    .await?;
    if replaced.rows_affected() == 1 {
        return Ok(FieldReplacement::Replaced);
    }
    let exists: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM moego_custom_fields WHERE id = $1 AND company_id = $2")
            .bind(id)
            .bind(company_id)
            .fetch_optional(conn)
            .await?;
    Ok(match exists {
        Some(_) => FieldReplacement::Redefined,
        None => FieldReplacement::Missing,
    })
}

pub async fn insert_custom_field(
    conn: &mut AnyConnection,
    company_id: i64,
    field: &NewCustomField,
) -> Result<i64, sqlx::Error> {
    let (default_value, options) = stored_choices(field)?;
    let now = now_micros();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_custom_fields (company_id, association_type, code, label, field_type, \
         is_required, default_value, options, source, display_order, help_text, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(company_id)
    .bind(enum_name(field.association_type))
    .bind(&field.code)
    .bind(&field.label)
    .bind(enum_name(field.field_type))
    .bind(i64::from(field.is_required))
    .bind(default_value)
    .bind(options)
    .bind(enum_name(field.source))
    .bind(i64::from(field.display_order))
    .bind(&field.help_text)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(id)
}
