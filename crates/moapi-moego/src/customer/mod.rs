//! Customers (CustomerService): a company's clients with their notes, tags, preferences and
//! compliance settings, plus the signed pages of `links` (card on file, upcoming
//! appointments). Every write runs in one transaction that also appends exactly one event:
//! CUSTOMER_CREATED, CUSTOMER_UPDATED, CUSTOMER_COMPLIANCE_CHANGED (an update that changed the
//! compliance configuration) or CUSTOMER_DELETED (operator API), with the customer as payload.

pub mod card;
pub mod input;
pub mod links;
pub mod pages;
pub mod store;
pub mod wire;

use axum::extract::State;
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::pagination::{CursorPage, Page};
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, Code, IdKind, Status};
use sqlx::AnyConnection;

use crate::access;
use crate::company;
use crate::event::{self, EventType};
use crate::wire::{PathId, PathIdPair};
use input::{NoteInput, TagRef};
use store::{CustomerRecord, CustomerRow, NewCustomer, TagRow};
use wire::{
    AppendCustomerNotesBody, AppendCustomerNotesResponse, AppendCustomerTagsBody,
    AppendCustomerTagsResponse, CreateCustomerRequest, Customer, DeleteCustomerNoteResponse,
    GenCustomerCofLinkResponse, ListCustomerNotesBody, ListCustomerNotesResponse,
    ListCustomerTagsBody, ListCustomerTagsResponse, ListCustomersRequest, ListCustomersResponse,
    UpdateCustomerBody, UpdateCustomerNoteBody, UpdateCustomerNoteResponse,
};

pub const READ_SCOPE: &str = "customers:read";
pub const WRITE_SCOPE: &str = "customers:write";

/// The key of the event payload: the `customer` member of the vendor's Event oneof.
const PAYLOAD_KEY: &str = "customer";

/// Renders a customer as the API answers it, with a fresh signed appointments link.
pub fn render(state: &AppState, record: &CustomerRecord) -> Customer {
    record.to_wire(
        &state.ids,
        links::upcoming_appointments_url(state, record.row.id),
    )
}

/// Appends the customer's event inside the caller's transaction and returns what was sent.
pub async fn emit(
    conn: &mut AnyConnection,
    state: &AppState,
    customer_id: i64,
    event_type: EventType,
) -> Result<Customer, Status> {
    let record = store::load(conn, customer_id)
        .await?
        .ok_or_else(|| Status::internal(format!("customer {customer_id} vanished mid-write")))?;
    emit_record(conn, state, &record, event_type).await
}

/// Appends the event of a customer the caller already holds as stored (a create knows every
/// row it wrote, so it does not read them back inside its transaction).
async fn emit_record(
    conn: &mut AnyConnection,
    state: &AppState,
    record: &CustomerRecord,
    event_type: EventType,
) -> Result<Customer, Status> {
    let customer = render(state, record);
    let payload = serde_json::to_value(&customer).map_err(Status::internal)?;
    event::emit(
        conn,
        &state.ids,
        record.row.company_id,
        event_type,
        PAYLOAD_KEY,
        payload,
    )
    .await?;
    Ok(customer)
}

/// Starts a write to a customer: its row is marked updated first, which also takes the write
/// lock (SQLite) or the row lock (PostgreSQL) before anything is read, so concurrent writes to
/// one customer queue instead of failing or overwriting each other.
async fn begin_change(
    db: &mut Conn,
    customer_id: i64,
) -> Result<sqlx::Transaction<'_, sqlx::Any>, Status> {
    let mut tx = db.begin().await?;
    store::touch(&mut tx, customer_id).await?;
    Ok(tx)
}

/// Ends a write to a customer's notes or tags begun with [`begin_change`]: CUSTOMER_UPDATED is
/// appended and everything commits together.
async fn finish_change(
    mut tx: sqlx::Transaction<'_, sqlx::Any>,
    state: &AppState,
    customer_id: i64,
) -> Result<(), Status> {
    emit(&mut tx, state, customer_id, EventType::CustomerUpdated).await?;
    tx.commit().await?;
    Ok(())
}

