//! Storage of customers, their notes, the company's customer tags with their links to
//! customers, and saved cards. Functions that write take a connection so that callers run
//! them inside their transaction (and emit the event there); single-statement reads take any
//! executor (the pool, or a transaction's connection).

use moapi_core::db::{self, build, query_as_with};
use moapi_core::pagination::{CursorPage, Page};
use moapi_core::time::{now_micros, protojson_timestamp};
use moapi_core::{IdCodec, IdKind};
use sea_query::{Alias, Expr, Order, Query, SelectStatement};
use sqlx::{Any, AnyConnection, Executor};

use super::wire::{
    ComplianceChannel, ComplianceConfig, Customer, CustomerNote, CustomerStatus, CustomerTag,
    Preference,
};
use crate::appointment::store as appointments;
use crate::business::wire::{Address, AddressType};

const TABLE: &str = "moego_customers";

const COLUMNS: [&str; 25] = [
    "id",
    "company_id",
    "preferred_business_id",
    "first_name",
    "last_name",
    "avatar_path",
    "phone",
    "email",
    "address",
    "status",
    "color_code",
    "source",
    "receive_auto_message",
    "receive_auto_email",
    "subscribe_to_marketing_emails",
    "receive_appointment_reminder",
    "service_related_channels",
    "marketing_campaigns_channels",
    "branded_app_enabled",
    "is_agreed_marketing_policy",
    "is_consented",
    "custom_fields",
    "deleted",
    "created_at",
    "updated_at",
];

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CustomerRow {
    pub id: i64,
    pub company_id: i64,
    pub preferred_business_id: Option<i64>,
    pub first_name: String,
    pub last_name: String,
    pub avatar_path: String,
    /// E.164.
    pub phone: String,
    pub email: String,
    /// v1Address JSON without its ID.
    pub address: Option<String>,
    pub status: String,
    pub color_code: String,
    pub source: String,
    pub receive_auto_message: i64,
    pub receive_auto_email: i64,
    pub subscribe_to_marketing_emails: i64,
    pub receive_appointment_reminder: i64,
    pub service_related_channels: String,
    pub marketing_campaigns_channels: String,
    pub branded_app_enabled: i64,
    pub is_agreed_marketing_policy: i64,
    pub is_consented: i64,
    pub custom_fields: Option<String>,
    pub deleted: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Customers belong to the company: a key restricted to some businesses reaches them all.
impl crate::access::Owned for CustomerRow {
    fn company_id(&self) -> i64 {
        self.company_id
    }

    fn business_id(&self) -> Option<i64> {
        None
    }
}

impl CustomerRow {
    pub fn is_deleted(&self) -> bool {
        self.deleted != 0
    }

    pub fn address(&self) -> Option<Address> {
        self.address
            .as_deref()
            .and_then(|text| serde_json::from_str(text).ok())
    }

    pub fn preference(&self) -> Preference {
        Preference {
            receive_auto_message: self.receive_auto_message != 0,
            receive_auto_email: self.receive_auto_email != 0,
            subscribe_to_marketing_emails: self.subscribe_to_marketing_emails != 0,
            receive_appointment_reminder: self.receive_appointment_reminder != 0,
        }
    }

    pub fn compliance(&self) -> ComplianceConfig {
        ComplianceConfig {
            service_related_channels: channels_from_json(&self.service_related_channels),
            marketing_campaigns_channels: channels_from_json(&self.marketing_campaigns_channels),
            branded_app_enabled: self.branded_app_enabled != 0,
            is_agreed_marketing_policy: self.is_agreed_marketing_policy != 0,
            is_consented: self.is_consented != 0,
        }
    }

    /// The fields a PUT may change, as a value to start a partial update from.
    pub fn to_new(&self) -> NewCustomer {
        NewCustomer {
            company_id: self.company_id,
            preferred_business_id: self.preferred_business_id,
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            avatar_path: self.avatar_path.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            address: self.address(),
            status: CustomerStatus::from_name(&self.status).unwrap_or(CustomerStatus::Active),
            color_code: self.color_code.clone(),
            source: self.source.clone(),
            preference: self.preference(),
            compliance: self.compliance(),
            custom_fields: self
                .custom_fields
                .as_deref()
                .and_then(|text| serde_json::from_str(text).ok()),
        }
    }
}

fn channels_from_json(text: &str) -> Vec<ComplianceChannel> {
    serde_json::from_str(text).unwrap_or_default()
}

fn channels_to_json(channels: &[ComplianceChannel]) -> String {
    serde_json::to_string(channels).unwrap_or_else(|_| "[]".into())
}

/// A customer's writable fields, already validated (phone in E.164, email checked).
#[derive(Debug, Clone)]
pub struct NewCustomer {
    pub company_id: i64,
    pub preferred_business_id: Option<i64>,
    pub first_name: String,
    pub last_name: String,
    pub avatar_path: String,
    pub phone: String,
    pub email: String,
    pub address: Option<Address>,
    pub status: CustomerStatus,
    pub color_code: String,
    pub source: String,
    pub preference: Preference,
    pub compliance: ComplianceConfig,
    pub custom_fields: Option<serde_json::Value>,
}

impl NewCustomer {
    /// A customer of `company_id` with the vendor's defaults for everything else.
    pub fn new(company_id: i64) -> Self {
        NewCustomer {
            company_id,
            preferred_business_id: None,
            first_name: String::new(),
            last_name: String::new(),
            avatar_path: String::new(),
            phone: String::new(),
            email: String::new(),
            address: None,
            status: CustomerStatus::Active,
            color_code: String::new(),
            source: String::new(),
            preference: Preference::default(),
            compliance: ComplianceConfig::default(),
            custom_fields: None,
        }
    }

    fn address_json(&self) -> Option<String> {
        self.address.as_ref().map(|address| {
            let stored = Address {
                id: String::new(),
                address_type: match address.address_type {
                    AddressType::TypeUnspecified => AddressType::Primary,
                    other => other,
                },
                ..address.clone()
            };
            serde_json::to_string(&stored).unwrap_or_default()
        })
    }
}

/// Binds a customer's writable fields, in column order from `preferred_business_id` to
/// `custom_fields` (20 parameters, `$1`..`$20`), to an INSERT or an UPDATE.
macro_rules! bind_fields {
    ($query:expr, $customer:expr) => {
        $query
            .bind($customer.preferred_business_id)
            .bind(&$customer.first_name)
            .bind(&$customer.last_name)
            .bind(&$customer.avatar_path)
            .bind(&$customer.phone)
            .bind(&$customer.email)
            .bind($customer.address_json())
            .bind($customer.status.name())
            .bind(&$customer.color_code)
            .bind(&$customer.source)
            .bind(i64::from($customer.preference.receive_auto_message))
            .bind(i64::from($customer.preference.receive_auto_email))
            .bind(i64::from(
                $customer.preference.subscribe_to_marketing_emails,
            ))
            .bind(i64::from($customer.preference.receive_appointment_reminder))
            .bind(channels_to_json(
                &$customer.compliance.service_related_channels,
            ))
            .bind(channels_to_json(
                &$customer.compliance.marketing_campaigns_channels,
            ))
            .bind(i64::from($customer.compliance.branded_app_enabled))
            .bind(i64::from($customer.compliance.is_agreed_marketing_policy))
            .bind(i64::from($customer.compliance.is_consented))
            .bind(
                $customer
                    .custom_fields
                    .as_ref()
                    .map(|value| value.to_string()),
            )
    };
}

const WRITABLE_COLUMNS: &str = "preferred_business_id, first_name, last_name, avatar_path, \
     phone, email, address, status, color_code, source, receive_auto_message, receive_auto_email, \
     subscribe_to_marketing_emails, receive_appointment_reminder, service_related_channels, \
     marketing_campaigns_channels, branded_app_enabled, is_agreed_marketing_policy, is_consented, \
     custom_fields";

/// Inserts a customer (no notes, tags or event: see `super::create_in`) and returns the stored
/// row, so that the event can be rendered without reading it back.
pub async fn insert(
    conn: &mut AnyConnection,
    customer: &NewCustomer,
) -> Result<CustomerRow, sqlx::Error> {
    let sql = format!(
        "INSERT INTO moego_customers ({WRITABLE_COLUMNS}, company_id, deleted, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
         $16, $17, $18, $19, $20, $21, 0, $22, $22) RETURNING {}",
        COLUMNS.join(", ")
    );
    bind_fields!(sqlx::query_as(&sql), customer)
        .bind(customer.company_id)
        .bind(now_micros())
        .fetch_one(conn)
        .await
}

