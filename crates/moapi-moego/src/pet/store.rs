//! Storage of pets, their notes, the company's pet codes and which pets carry them. Every
//! write takes the caller's connection (a transaction) and appends its PET_* event there, so a
//! pet changes exactly when its event exists.

use moapi_core::db::{self, build, query_as_with};
use moapi_core::pagination::Page;
use moapi_core::time::{now_micros, protojson_timestamp};
use moapi_core::{IdCodec, IdKind};
use sea_query::{Alias, Expr, Order, Query, SelectStatement};
use serde_json::json;
use sqlx::AnyConnection;

use super::input::{PetValues, StoredVaccination};
use super::wire::{
    EvaluationStatus, Gender, Pet, PetCode, PetNote, PetStatus, PetType, Vaccination, Vet, Weight,
    WeightUnit,
};
use crate::event::{self, EventType};
use crate::setting::catalog::store as catalog;
use crate::wire::Date;

const COLUMNS: [&str; 21] = [
    "id",
    "company_id",
    "customer_id",
    "name",
    "birthday",
    "status",
    "pet_type",
    "breed",
    "gender",
    "weight_value",
    "weight_unit",
    "fixed",
    "coat",
    "behavior",
    "vaccinations",
    "vet",
    "evaluation_status",
    "photo",
    "deleted",
    "created_at",
    "updated_at",
];

#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct PetRow {
    pub id: i64,
    pub company_id: i64,
    pub customer_id: i64,
    pub name: String,
    pub birthday: Option<String>,
    pub status: String,
    pub pet_type: String,
    pub breed: String,
    pub gender: String,
    pub weight_value: Option<i64>,
    pub weight_unit: String,
    pub fixed: String,
    pub coat: String,
    pub behavior: String,
    pub vaccinations: String,
    pub vet: Option<String>,
    pub evaluation_status: String,
    pub photo: String,
    pub deleted: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl PetRow {
    pub fn is_deleted(&self) -> bool {
        self.deleted != 0
    }

    /// The stored fields as the input rules know them (the base of a partial update).
    pub fn values(&self) -> PetValues {
        PetValues {
            name: self.name.clone(),
            birthday: self.birthday.as_deref().and_then(Date::from_text),
            status: PetStatus::from_name(&self.status),
            pet_type: PetType::from_name(&self.pet_type),
            breed: self.breed.clone(),
            gender: Gender::from_name(&self.gender),
            weight: self
                .weight_value
                .and_then(|value| u32::try_from(value).ok())
                .map(|value| (value, WeightUnit::from_name(&self.weight_unit))),
            fixed: self.fixed.clone(),
            coat: self.coat.clone(),
            behavior: self.behavior.clone(),
            vaccinations: serde_json::from_str(&self.vaccinations).unwrap_or_default(),
            vet: self
                .vet
                .as_deref()
                .and_then(|text| serde_json::from_str(text).ok()),
            evaluation_status: EvaluationStatus::from_name(&self.evaluation_status),
            photo: self.photo.clone(),
        }
    }
}