/// Creates a customer with its notes and tags and emits CUSTOMER_CREATED, all inside the
/// caller's transaction (a lead's promotion creates its customer this way).
pub async fn create_in(
    conn: &mut AnyConnection,
    state: &AppState,
    customer: &NewCustomer,
    notes: &[NoteInput],
    tags: &[TagRef],
) -> Result<Customer, Status> {
    let row = store::insert(conn, customer).await?;
    let mut note_rows = Vec::with_capacity(notes.len());
    for note in notes {
        note_rows.push(store::insert_note(conn, row.id, &note.text).await?);
    }
    let mut tag_rows = resolve_tags(conn, customer.company_id, tags).await?;
    for tag in &tag_rows {
        store::link_tag(conn, row.id, tag.id).await?;
    }
    // The orders `store::with_details` reads them in: notes newest first, tags by name.
    note_rows.sort_by_key(|note| std::cmp::Reverse((note.created_at, note.id)));
    tag_rows.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
    let record = CustomerRecord {
        row,
        notes: note_rows,
        tags: tag_rows,
        // A customer just created has no appointments.
        last_appointment_at: None,
        next_appointment_at: None,
    };
    emit_record(conn, state, &record, EventType::CustomerCreated).await
}

/// Soft-deletes a customer and emits CUSTOMER_DELETED inside the caller's transaction;
/// `None` when there is no such customer or it was already deleted. What follows the
/// customer (its pets) belongs in the same transaction, after this call.
pub async fn delete_in(
    conn: &mut AnyConnection,
    state: &AppState,
    id: i64,
) -> Result<Option<Customer>, Status> {
    if !store::soft_delete(conn, id).await? {
        return Ok(None);
    }
    emit(conn, state, id, EventType::CustomerDeleted)
        .await
        .map(Some)
}

/// The company's tags a request names, creating named ones on first use. A tag ID of another
/// company is refused with code 7.
async fn resolve_tags(
    conn: &mut AnyConnection,
    company_id: i64,
    tags: &[TagRef],
) -> Result<Vec<TagRow>, Status> {
    let mut rows: Vec<TagRow> = Vec::with_capacity(tags.len());
    for tag in tags {
        let row = match tag {
            TagRef::Id(id) => {
                let row = store::find_tag(&mut *conn, *id)
                    .await?
                    .ok_or_else(|| Status::not_found("tags: tag not found"))?;
                if row.company_id != company_id {
                    return Err(Status::no_permission());
                }
                row
            }
            TagRef::Name(name) => store::ensure_tag(conn, company_id, name).await?,
        };
        if !rows.iter().any(|known| known.id == row.id) {
            rows.push(row);
        }
    }
    Ok(rows)
}

/// The customer a path names, if the key may see it: "invalid obfuscate", NOT_FOUND or code 7.
pub async fn visible_customer(
    conn: &mut AnyConnection,
    state: &AppState,
    principal: &MoegoPrincipal,
    id: &str,
) -> Result<CustomerRow, Status> {
    let row = store::find(&mut *conn, decode_customer(state, id)?)
        .await?
        .ok_or_else(customer_not_found)?;
    access::check(conn, principal, &row).await?;
    Ok(row)
}

/// Like [`visible_customer`], with the notes, tags and appointment dates its wire form
/// carries, read together with the row.
async fn visible_record(
    conn: &mut AnyConnection,
    state: &AppState,
    principal: &MoegoPrincipal,
    id: &str,
) -> Result<CustomerRecord, Status> {
    let raw = decode_customer(state, id)?;
    let record = store::load(conn, raw)
        .await?
        .ok_or_else(customer_not_found)?;
    access::check(conn, principal, &record.row).await?;
    Ok(record)
}

fn decode_customer(state: &AppState, id: &str) -> Result<i64, Status> {
    state
        .ids
        .decode(IdKind::Customer, id)
        .map_err(|_| Status::invalid_obfuscate())
}

fn customer_not_found() -> Status {
    Status::not_found("customer not found")
}