/// Rows per statement in [`insert_many`]. Big enough to amortise a statement per row, small
/// enough for SQLite's binding by parameter name, which finds each name by a linear walk over
/// all of them (a 1,000-row statement spent 97% of the load there).
pub const INSERT_MANY_ROWS: usize = 100;

/// Inserts customers in one multi-row statement, each created and last updated at the instant
/// paired with it, without notes, tags or events: the bulk load of `moapi bench`, which
/// stands in for customers that existed before moapi. At most [`INSERT_MANY_ROWS`] at once.
pub async fn insert_many(
    conn: &mut AnyConnection,
    customers: &[(NewCustomer, i64)],
) -> Result<(), sqlx::Error> {
    if customers.is_empty() {
        return Ok(());
    }
    let rows: Vec<String> = (0..customers.len())
        .map(|row| {
            let first = row * 22;
            let fields: Vec<String> = (first + 1..=first + 21).map(|n| format!("${n}")).collect();
            let at = first + 22;
            format!("({}, 0, ${at}, ${at})", fields.join(", "))
        })
        .collect();
    let sql = format!(
        "INSERT INTO moego_customers ({WRITABLE_COLUMNS}, company_id, deleted, created_at, \
         updated_at) VALUES {}",
        rows.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for (customer, at) in customers {
        query = bind_fields!(query, customer)
            .bind(customer.company_id)
            .bind(*at);
    }
    query.execute(conn).await?;
    Ok(())
}

/// Replaces a customer's writable fields (the caller merged the PUT into the stored values)
/// and marks it updated.
pub async fn update(
    conn: &mut AnyConnection,
    id: i64,
    customer: &NewCustomer,
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "UPDATE moego_customers SET ({WRITABLE_COLUMNS}, updated_at) = ($1, $2, $3, $4, $5, $6, \
         $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) WHERE id = $22"
    );
    bind_fields!(sqlx::query(&sql), customer)
        .bind(now_micros())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks a customer changed (its notes or tags were), so `lastUpdatedTime` filters see it.
pub async fn touch(conn: &mut AnyConnection, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE moego_customers SET updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now_micros())
        .execute(conn)
        .await?;
    Ok(())
}