/// The wire form of validated pet fields; the output-only fields are left for the caller.
pub fn values_to_wire(values: &PetValues) -> Pet {
    Pet {
        id: String::new(),
        raw_id: 0,
        name: values.name.clone(),
        birthday: values.birthday,
        status: values.status,
        pet_type: values.pet_type,
        breed: values.breed.clone(),
        gender: values.gender,
        weight: values.weight.map(|(value, unit)| Weight { value, unit }),
        fixed: values.fixed.clone(),
        coat: values.coat.clone(),
        behavior: values.behavior.clone(),
        pet_codes: Vec::new(),
        notes: Vec::new(),
        vaccinations: values
            .vaccinations
            .iter()
            .map(|vaccination| Vaccination {
                name: vaccination.name.clone(),
                expired_at: vaccination.expired_at.map(protojson_timestamp),
            })
            .collect(),
        customer_id: String::new(),
        vet: values.vet.clone(),
        evaluation_status: values.evaluation_status,
        created_time: None,
        last_updated_time: None,
        photo: values.photo.clone(),
        deleted: false,
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PetCodeRow {
    pub id: i64,
    pub company_id: i64,
    pub abbreviation: String,
    pub description: String,
    pub color: String,
}

impl PetCodeRow {
    pub fn to_wire(&self, ids: &IdCodec) -> PetCode {
        PetCode {
            id: ids.encode(IdKind::PetCode, self.id),
            abbreviation: self.abbreviation.clone(),
            description: self.description.clone(),
            color: self.color.clone(),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct NoteRow {
    pub id: i64,
    pub pet_id: i64,
    pub content: String,
    pub last_updated_by: Option<i64>,
    pub updated_at: i64,
}

impl NoteRow {
    pub fn to_wire(&self, ids: &IdCodec) -> PetNote {
        PetNote {
            id: ids.encode(IdKind::PetNote, self.id),
            content: self.content.clone(),
            last_updated_by: self
                .last_updated_by
                .map(|staff| ids.encode(IdKind::Staff, staff))
                .unwrap_or_default(),
            last_updated_time: Some(protojson_timestamp(self.updated_at)),
        }
    }
}

/// A pet with its codes and its notes (newest first).
pub struct PetRecord {
    pub row: PetRow,
    pub codes: Vec<PetCodeRow>,
    pub notes: Vec<NoteRow>,
}

impl PetRecord {
    pub fn to_wire(&self, ids: &IdCodec) -> Pet {
        let row = &self.row;
        Pet {
            id: ids.encode(IdKind::Pet, row.id),
            raw_id: row.id,
            pet_codes: self.codes.iter().map(|code| code.to_wire(ids)).collect(),
            notes: self.notes.iter().map(|note| note.to_wire(ids)).collect(),
            customer_id: ids.encode(IdKind::Customer, row.customer_id),
            created_time: Some(protojson_timestamp(row.created_at)),
            last_updated_time: Some(protojson_timestamp(row.updated_at)),
            deleted: row.is_deleted(),
            ..values_to_wire(&row.values())
        }
    }
}

fn select_pets() -> SelectStatement {
    let mut select = Query::select();
    select
        .columns(COLUMNS.map(Alias::new))
        .from(Alias::new("moego_pets"));
    select
}

/// A pet by ID, deleted or not.
pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<PetRow>, sqlx::Error> {
    let mut select = select_pets();
    select.and_where(Expr::col(Alias::new("id")).eq(id));
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_optional(conn).await
}

/// Pets by ID, deleted or not, in ID order.
pub async fn find_many(conn: &mut AnyConnection, ids: &[i64]) -> Result<Vec<PetRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut select = select_pets();
    select.and_where(Expr::col(Alias::new("id")).is_in(ids.iter().copied()));
    db::fetch_all_json(conn, &select, &[("id", Order::Asc)]).await
}

/// A customer's pets by ID; deleted ones only when asked.
pub async fn list_of_customer(
    conn: &mut AnyConnection,
    customer_id: i64,
    include_deleted: bool,
) -> Result<Vec<PetRow>, sqlx::Error> {
    let mut select = select_pets();
    select
        .and_where(Expr::col(Alias::new("customer_id")).eq(customer_id))
        .order_by(Alias::new("id"), Order::Asc);
    if !include_deleted {
        select.and_where(Expr::col(Alias::new("deleted")).eq(0));
    }
    db::fetch_all_json(conn, &select, &[("id", Order::Asc)]).await
}

/// What `pets:list` selects, already validated.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub company_id: i64,
    /// Only pets of these customers, when given.
    pub customer_ids: Option<Vec<i64>>,
    /// `updated_at` from (inclusive) and before (exclusive), microseconds.
    pub last_updated: (Option<i64>, Option<i64>),
    pub include_deleted: bool,
}

/// A company's pets by ID, one row beyond the page.
pub async fn list(
    conn: &mut AnyConnection,
    query: &ListQuery,
    page: Page,
) -> Result<Vec<PetRow>, sqlx::Error> {
    let mut select = select_pets();
    select
        .and_where(Expr::col(Alias::new("company_id")).eq(query.company_id))
        .order_by(Alias::new("id"), Order::Asc)
        .limit(page.fetch_limit() as u64)
        .offset(page.offset() as u64);
    if let Some(customer_ids) = &query.customer_ids {
        select.and_where(Expr::col(Alias::new("customer_id")).is_in(customer_ids.iter().copied()));
    }
    if let Some(start) = query.last_updated.0 {
        select.and_where(Expr::col(Alias::new("updated_at")).gte(start));
    }
    if let Some(end) = query.last_updated.1 {
        select.and_where(Expr::col(Alias::new("updated_at")).lt(end));
    }
    if !query.include_deleted {
        select.and_where(Expr::col(Alias::new("deleted")).eq(0));
    }
    db::fetch_all_json(conn, &select, &[("id", Order::Asc)]).await
}

/// Loads the codes and notes of some pets in one statement.
pub async fn with_details(
    conn: &mut AnyConnection,
    rows: Vec<PetRow>,
) -> Result<Vec<PetRecord>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let pet_ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let (codes, notes) = details_of(pet_ids);
    let (code_rows, note_rows) =
        db::fetch_all_json_pair(&mut *conn, (&codes, CODE_ORDER), (&notes, NOTE_ORDER)).await?;
    Ok(assemble(rows, code_rows, note_rows))
}

const CODE_ORDER: &[(&str, Order)] = &[("id", Order::Asc)];
const NOTE_ORDER: &[(&str, Order)] = &[("id", Order::Desc)];

/// The selects of some pets' codes ([`LinkedCode`]) and notes ([`NoteRow`]).
fn details_of(pet_ids: Vec<i64>) -> (SelectStatement, SelectStatement) {
    let mut codes = Query::select();
    codes
        .column((Alias::new("l"), Alias::new("pet_id")))
        .columns(
            ["id", "company_id", "abbreviation", "description", "color"]
                .map(|column| (Alias::new("c"), Alias::new(column))),
        )
        .from_as(Alias::new("moego_pet_code_links"), Alias::new("l"))
        .inner_join(
            sea_query::TableRef::TableAlias(
                sea_query::SeaRc::new(Alias::new("moego_pet_codes")),
                sea_query::SeaRc::new(Alias::new("c")),
            ),
            Expr::col((Alias::new("c"), Alias::new("id")))
                .equals((Alias::new("l"), Alias::new("pet_code_id"))),
        )
        .and_where(Expr::col((Alias::new("l"), Alias::new("pet_id"))).is_in(pet_ids.clone()));
    let mut notes = Query::select();
    notes
        .columns(["id", "pet_id", "content", "last_updated_by", "updated_at"].map(Alias::new))
        .from(Alias::new("moego_pet_notes"))
        .and_where(Expr::col(Alias::new("pet_id")).is_in(pet_ids));
    (codes, notes)
}

fn assemble(
    rows: Vec<PetRow>,
    code_rows: Vec<LinkedCode>,
    note_rows: Vec<NoteRow>,
) -> Vec<PetRecord> {
    rows.into_iter()
        .map(|row| PetRecord {
            codes: code_rows
                .iter()
                .filter(|linked| linked.pet_id == row.id)
                .map(|linked| linked.code())
                .collect(),
            notes: note_rows
                .iter()
                .filter(|note| note.pet_id == row.id)
                .cloned()
                .collect(),
            row,
        })
        .collect()
}

/// A customer's company and owner, as a pet read checks them.
#[derive(sqlx::FromRow)]
pub struct CustomerOwnerRow {
    pub company_id: i64,
    pub client_id: i64,
    pub country: String,
    pub deleted: i64,
}

/// [`CustomerOwnerRow`]'s columns, of `c` (the customer) and `co` (its company)...
const CUSTOMER_OWNER_COLUMNS: &str = "c.company_id, co.client_id, co.country, c.deleted";
/// ... and where they come from, the customer's ID to follow.
const CUSTOMER_OWNER_FROM: &str =
    "FROM moego_customers c JOIN moego_companies co ON co.id = c.company_id WHERE c.id = ";

/// Customer `id`'s company and owner; `None` for no such customer.
pub async fn customer_owner(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<CustomerOwnerRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CUSTOMER_OWNER_COLUMNS} {CUSTOMER_OWNER_FROM}$1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Reading one pet in one statement: its customer's company and owner (`None`: no such
/// customer) and, when `pet_id` is that customer's pet, the pet with its codes and notes.
pub async fn find_of_customer(
    conn: &mut AnyConnection,
    customer_id: i64,
    pet_id: i64,
) -> Result<Option<(CustomerOwnerRow, Option<PetRecord>)>, sqlx::Error> {
    let mut pet = select_pets();
    pet.and_where(Expr::col(Alias::new("id")).eq(pet_id))
        .and_where(Expr::col(Alias::new("customer_id")).eq(customer_id));
    let (codes, notes) = details_of(vec![pet_id]);
    let mut statement = db::JsonStatement::new(conn);
    statement
        .text(&format!("SELECT {CUSTOMER_OWNER_COLUMNS}, ("))
        .rows_of::<PetRow>(&pet, &[])
        .text(") AS pet, (")
        .rows_of::<LinkedCode>(&codes, CODE_ORDER)
        .text(") AS codes, (")
        .rows_of::<NoteRow>(&notes, NOTE_ORDER)
        .text(") AS notes ")
        .text(CUSTOMER_OWNER_FROM)
        .param(customer_id);
    let (sql, values) = statement.into_parts();
    let Some(row) = query_as_with::<CustomerWithPet>(&sql, values)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let pets: Vec<PetRow> = db::decode_json(row.pet)?;
    let record = assemble(
        pets,
        db::decode_json(row.codes)?,
        db::decode_json(row.notes)?,
    )
    .pop();
    Ok(Some((row.owner, record)))
}

#[derive(sqlx::FromRow)]
struct CustomerWithPet {
    #[sqlx(flatten)]
    owner: CustomerOwnerRow,
    pet: Option<String>,
    codes: Option<String>,
    notes: Option<String>,
}

#[derive(serde::Deserialize)]
struct LinkedCode {
    pet_id: i64,
    id: i64,
    company_id: i64,
    abbreviation: String,
    description: String,
    color: String,
}

impl LinkedCode {
    fn code(&self) -> PetCodeRow {
        PetCodeRow {
            id: self.id,
            company_id: self.company_id,
            abbreviation: self.abbreviation.clone(),
            description: self.description.clone(),
            color: self.color.clone(),
        }
    }
}

/// One pet with its details, as the API renders it.
pub async fn load(conn: &mut AnyConnection, id: i64) -> Result<Option<PetRecord>, sqlx::Error> {
    let Some(row) = find(conn, id).await? else {
        return Ok(None);
    };
    Ok(with_details(conn, vec![row]).await?.pop())
}

fn vaccinations_json(list: &[StoredVaccination]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

fn vet_json(vet: &Option<Vet>) -> Option<String> {
    vet.as_ref()
        .map(|vet| serde_json::to_string(vet).unwrap_or_default())
}

/// What a new pet starts with besides its fields.
pub struct NewPet<'a> {
    pub company_id: i64,
    pub customer_id: i64,
    pub values: &'a PetValues,
    /// IDs of company pet codes, already checked to be the company's.
    pub code_ids: &'a [i64],
    /// Note contents, already validated.
    pub notes: &'a [String],
}

/// Creates a pet with its codes and notes and appends PET_CREATED; returns the pet as the
/// event carries it.
pub async fn insert(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    pet: NewPet<'_>,
) -> Result<Pet, sqlx::Error> {
    let now = now_micros();
    // The row starts with its owner; its fields are written by the one statement updates use.
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_pets (company_id, customer_id, name, status, pet_type, breed, \
         deleted, created_at, updated_at) VALUES ($1, $2, '', '', '', '', 0, $3, $3) RETURNING id",
    )
    .bind(pet.company_id)
    .bind(pet.customer_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    write_values(conn, id, pet.values, now).await?;
    link_codes(conn, id, pet.code_ids).await?;
    insert_notes(conn, id, pet.notes).await?;
    emit_current(conn, ids, id, EventType::PetCreated).await
}

/// Unspecified enums are stored as '' so that a column reads as "not set".
fn stored_enum(unspecified: bool, name: &str) -> String {
    if unspecified {
        String::new()
    } else {
        name.to_string()
    }
}

/// Writes a live pet's fields; false when the pet is deleted (or gone).
async fn write_values(
    conn: &mut AnyConnection,
    id: i64,
    values: &PetValues,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE moego_pets SET name = $2, birthday = $3, status = $4, pet_type = $5, breed = $6, \
         gender = $7, weight_value = $8, weight_unit = $9, fixed = $10, coat = $11, behavior = $12, \
         vaccinations = $13, vet = $14, evaluation_status = $15, photo = $16, updated_at = $17 \
         WHERE id = $1 AND deleted = 0",
    )
    .bind(id)
    .bind(&values.name)
    .bind(values.birthday.map(|date| date.to_text()))
    .bind(values.status.name())
    .bind(values.pet_type.name())
    .bind(&values.breed)
    .bind(stored_enum(values.gender.is_unspecified(), values.gender.name()))
    .bind(values.weight.map(|(value, _)| i64::from(value)))
    .bind(
        values
            .weight
            .map(|(_, unit)| unit.name().to_string())
            .unwrap_or_default(),
    )
    .bind(&values.fixed)
    .bind(&values.coat)
    .bind(&values.behavior)
    .bind(vaccinations_json(&values.vaccinations))
    .bind(vet_json(&values.vet))
    .bind(stored_enum(
        values.evaluation_status.is_unspecified(),
        values.evaluation_status.name(),
    ))
    .bind(&values.photo)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(result_changed(result))
}

fn result_changed(result: sqlx::any::AnyQueryResult) -> bool {
    result.rows_affected() == 1
}

/// Replaces a pet's fields (the caller merged the PUT into the stored values) and appends
/// PET_UPDATED; `None` (nothing written) when the pet was deleted meanwhile.
pub async fn update(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    id: i64,
    values: &PetValues,
) -> Result<Option<Pet>, sqlx::Error> {
    if !write_values(conn, id, values, now_micros()).await? {
        return Ok(None);
    }
    emit_current(conn, ids, id, EventType::PetUpdated)
        .await
        .map(Some)
}

/// Marks a pet changed by a write to its notes or codes and appends PET_UPDATED: both are
/// part of the vendor's Pet, so a receiver syncing pets must hear of them. `None` when the
/// pet was deleted meanwhile (the caller rolls its write back).
pub async fn touch(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    id: i64,
) -> Result<Option<Pet>, sqlx::Error> {
    let result = sqlx::query("UPDATE moego_pets SET updated_at = $2 WHERE id = $1 AND deleted = 0")
        .bind(id)
        .bind(now_micros())
        .execute(&mut *conn)
        .await?;
    if !result_changed(result) {
        return Ok(None);
    }
    emit_current(conn, ids, id, EventType::PetUpdated)
        .await
        .map(Some)
}

/// Appends an event carrying the pet as it now stands (`"pet": {...}`).
async fn emit_current(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    id: i64,
    event_type: EventType,
) -> Result<Pet, sqlx::Error> {
    let record = load(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let pet = record.to_wire(ids);
    let payload = serde_json::to_value(&pet).map_err(|err| sqlx::Error::Decode(Box::new(err)))?;
    event::emit(conn, ids, record.row.company_id, event_type, "pet", payload).await?;
    Ok(pet)
}

/// Soft-deletes a pet and appends PET_DELETED with the vendor's `{"id","deleted":true}`;
/// false (and no event) when it was already deleted.
pub async fn soft_delete(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    company_id: i64,
    id: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE moego_pets SET deleted = 1, updated_at = $2 WHERE id = $1 AND deleted = 0",
    )
    .bind(id)
    .bind(now_micros())
    .execute(&mut *conn)
    .await?;
    if result.rows_affected() == 0 {
        return Ok(false);
    }
    event::emit(
        conn,
        ids,
        company_id,
        EventType::PetDeleted,
        "pet",
        json!({ "id": ids.encode(IdKind::Pet, id), "deleted": true }),
    )
    .await?;
    Ok(true)
}

/// Soft-deletes every live pet of a customer being deleted, one PET_DELETED each, inside the
/// customer's delete transaction. Returns how many pets followed their owner.
pub async fn soft_delete_of_customer(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    customer_id: i64,
) -> Result<usize, sqlx::Error> {
    let live: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, company_id FROM moego_pets WHERE customer_id = $1 AND deleted = 0 ORDER BY id",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut deleted = 0;
    for (pet_id, company_id) in live {
        if soft_delete(conn, ids, company_id, pet_id).await? {
            deleted += 1;
        }
    }
    Ok(deleted)
}

/// Attaches codes to a pet; codes it already carries stay as they are.
pub async fn link_codes(
    conn: &mut AnyConnection,
    pet_id: i64,
    code_ids: &[i64],
) -> Result<(), sqlx::Error> {
    let now = now_micros();
    for code_id in code_ids {
        sqlx::query(
            "INSERT INTO moego_pet_code_links (pet_id, pet_code_id, added_at) VALUES ($1, $2, $3) \
             ON CONFLICT (pet_id, pet_code_id) DO NOTHING",
        )
        .bind(pet_id)
        .bind(code_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Detaches a code; false when the pet did not carry it.
pub async fn unlink_code(
    conn: &mut AnyConnection,
    pet_id: i64,
    code_id: i64,
) -> Result<bool, sqlx::Error> {
    let result =
        sqlx::query("DELETE FROM moego_pet_code_links WHERE pet_id = $1 AND pet_code_id = $2")
            .bind(pet_id)
            .bind(code_id)
            .execute(conn)
            .await?;
    Ok(result.rows_affected() == 1)
}

/// The pet codes among `code_ids` (of any company: the caller checks tenancy), by ID.
pub async fn codes_by_id(
    conn: &mut AnyConnection,
    code_ids: &[i64],
) -> Result<Vec<PetCodeRow>, sqlx::Error> {
    if code_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut select = Query::select();
    select
        .columns(["id", "company_id", "abbreviation", "description", "color"].map(Alias::new))
        .from(Alias::new("moego_pet_codes"))
        .and_where(Expr::col(Alias::new("id")).is_in(code_ids.iter().copied()))
        .order_by(Alias::new("id"), Order::Asc);
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_all(conn).await
}

/// A company pet code, created by an operator (the vendor's settings app).
pub struct NewPetCode<'a> {
    pub abbreviation: &'a str,
    pub description: &'a str,
    pub color: &'a str,
}

pub async fn insert_code(
    conn: &mut AnyConnection,
    company_id: i64,
    code: &NewPetCode<'_>,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_pet_codes (company_id, abbreviation, description, color, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(company_id)
    .bind(code.abbreviation)
    .bind(code.description)
    .bind(code.color)
    .bind(now_micros())
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Replaces a company pet code's fields (its pets show them); false when the company has no
/// such code.
pub async fn update_code(
    conn: &mut AnyConnection,
    company_id: i64,
    id: i64,
    code: &NewPetCode<'_>,
) -> Result<bool, sqlx::Error> {
    let columns = vec![
        ("abbreviation", code.abbreviation.into()),
        ("description", code.description.into()),
        ("color", code.color.into()),
    ];
    catalog::update_entry(conn, "moego_pet_codes", (company_id, id), columns).await
}

/// Adds notes to a pet and returns them in the order given.
pub async fn insert_notes(
    conn: &mut AnyConnection,
    pet_id: i64,
    contents: &[String],
) -> Result<Vec<NoteRow>, sqlx::Error> {
    let now = now_micros();
    let mut rows = Vec::with_capacity(contents.len());
    for content in contents {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO moego_pet_notes (pet_id, content, created_at, updated_at) \
             VALUES ($1, $2, $3, $3) RETURNING id",
        )
        .bind(pet_id)
        .bind(content)
        .bind(now)
        .fetch_one(&mut *conn)
        .await?;
        rows.push(NoteRow {
            id,
            pet_id,
            content: content.clone(),
            last_updated_by: None,
            updated_at: now,
        });
    }
    Ok(rows)
}

/// A pet's notes, newest first (by ID, so notes written in one request keep a stable order),
/// one row beyond the page.
pub async fn list_notes(
    conn: &mut AnyConnection,
    pet_id: i64,
    page: Page,
) -> Result<Vec<NoteRow>, sqlx::Error> {
    let mut select = Query::select();
    select
        .columns(["id", "pet_id", "content", "last_updated_by", "updated_at"].map(Alias::new))
        .from(Alias::new("moego_pet_notes"))
        .and_where(Expr::col(Alias::new("pet_id")).eq(pet_id))
        .order_by(Alias::new("id"), Order::Desc)
        .limit(page.fetch_limit() as u64)
        .offset(page.offset() as u64);
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_all(conn).await
}