/// Like [`visible_customer`], for a write: the customer must not be deleted.
pub async fn writable_customer(
    conn: &mut AnyConnection,
    state: &AppState,
    principal: &MoegoPrincipal,
    id: &str,
) -> Result<CustomerRow, Status> {
    let row = visible_customer(conn, state, principal, id).await?;
    if row.is_deleted() {
        return Err(deleted_customer());
    }
    Ok(row)
}

fn deleted_customer() -> Status {
    Status::new(
        Code::FailedPrecondition,
        "customer is deleted and cannot be changed",
    )
}

/// Creates a customer in a company, with optional notes, tags, preference and compliance.
#[utoipa::path(post, path = "/v1/customers", operation_id = "CustomerService_CreateCustomer",
    request_body = CreateCustomerRequest,
    responses((status = 200, body = Customer), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn create_customer(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<CreateCustomerRequest>,
) -> Result<Json<Customer>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let conn = db.get().await?;
    let company =
        access::company_row(conn, &state.ids, &principal, request.company_id.as_deref()).await?;
    let (owner, country) = (company.owner(), company.country);
    let business_ref = request
        .preferred_business_id
        .as_deref()
        .filter(|id| !id.is_empty())
        .ok_or_else(|| Status::invalid_argument("preferredBusinessId: value is required"))?;
    let mut customer = NewCustomer::new(owner.company_id);
    customer.first_name = input::name("firstName", request.first_name.as_deref())?;
    customer.last_name = input::name("lastName", request.last_name.as_deref())?;
    customer.phone = input::phone(
        "phone",
        request.phone.as_deref().unwrap_or_default(),
        &country,
    )?;
    customer.email = input::email("email", request.email.as_deref().unwrap_or_default())?;
    customer.address = request
        .address
        .as_ref()
        .map(|address| input::address("address", address))
        .transpose()?;
    customer.preference = input::preference(request.preference.as_ref());
    if let Some(update) = &request.compliance_config {
        customer.compliance =
            input::apply_compliance("complianceConfig", &customer.compliance, update)?;
    }
    let notes = input::notes(&state, "notes", &request.notes, false)?;
    let tags = input::tags(&state, "tags", &request.tags)?;
    customer.preferred_business_id =
        Some(input::preferred_business(conn, &state, &principal, owner, business_ref).await?);

    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    let created = create_in(&mut tx, &state, &customer, &notes, &tags).await?;
    tx.commit().await?;
    Ok(Json(created))
}

/// The company's country, in which national phone numbers are read ("" when unknown).
pub async fn company_country(conn: &mut AnyConnection, company_id: i64) -> Result<String, Status> {
    Ok(company::store::find(conn, company_id)
        .await?
        .map(|company| company.country)
        .unwrap_or_default())
}

/// Retrieves one customer (a deleted one too, with `deleted: true`).
#[utoipa::path(get, path = "/v1/customers/{id}", operation_id = "CustomerService_GetCustomer",
    params(("id" = String, Path, description = "Customer ID (cus_...)")),
    responses((status = 200, body = Customer), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn get_customer(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
) -> Result<Json<Customer>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let record = visible_record(db.get().await?, &state, &principal, &id).await?;
    Ok(Json(render(&state, &record)))
}