/// Soft-deletes a customer inside the caller's transaction; false when it does not exist or
/// was already deleted. Whatever else must follow the customer (its pets) runs in the same
/// transaction, after this.
pub async fn soft_delete(conn: &mut AnyConnection, id: i64) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE moego_customers SET deleted = 1, updated_at = $2 WHERE id = $1 AND deleted = 0",
    )
    .bind(id)
    .bind(now_micros())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// A customer row with when its last appointment started and its next one starts, read
/// together (see [`appointments::nearest_start_of_customer`]).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DatedCustomerRow {
    #[sqlx(flatten)]
    pub row: CustomerRow,
    pub last_appointment_at: Option<i64>,
    pub next_appointment_at: Option<i64>,
}

/// The [`DatedCustomerRow`] columns beside the customer's own: its appointment dates as of `now`.
fn select_appointment_dates(select: &mut SelectStatement, now: i64) {
    for (before, name) in [
        (true, "last_appointment_at"),
        (false, "next_appointment_at"),
    ] {
        let customer_id = (Alias::new(TABLE), Alias::new("id"));
        select.expr_as(
            appointments::nearest_start_of_customer(customer_id, before, now),
            Alias::new(name),
        );
    }
}

fn select_customers() -> SelectStatement {
    let mut select = Query::select();
    select
        .columns(COLUMNS.map(Alias::new))
        .from(Alias::new(TABLE));
    select
}

/// A customer by ID, deleted or not.
pub async fn find<'e>(
    executor: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<CustomerRow>, sqlx::Error> {
    let mut select = select_customers();
    select.and_where(Expr::col(Alias::new("id")).eq(id));
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_optional(executor).await
}

