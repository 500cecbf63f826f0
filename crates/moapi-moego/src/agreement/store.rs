//! Agreements, the businesses each applies to, and the records their sign links create, in SQL.

use moapi_core::db::{build, query_as_with};
use moapi_core::pagination::Page;
use moapi_core::time::protojson_timestamp;
use moapi_core::{IdCodec, IdKind};
use sea_query::{Alias, Cond, Expr, Order, Query};
use sqlx::AnyConnection;

use super::input::AgreementValues;
use super::wire::{Agreement, AgreementStatus, SignedPolicy};
use crate::access::Owned;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AgreementRow {
    pub id: i64,
    pub company_id: i64,
    pub creator_staff_id: Option<i64>,
    pub status: String,
    pub signed_policy: String,
    pub title: String,
    pub content: String,
    pub sms_template: String,
    pub email_template_title: String,
    pub email_template_body: String,
    pub last_required_at: i64,
    pub last_edit_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Agreements are the company's documents: every key of the company reads them, and a sign
/// link is checked against the business it names.
impl Owned for AgreementRow {
    fn company_id(&self) -> i64 {
        self.company_id
    }

    fn business_id(&self) -> Option<i64> {
        None
    }
}

impl AgreementRow {
    pub fn is_live(&self) -> bool {
        self.status == AgreementStatus::Normal.name()
    }

    pub fn policy(&self) -> SignedPolicy {
        SignedPolicy::from_name(&self.signed_policy)
    }

    /// The wire form; `businesses` are the agreement's, in the order given (none: all).
    pub fn to_wire(&self, ids: &IdCodec, businesses: &[i64]) -> Agreement {
        Agreement {
            id: ids.encode(IdKind::Agreement, self.id),
            business_id: businesses
                .first()
                .map(|id| ids.encode(IdKind::Business, *id))
                .unwrap_or_default(),
            creator_id: self
                .creator_staff_id
                .map(|id| ids.encode(IdKind::Staff, id))
                .unwrap_or_default(),
            status: AgreementStatus::from_name(&self.status),
            signed_policy: self.policy(),
            title: self.title.clone(),
            content: self.content.clone(),
            sms_template: self.sms_template.clone(),
            email_template_title: self.email_template_title.clone(),
            email_template_body: self.email_template_body.clone(),
            last_required_time: protojson_timestamp(self.last_required_at),
            last_edit_time: protojson_timestamp(self.last_edit_at),
            created_time: protojson_timestamp(self.created_at),
            last_updated_time: protojson_timestamp(self.updated_at),
        }
    }
}

const COLUMNS: [&str; 14] = [
    "id",
    "company_id",
    "creator_staff_id",
    "status",
    "signed_policy",
    "title",
    "content",
    "sms_template",
    "email_template_title",
    "email_template_body",
    "last_required_at",
    "last_edit_at",
    "created_at",
    "updated_at",
];

fn agreements() -> Alias {
    Alias::new("moego_agreements")
}

fn agreement_businesses() -> Alias {
    Alias::new("moego_agreement_businesses")
}

pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<AgreementRow>, sqlx::Error> {
    let select = Query::select()
        .columns(COLUMNS.map(Alias::new))
        .from(agreements())
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .to_owned();
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_optional(conn).await
}

/// A page of a company's live agreements, oldest first; with `business_ids`, those that apply
/// to one of them (an agreement naming no business applies to all).
pub async fn list(
    conn: &mut AnyConnection,
    company_id: i64,
    business_ids: Option<&[i64]>,
    page: Page,
) -> Result<Vec<AgreementRow>, sqlx::Error> {
    let mut select = Query::select()
        .columns(COLUMNS.map(|column| (agreements(), Alias::new(column))))
        .from(agreements())
        .and_where(Expr::col((agreements(), Alias::new("company_id"))).eq(company_id))
        .and_where(
            Expr::col((agreements(), Alias::new("status"))).eq(AgreementStatus::Normal.name()),
        )
        .order_by((agreements(), Alias::new("created_at")), Order::Asc)
        .order_by((agreements(), Alias::new("id")), Order::Asc)
        .limit(u64::try_from(page.fetch_limit()).unwrap_or(0))
        .offset(u64::try_from(page.offset()).unwrap_or(0))
        .to_owned();
    if let Some(business_ids) = business_ids {
        let of_agreement = |extra: Option<&[i64]>| {
            let mut exists = Query::select()
                .expr(Expr::val(1))
                .from(agreement_businesses())
                .and_where(
                    Expr::col((agreement_businesses(), Alias::new("agreement_id")))
                        .equals((agreements(), Alias::new("id"))),
                )
                .to_owned();
            if let Some(ids) = extra {
                exists.and_where(
                    Expr::col((agreement_businesses(), Alias::new("business_id")))
                        .is_in(ids.iter().copied()),
                );
            }
            exists
        };
        select.cond_where(
            Cond::any()
                .add(Expr::exists(of_agreement(None)).not())
                .add(Expr::exists(of_agreement(Some(business_ids)))),
        );
    }
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_all(conn).await
}

/// The businesses of each of `agreement_ids` as (agreement, business), in the order given.
pub async fn businesses_of(
    conn: &mut AnyConnection,
    agreement_ids: &[i64],
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    if agreement_ids.is_empty() {
        return Ok(Vec::new());
    }
    let select = Query::select()
        .columns(["agreement_id", "business_id"].map(Alias::new))
        .from(agreement_businesses())
        .and_where(Expr::col(Alias::new("agreement_id")).is_in(agreement_ids.iter().copied()))
        .order_by(Alias::new("agreement_id"), Order::Asc)
        .order_by(Alias::new("position"), Order::Asc)
        .to_owned();
    let (sql, values) = build(&select);
    query_as_with(&sql, values).fetch_all(conn).await
}

/// The businesses of one agreement among the pairs [`businesses_of`] answered.
pub fn of_agreement(pairs: &[(i64, i64)], agreement_id: i64) -> Vec<i64> {
    pairs
        .iter()
        .filter(|(agreement, _)| *agreement == agreement_id)
        .map(|(_, business)| *business)
        .collect()
}

async fn replace_businesses(
    conn: &mut AnyConnection,
    agreement_id: i64,
    business_ids: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM moego_agreement_businesses WHERE agreement_id = $1")
        .bind(agreement_id)
        .execute(&mut *conn)
        .await?;
    for (position, business_id) in business_ids.iter().enumerate() {
        sqlx::query(
            "INSERT INTO moego_agreement_businesses (agreement_id, business_id, position) \
             VALUES ($1, $2, $3)",
        )
        .bind(agreement_id)
        .bind(*business_id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Creates an agreement at `at`: it was last edited and last required then.
pub async fn insert(
    conn: &mut AnyConnection,
    company_id: i64,
    creator_staff_id: Option<i64>,
    values: &AgreementValues,
    at: i64,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_agreements (company_id, creator_staff_id, signed_policy, title, \
         content, sms_template, email_template_title, email_template_body, last_required_at, \
         last_edit_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $9, $9) RETURNING id",
    )
    .bind(company_id)
    .bind(creator_staff_id)
    .bind(values.signed_policy.name())
    .bind(&values.title)
    .bind(&values.content)
    .bind(&values.sms_template)
    .bind(&values.email_template_title)
    .bind(&values.email_template_body)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    replace_businesses(conn, id, &values.business_ids).await?;
    Ok(id)
}

/// Replaces a live agreement's values at `at`. A changed title or content moves its last edit
/// time; `require_again` moves its last required time, so earlier signatures no longer count.
/// False when there is no such live agreement.
pub async fn update(
    conn: &mut AnyConnection,
    current: &AgreementRow,
    values: &AgreementValues,
    require_again: bool,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let edited = current.title != values.title || current.content != values.content;
    let last_edit_at = if edited { at } else { current.last_edit_at };
    let last_required_at = if require_again {
        at
    } else {
        current.last_required_at
    };
    let changed = sqlx::query(
        "UPDATE moego_agreements SET signed_policy = $2, title = $3, content = $4, \
         sms_template = $5, email_template_title = $6, email_template_body = $7, \
         last_edit_at = $8, last_required_at = $9, updated_at = $10 \
         WHERE id = $1 AND status = 'NORMAL'",
    )
    .bind(current.id)
    .bind(values.signed_policy.name())
    .bind(&values.title)
    .bind(&values.content)
    .bind(&values.sms_template)
    .bind(&values.email_template_title)
    .bind(&values.email_template_body)
    .bind(last_edit_at)
    .bind(last_required_at)
    .bind(at)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if changed {
        replace_businesses(conn, current.id, &values.business_ids).await?;
    }
    Ok(changed)
}

/// Marks a live agreement DELETED: it leaves the list and takes no new signatures; its records
/// stay. False when there is no such live agreement.
pub async fn delete(conn: &mut AnyConnection, id: i64, at: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE moego_agreements SET status = 'DELETED', updated_at = $2 \
         WHERE id = $1 AND status = 'NORMAL'",
    )
    .bind(id)
    .bind(at)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecordRow {
    pub id: i64,
    pub agreement_id: i64,
    pub company_id: i64,
    pub business_id: i64,
    pub customer_id: i64,
    pub signed_status: String,
    pub title: String,
    pub content: String,
    pub signature: String,
    pub signed_at: Option<i64>,
    pub created_at: i64,
}

impl RecordRow {
    pub fn is_signed(&self) -> bool {
        self.signed_status == SIGNED
    }
}

const SIGNED: &str = "SIGNED";

const RECORD_COLUMNS: &str = "id, agreement_id, company_id, business_id, customer_id, \
    signed_status, title, content, signature, signed_at, created_at";

pub async fn find_record(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<RecordRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {RECORD_COLUMNS} FROM moego_agreement_records WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The customer's latest record of the agreement at the business, if any.
pub async fn latest_record(
    conn: &mut AnyConnection,
    agreement_id: i64,
    customer_id: i64,
    business_id: i64,
) -> Result<Option<RecordRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {RECORD_COLUMNS} FROM moego_agreement_records \
         WHERE agreement_id = $1 AND customer_id = $2 AND business_id = $3 \
         ORDER BY id DESC LIMIT 1"
    ))
    .bind(agreement_id)
    .bind(customer_id)
    .bind(business_id)
    .fetch_optional(conn)
    .await
}

/// The records of an agreement, newest first (for operators).
pub async fn records_of(
    conn: &mut AnyConnection,
    agreement_id: i64,
) -> Result<Vec<RecordRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {RECORD_COLUMNS} FROM moego_agreement_records WHERE agreement_id = $1 \
         ORDER BY id DESC"
    ))
    .bind(agreement_id)
    .fetch_all(conn)
    .await
}

/// A new UNSIGNED record of what the agreement says now, for a customer at a business.
pub async fn insert_record(
    conn: &mut AnyConnection,
    agreement: &AgreementRow,
    business_id: i64,
    customer_id: i64,
    at: i64,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO moego_agreement_records (agreement_id, company_id, business_id, \
         customer_id, title, content, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(agreement.id)
    .bind(agreement.company_id)
    .bind(business_id)
    .bind(customer_id)
    .bind(&agreement.title)
    .bind(&agreement.content)
    .bind(at)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Signs an UNSIGNED record with the typed name at `at`; false when it was already signed, so
/// two submissions sign once.
pub async fn sign(
    conn: &mut AnyConnection,
    record_id: i64,
    name: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE moego_agreement_records SET signed_status = 'SIGNED', signature = $2, \
         signed_at = $3, updated_at = $3 WHERE id = $1 AND signed_status = 'UNSIGNED'",
    )
    .bind(record_id)
    .bind(name)
    .bind(at)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}