/// Updates a customer partially: an absent field keeps its value, a present one replaces it.
/// Non-empty `tags` replace the customer's tags; `notes` with an ID change that note, without
/// one they are appended.
#[utoipa::path(put, path = "/v1/customers/{id}", operation_id = "CustomerService_UpdateCustomer",
    params(("id" = String, Path, description = "Customer ID (cus_...)")),
    request_body = UpdateCustomerBody,
    responses((status = 200, body = Customer), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn update_customer(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
    ProtoJson(body): ProtoJson<UpdateCustomerBody>,
) -> Result<Json<Customer>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let conn = db.get().await?;
    let company =
        access::company_row(conn, &state.ids, &principal, body.company_id.as_deref()).await?;
    let (owner, country) = (company.owner(), company.country);
    let row = writable_customer(conn, &state, &principal, &id).await?;
    if row.company_id != owner.company_id {
        return Err(Status::no_permission());
    }
    let mut patch = input::CustomerPatch::default();
    if let Some(business) = body.preferred_business_id.as_deref() {
        patch.preferred_business_id = Some(if business.is_empty() {
            None
        } else {
            Some(input::preferred_business(conn, &state, &principal, owner, business).await?)
        });
    }
    patch.avatar_path = body
        .avatar_path
        .as_deref()
        .map(input::avatar_path)
        .transpose()?;
    patch.first_name = body
        .first_name
        .as_deref()
        .map(|first| input::name("firstName", Some(first)))
        .transpose()?;
    patch.last_name = body
        .last_name
        .as_deref()
        .map(|last| input::name("lastName", Some(last)))
        .transpose()?;
    patch.phone = body
        .phone
        .as_deref()
        .map(|phone| input::phone("phone", phone, &country))
        .transpose()?;
    patch.email = body
        .email
        .as_deref()
        .map(|email| input::email("email", email))
        .transpose()?;
    patch.address = body
        .address
        .as_ref()
        .map(|address| input::address("address", address))
        .transpose()?;
    if let Some(update) = &body.compliance_config {
        // Checked now, applied to the stored values once the row is locked.
        input::apply_compliance("complianceConfig", &Default::default(), update)?;
        patch.compliance = Some(update.clone());
    }
    let notes = input::notes(&state, "notes", &body.notes, true)?;
    let tags = input::tags(&state, "tags", &body.tags)?;

    // The row is locked (and re-read) before the patch applies, so concurrent partial updates
    // of different fields both land.
    let mut tx = begin_change(&mut db, row.id).await?;
    let row = store::find(&mut *tx, row.id)
        .await?
        .ok_or_else(|| Status::not_found("customer not found"))?;
    if row.is_deleted() {
        return Err(deleted_customer());
    }
    let mut customer = row.to_new();
    patch.apply(&mut customer)?;
    let compliance_changed = customer.compliance != row.compliance();
    store::update(&mut tx, row.id, &customer).await?;
    for note in &notes {
        match note.id {
            None => {
                store::insert_note(&mut tx, row.id, &note.text).await?;
            }
            Some(note_id) => {
                note_of(&mut tx, row.id, note_id).await?;
                store::update_note(&mut tx, note_id, &note.text).await?;
            }
        }
    }
    if !tags.is_empty() {
        let rows = resolve_tags(&mut tx, row.company_id, &tags).await?;
        store::unlink_all_tags(&mut tx, row.id).await?;
        for tag in rows {
            store::link_tag(&mut tx, row.id, tag.id).await?;
        }
    }
    let event_type = if compliance_changed {
        EventType::CustomerComplianceChanged
    } else {
        EventType::CustomerUpdated
    };
    let updated = emit(&mut tx, &state, row.id, event_type).await?;
    tx.commit().await?;
    Ok(Json(updated))
}