/// What `customers:list` selects, already validated.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub company_id: i64,
    /// Inclusive lower bound of `updated_at`, microseconds.
    pub updated_from: Option<i64>,
    /// Exclusive upper bound of `updated_at`, microseconds.
    pub updated_before: Option<i64>,
    /// E.164.
    pub phone: Option<String>,
    pub include_deleted: bool,
}

/// A company's customers by ID (a stable order a cursor can continue), one row beyond the page.
/// The page's IDs are chosen first from an index alone (every filtered column is in one), and
/// only those rows are read whole: a `lastUpdatedTime` window holding thousands of customers
/// sorts their IDs, not their rows.
pub async fn list<'e>(
    executor: impl Executor<'e, Database = Any>,
    query: &ListQuery,
    page: &CursorPage,
) -> Result<Vec<DatedCustomerRow>, sqlx::Error> {
    let mut page_ids = Query::select();
    page_ids
        .column(Alias::new("id"))
        .from(Alias::new(TABLE))
        .and_where(Expr::col(Alias::new("company_id")).eq(query.company_id))
        .order_by(Alias::new("id"), Order::Asc);
    page.restrict(&mut page_ids, "id");
    if let Some(from) = query.updated_from {
        page_ids.and_where(Expr::col(Alias::new("updated_at")).gte(from));
    }
    if let Some(before) = query.updated_before {
        page_ids.and_where(Expr::col(Alias::new("updated_at")).lt(before));
    }
    if let Some(phone) = &query.phone {
        page_ids.and_where(Expr::col(Alias::new("phone")).eq(phone.as_str()));
    }
    if !query.include_deleted {
        page_ids.and_where(Expr::col(Alias::new("deleted")).eq(0));
    }
    let mut select = select_customers();
    select_appointment_dates(&mut select, now_micros());
    select
        .and_where(Expr::col(Alias::new("id")).in_subquery(page_ids))
        .order_by(Alias::new("id"), Order::Asc);
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_all(executor).await
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct NoteRow {
    pub id: i64,
    pub customer_id: i64,
    pub note: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl NoteRow {
    pub fn to_wire(&self, ids: &IdCodec) -> CustomerNote {
        CustomerNote {
            id: ids.encode(IdKind::CustomerNote, self.id),
            note: self.note.clone(),
            last_updated_by: String::new(),
            last_updated_time: Some(protojson_timestamp(self.updated_at)),
        }
    }
}

const NOTE_COLUMNS: &str = "id, customer_id, note, created_at, updated_at";

pub async fn insert_note(
    conn: &mut AnyConnection,
    customer_id: i64,
    note: &str,
) -> Result<NoteRow, sqlx::Error> {
    let now = now_micros();
    sqlx::query_as(&format!(
        "INSERT INTO moego_customer_notes (customer_id, note, created_at, updated_at) \
         VALUES ($1, $2, $3, $3) RETURNING {NOTE_COLUMNS}"
    ))
    .bind(customer_id)
    .bind(note)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn find_note<'e>(
    executor: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<NoteRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {NOTE_COLUMNS} FROM moego_customer_notes WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await
}

pub async fn update_note(
    conn: &mut AnyConnection,
    id: i64,
    note: &str,
) -> Result<Option<NoteRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "UPDATE moego_customer_notes SET note = $2, updated_at = $3 WHERE id = $1 \
         RETURNING {NOTE_COLUMNS}"
    ))
    .bind(id)
    .bind(note)
    .bind(now_micros())
    .fetch_optional(conn)
    .await
}

pub async fn delete_note(conn: &mut AnyConnection, id: i64) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("DELETE FROM moego_customer_notes WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// A customer's notes, newest first, one row beyond the page.
pub async fn list_notes<'e>(
    executor: impl Executor<'e, Database = Any>,
    customer_id: i64,
    page: Page,
) -> Result<Vec<NoteRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {NOTE_COLUMNS} FROM moego_customer_notes WHERE customer_id = $1 \
         ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(customer_id)
    .bind(page.fetch_limit())
    .bind(page.offset())
    .fetch_all(executor)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TagRow {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub updated_at: i64,
}

impl TagRow {
    pub fn to_wire(&self, ids: &IdCodec) -> CustomerTag {
        CustomerTag {
            id: ids.encode(IdKind::CustomerTag, self.id),
            name: self.name.clone(),
            last_updated_by: String::new(),
            last_updated_time: Some(protojson_timestamp(self.updated_at)),
        }
    }
}

pub async fn find_tag<'e>(
    executor: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<TagRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, company_id, name, updated_at FROM moego_customer_tags WHERE id = $1")
        .bind(id)
        .fetch_optional(executor)
        .await
}

/// The company's tag of that name, created on first use.
pub async fn ensure_tag(
    conn: &mut AnyConnection,
    company_id: i64,
    name: &str,
) -> Result<TagRow, sqlx::Error> {
    let now = now_micros();
    sqlx::query(
        "INSERT INTO moego_customer_tags (company_id, name, created_at, updated_at) \
         VALUES ($1, $2, $3, $3) ON CONFLICT (company_id, name) DO NOTHING",
    )
    .bind(company_id)
    .bind(name)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query_as(
        "SELECT id, company_id, name, updated_at FROM moego_customer_tags \
         WHERE company_id = $1 AND name = $2",
    )
    .bind(company_id)
    .bind(name)
    .fetch_one(conn)
    .await
}

/// Puts a tag on a customer; already carrying it is fine.
pub async fn link_tag(
    conn: &mut AnyConnection,
    customer_id: i64,
    tag_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO moego_customer_tag_links (customer_id, tag_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (customer_id, tag_id) DO NOTHING",
    )
    .bind(customer_id)
    .bind(tag_id)
    .bind(now_micros())
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes every tag from a customer (an update that replaces the set).
pub async fn unlink_all_tags(
    conn: &mut AnyConnection,
    customer_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM moego_customer_tag_links WHERE customer_id = $1")
        .bind(customer_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A customer with the notes and tags its wire form carries, and when its last appointment
/// started and its next one starts.
#[derive(Debug, Clone)]
pub struct CustomerRecord {
    pub row: CustomerRow,
    pub notes: Vec<NoteRow>,
    pub tags: Vec<TagRow>,
    pub last_appointment_at: Option<i64>,
    pub next_appointment_at: Option<i64>,
}

impl CustomerRecord {
    /// The wire form; `upcoming_appointments_url` is the signed page link for this customer.
    pub fn to_wire(&self, ids: &IdCodec, upcoming_appointments_url: String) -> Customer {
        let row = &self.row;
        let compliance = row.compliance();
        Customer {
            id: ids.encode(IdKind::Customer, row.id),
            raw_id: row.id,
            first_name: row.first_name.clone(),
            last_name: row.last_name.clone(),
            avatar: row.avatar_path.clone(),
            phone: row.phone.clone(),
            email: row.email.clone(),
            address: row
                .address()
                .map(|address| Address {
                    id: ids.encode(IdKind::Address, row.id),
                    ..address
                })
                .into_iter()
                .collect(),
            status: CustomerStatus::from_name(&row.status),
            color_code: row.color_code.clone(),
            source: row.source.clone(),
            last_appointment_date: self.last_appointment_at.map(protojson_timestamp),
            next_appointment_date: self.next_appointment_at.map(protojson_timestamp),
            created_by: String::new(),
            created_time: Some(protojson_timestamp(row.created_at)),
            last_updated_by: String::new(),
            last_updated_time: Some(protojson_timestamp(row.updated_at)),
            preferred_business_id: row
                .preferred_business_id
                .map(|id| ids.encode(IdKind::Business, id))
                .unwrap_or_default(),
            company_id: ids.encode(IdKind::Company, row.company_id),
            notes: self.notes.iter().map(|note| note.to_wire(ids)).collect(),
            tags: self.tags.iter().map(|tag| tag.to_wire(ids)).collect(),
            referral_source: None,
            preference: Some(row.preference()),
            upcoming_appointments_url,
            deleted: row.is_deleted(),
            compliance_config: (compliance != ComplianceConfig::default()).then_some(compliance),
            custom_fields: row
                .custom_fields
                .as_deref()
                .and_then(|text| serde_json::from_str(text).ok()),
        }
    }
}

/// A customer by ID, deleted or not, with its appointment dates (read with its row), notes
/// (newest first) and tags (by name): three queries.
pub async fn load(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<CustomerRecord>, sqlx::Error> {
    let mut select = select_customers();
    select.and_where(Expr::col(Alias::new("id")).eq(id));
    select_appointment_dates(&mut select, now_micros());
    let (sql, values) = build(&select);
    let dated: Option<DatedCustomerRow> = query_as_with(&sql, values)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(with_notes_and_tags(conn, dated.into_iter().collect())
        .await?
        .pop())
}

/// Loads the notes (newest first) and tags (by name) of a page of customers in one statement.
pub async fn with_notes_and_tags(
    conn: &mut AnyConnection,
    rows: Vec<DatedCustomerRow>,
) -> Result<Vec<CustomerRecord>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let customer_ids: Vec<i64> = rows.iter().map(|dated| dated.row.id).collect();
    let mut notes_select = Query::select();
    notes_select
        .columns(["id", "customer_id", "note", "created_at", "updated_at"].map(Alias::new))
        .from(Alias::new("moego_customer_notes"))
        .and_where(Expr::col(Alias::new("customer_id")).is_in(customer_ids.clone()));

    let (links, tags) = (Alias::new("l"), Alias::new("t"));
    let mut tags_select = Query::select();
    tags_select
        .expr_as(
            Expr::col((links.clone(), Alias::new("customer_id"))),
            Alias::new("customer_id"),
        )
        .columns(["id", "company_id", "name", "updated_at"].map(|c| (tags.clone(), Alias::new(c))))
        .from_as(Alias::new("moego_customer_tag_links"), links.clone())
        .inner_join(
            sea_query::TableRef::TableAlias(
                sea_query::SeaRc::new(Alias::new("moego_customer_tags")),
                sea_query::SeaRc::new(tags.clone()),
            ),
            Expr::col((tags, Alias::new("id"))).equals((links.clone(), Alias::new("tag_id"))),
        )
        .and_where(Expr::col((links, Alias::new("customer_id"))).is_in(customer_ids));
    let (notes, tag_links): (Vec<NoteRow>, Vec<LinkedTag>) = db::fetch_all_json_pair(
        conn,
        (
            &notes_select,
            &[("created_at", Order::Desc), ("id", Order::Desc)],
        ),
        (&tags_select, &[("name", Order::Asc), ("id", Order::Asc)]),
    )
    .await?;

    Ok(rows
        .into_iter()
        .map(|dated| {
            let row = dated.row;
            CustomerRecord {
                notes: notes
                    .iter()
                    .filter(|note| note.customer_id == row.id)
                    .cloned()
                    .collect(),
                tags: tag_links
                    .iter()
                    .filter(|link| link.customer_id == row.id)
                    .map(|link| TagRow {
                        id: link.id,
                        company_id: link.company_id,
                        name: link.name.clone(),
                        updated_at: link.updated_at,
                    })
                    .collect(),
                last_appointment_at: dated.last_appointment_at,
                next_appointment_at: dated.next_appointment_at,
                row,
            }
        })
        .collect())
}

#[derive(serde::Deserialize)]
struct LinkedTag {
    customer_id: i64,
    id: i64,
    company_id: i64,
    name: String,
    updated_at: i64,
}

/// A card saved through the card-on-file page.
pub struct NewCard<'a> {
    pub customer_id: i64,
    pub brand: &'a str,
    pub last4: &'a str,
    pub exp_month: i64,
    pub exp_year: i64,
}

pub async fn insert_card<'e>(
    executor: impl Executor<'e, Database = Any>,
    card: &NewCard<'_>,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_customer_cards (customer_id, brand, last4, exp_month, exp_year, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(card.customer_id)
    .bind(card.brand)
    .bind(card.last4)
    .bind(card.exp_month)
    .bind(card.exp_year)
    .bind(now_micros())
    .fetch_one(executor)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CardRow {
    pub id: i64,
    pub brand: String,
    pub last4: String,
    pub exp_month: i64,
    pub exp_year: i64,
}

pub async fn list_cards<'e>(
    executor: impl Executor<'e, Database = Any>,
    customer_id: i64,
) -> Result<Vec<CardRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, brand, last4, exp_month, exp_year FROM moego_customer_cards \
         WHERE customer_id = $1 ORDER BY id",
    )
    .bind(customer_id)
    .fetch_all(executor)
    .await
}