/// Lists a company's customers by ID; soft-deleted ones only with `filter.includeDeleted`.
#[utoipa::path(post, path = "/v1/customers:list", operation_id = "CustomerService_ListCustomers",
    request_body = ListCustomersRequest,
    responses((status = 200, body = ListCustomersResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_customers(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListCustomersRequest>,
) -> Result<Json<ListCustomersResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let conn = db.get().await?;
    let company =
        access::company_row(conn, &state.ids, &principal, request.company_id.as_deref()).await?;
    let (owner, country) = (company.owner(), company.country);
    let query = input::list_query(owner.company_id, &country, request.filter.as_ref())?;
    // The normalised query (phone in E.164, instants in microseconds) names the sequence the
    // page numbers count through, together with the caller.
    let normalised = format!("{query:?}");
    let page = CursorPage::open(conn, page, &["customers", &principal.key_id, &normalised]).await?;
    let mut rows = store::list(&mut *conn, &query, &page).await?;
    let next_page_token = page.finish(&mut rows);
    let last_id = rows.last().map(|dated| dated.row.id);
    let records = store::with_notes_and_tags(conn, rows).await?;
    if let (false, Some(last_id)) = (next_page_token.is_empty(), last_id) {
        page.remember_next_start(&mut db, last_id).await?;
    }
    let customers = records
        .iter()
        .map(|record| render(&state, record))
        .collect();
    Ok(Json(ListCustomersResponse {
        next_page_token,
        customers,
    }))
}

/// The note `note_id` of customer `customer_id`: NOT_FOUND when it is another customer's.
async fn note_of(
    conn: &mut AnyConnection,
    customer_id: i64,
    note_id: i64,
) -> Result<store::NoteRow, Status> {
    store::find_note(conn, note_id)
        .await?
        .filter(|note| note.customer_id == customer_id)
        .ok_or_else(|| Status::not_found("customer note not found"))
}

fn decode_note(state: &AppState, id: &str) -> Result<i64, Status> {
    state
        .ids
        .decode(IdKind::CustomerNote, id)
        .map_err(|_| Status::invalid_obfuscate())
}

/// Adds notes to a customer and answers them with their IDs and times.
#[utoipa::path(post, path = "/v1/customers/{id}/notes", operation_id = "CustomerService_AppendCustomerNotes",
    params(("id" = String, Path, description = "Customer ID (cus_...)")),
    request_body = AppendCustomerNotesBody,
    responses((status = 200, body = AppendCustomerNotesResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn append_customer_notes(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
    ProtoJson(body): ProtoJson<AppendCustomerNotesBody>,
) -> Result<Json<AppendCustomerNotesResponse>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let row = writable_customer(db.get().await?, &state, &principal, &id).await?;
    if body.notes.is_empty() {
        return Err(Status::invalid_argument(
            "notes: at least one note is required",
        ));
    }
    let notes = input::notes(&state, "notes", &body.notes, false)?;
    let mut tx = begin_change(&mut db, row.id).await?;
    let mut added = Vec::with_capacity(notes.len());
    for note in &notes {
        added.push(store::insert_note(&mut tx, row.id, &note.text).await?);
    }
    finish_change(tx, &state, row.id).await?;
    Ok(Json(AppendCustomerNotesResponse {
        notes: added.iter().map(|note| note.to_wire(&state.ids)).collect(),
    }))
}

/// Lists a customer's notes, newest first.
#[utoipa::path(post, path = "/v1/customers/{id}/notes:list", operation_id = "CustomerService_ListCustomerNotes",
    params(("id" = String, Path, description = "Customer ID (cus_...)")),
    request_body = ListCustomerNotesBody,
    responses((status = 200, body = ListCustomerNotesResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_customer_notes(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
    ProtoJson(body): ProtoJson<ListCustomerNotesBody>,
) -> Result<Json<ListCustomerNotesResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(body.pagination.as_ref())?;
    let conn = db.get().await?;
    let row = visible_customer(conn, &state, &principal, &id).await?;
    let mut notes = store::list_notes(conn, row.id, page).await?;
    let next_page_token = page.finish(&mut notes);
    Ok(Json(ListCustomerNotesResponse {
        next_page_token,
        notes: notes.iter().map(|note| note.to_wire(&state.ids)).collect(),
    }))
}

/// Changes the text of one of a customer's notes.
#[utoipa::path(put, path = "/v1/customers/{customerId}/notes/{noteId}", operation_id = "CustomerService_UpdateCustomerNote",
    params(("customerId" = String, Path, description = "Customer ID (cus_...)"),
           ("noteId" = String, Path, description = "Customer note ID (cxn_...)")),
    request_body = UpdateCustomerNoteBody,
    responses((status = 200, body = UpdateCustomerNoteResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn update_customer_note(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathIdPair(customer_id, note_id): PathIdPair,
    ProtoJson(body): ProtoJson<UpdateCustomerNoteBody>,
) -> Result<Json<UpdateCustomerNoteResponse>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let row = writable_customer(db.get().await?, &state, &principal, &customer_id).await?;
    let note_id = decode_note(&state, &note_id)?;
    let text = input::note_text("note", body.note.as_deref())?;
    let mut tx = begin_change(&mut db, row.id).await?;
    note_of(&mut tx, row.id, note_id).await?;
    let note = store::update_note(&mut tx, note_id, &text)
        .await?
        .ok_or_else(|| Status::not_found("customer note not found"))?;
    finish_change(tx, &state, row.id).await?;
    Ok(Json(UpdateCustomerNoteResponse {
        note: note.to_wire(&state.ids),
    }))
}

/// Deletes one of a customer's notes.
#[utoipa::path(delete, path = "/v1/customers/{customerId}/notes/{noteId}", operation_id = "CustomerService_DeleteCustomerNote",
    params(("customerId" = String, Path, description = "Customer ID (cus_...)"),
           ("noteId" = String, Path, description = "Customer note ID (cxn_...)")),
    responses((status = 200, body = DeleteCustomerNoteResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn delete_customer_note(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathIdPair(customer_id, note_id): PathIdPair,
) -> Result<Json<DeleteCustomerNoteResponse>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let row = writable_customer(db.get().await?, &state, &principal, &customer_id).await?;
    let note_id = decode_note(&state, &note_id)?;
    let mut tx = begin_change(&mut db, row.id).await?;
    note_of(&mut tx, row.id, note_id).await?;
    store::delete_note(&mut tx, note_id).await?;
    finish_change(tx, &state, row.id).await?;
    Ok(Json(DeleteCustomerNoteResponse {}))
}

/// Puts tags on a customer (by the company tag's ID, or by name, creating it on first use).
#[utoipa::path(post, path = "/v1/customers/{id}/tags", operation_id = "CustomerService_AppendCustomerTags",
    params(("id" = String, Path, description = "Customer ID (cus_...)")),
    request_body = AppendCustomerTagsBody,
    responses((status = 200, body = AppendCustomerTagsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn append_customer_tags(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
    ProtoJson(body): ProtoJson<AppendCustomerTagsBody>,
) -> Result<Json<AppendCustomerTagsResponse>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let row = writable_customer(db.get().await?, &state, &principal, &id).await?;
    if body.tags.is_empty() {
        return Err(Status::invalid_argument(
            "tags: at least one tag is required",
        ));
    }
    let tags = input::tags(&state, "tags", &body.tags)?;
    let mut tx = begin_change(&mut db, row.id).await?;
    let rows = resolve_tags(&mut tx, row.company_id, &tags).await?;
    for tag in &rows {
        store::link_tag(&mut tx, row.id, tag.id).await?;
    }
    finish_change(tx, &state, row.id).await?;
    Ok(Json(AppendCustomerTagsResponse {
        tags: rows.iter().map(|tag| tag.to_wire(&state.ids)).collect(),
    }))
}

/// Lists the tags a customer carries, by name.
#[utoipa::path(post, path = "/v1/customers/{id}/tags:list", operation_id = "CustomerService_ListCustomerTags",
    params(("id" = String, Path, description = "Customer ID (cus_...)")),
    request_body = ListCustomerTagsBody,
    responses((status = 200, body = ListCustomerTagsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_customer_tags(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
    ProtoJson(_body): ProtoJson<ListCustomerTagsBody>,
) -> Result<Json<ListCustomerTagsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let record = visible_record(db.get().await?, &state, &principal, &id).await?;
    Ok(Json(ListCustomerTagsResponse {
        tags: record
            .tags
            .iter()
            .map(|tag| tag.to_wire(&state.ids))
            .collect(),
    }))
}

/// A signed link to a page where the customer saves a card, valid for 24 hours.
#[utoipa::path(get, path = "/v1/customers/{id}/cof/link", operation_id = "CustomerService_GenCustomerCofLink",
    params(("id" = String, Path, description = "Customer ID (cus_...)")),
    responses((status = 200, body = GenCustomerCofLinkResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn gen_customer_cof_link(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(id): PathId,
) -> Result<Json<GenCustomerCofLinkResponse>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let row = writable_customer(db.get().await?, &state, &principal, &id).await?;
    Ok(Json(GenCustomerCofLinkResponse {
        link: links::card_on_file_url(&state, row.id),
    }))
}
