//! Discount codes in SQL: one row per code, its limits as columns, and one redemption row per
//! order it was applied to.

use moapi_core::pagination::Page;
use moapi_core::time::protojson_timestamp;
use moapi_core::{IdCodec, IdKind, Status};
use sqlx::AnyConnection;

use super::wire::{Discount, DiscountLimitation, DiscountSettings, DiscountStatus};
use crate::money::Amount;
use crate::wire::Interval;

/// A code's value: a fixed amount, or a whole percentage (1-100).
#[derive(Debug, Clone, Copy)]
pub enum CodeValue {
    Amount(Amount),
    Percentage(i64),
}

/// What a code is, as created.
#[derive(Debug, Clone)]
pub struct CodeValues {
    pub code: String,
    pub description: String,
    pub value: CodeValue,
    pub valid_from: Option<i64>,
    pub valid_until: Option<i64>,
    pub expires_at: Option<i64>,
    /// 0: unlimited.
    pub max_redeem_times: i64,
    pub business_ids: Vec<i64>,
    pub customer_ids: Vec<i64>,
    pub redeem_once_per_customer: bool,
    pub auto_apply: bool,
    pub allow_online_booking: bool,
    /// The stored status: ACTIVE, INACTIVE or ARCHIVED.
    pub status: DiscountStatus,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CodeRow {
    pub id: i64,
    pub company_id: i64,
    pub code: String,
    pub description: String,
    pub amount: Option<String>,
    pub currency_code: Option<String>,
    pub percentage: Option<i64>,
    pub valid_from: Option<i64>,
    pub valid_until: Option<i64>,
    pub expires_at: Option<i64>,
    pub max_redeem_times: i64,
    pub business_ids: String,
    pub customer_ids: String,
    pub redeem_once_per_customer: i64,
    pub auto_apply: i64,
    pub allow_online_booking: i64,
    pub status: String,
    pub redeemed_times: i64,
}

const COLUMNS: &str = "id, company_id, code, description, amount, currency_code, percentage, \
     valid_from, valid_until, expires_at, max_redeem_times, business_ids, customer_ids, \
     redeem_once_per_customer, auto_apply, allow_online_booking, status, redeemed_times";

fn damaged(row: &CodeRow) -> Status {
    Status::internal(format!("discount code {} is damaged", row.id))
}

impl CodeRow {
    pub fn value(&self) -> Result<CodeValue, Status> {
        match (&self.amount, &self.currency_code, self.percentage) {
            (Some(amount), Some(currency), None) => Amount::from_stored(currency, amount)
                .map(CodeValue::Amount)
                .ok_or_else(|| damaged(self)),
            (None, None, Some(percentage)) => Ok(CodeValue::Percentage(percentage)),
            _ => Err(damaged(self)),
        }
    }

    pub fn business_ids(&self) -> Result<Vec<i64>, Status> {
        serde_json::from_str(&self.business_ids).map_err(|_| damaged(self))
    }

    pub fn customer_ids(&self) -> Result<Vec<i64>, Status> {
        serde_json::from_str(&self.customer_ids).map_err(|_| damaged(self))
    }

    /// The status a reader sees at `now`: an archived code stays ARCHIVED; any other is
    /// EXPIRED once past its expiry time or the end of its valid period.
    pub fn status_at(&self, now: i64) -> DiscountStatus {
        let stored = DiscountStatus::from_name(&self.status);
        let ended = [self.expires_at, self.valid_until]
            .into_iter()
            .flatten()
            .any(|end| now >= end);
        match stored {
            DiscountStatus::Archived => stored,
            _ if ended => DiscountStatus::Expired,
            _ => stored,
        }
    }

    pub fn to_wire(&self, ids: &IdCodec, now: i64) -> Result<Discount, Status> {
        let (amount, percentage) = match self.value()? {
            CodeValue::Amount(amount) => (Some(amount.to_wire()), None),
            CodeValue::Percentage(percentage) => (None, Some(percentage as i32)),
        };
        let encode = |kind, raw: Vec<i64>| -> Vec<String> {
            raw.into_iter().map(|id| ids.encode(kind, id)).collect()
        };
        let valid_period = (self.valid_from.is_some() || self.valid_until.is_some())
            .then(|| Interval::from_micros(self.valid_from, self.valid_until));
        Ok(Discount {
            code: self.code.clone(),
            description: self.description.clone(),
            amount,
            percentage,
            valid_period,
            limitation: Some(DiscountLimitation {
                max_redeem_times: (self.max_redeem_times > 0)
                    .then_some(self.max_redeem_times as i32),
                business_ids: encode(IdKind::Business, self.business_ids()?),
                redeem_once_per_customer: self.redeem_once_per_customer != 0,
                customer_ids: encode(IdKind::Customer, self.customer_ids()?),
            }),
            settings: Some(DiscountSettings {
                auto_apply_on_eligible_appointment: self.auto_apply != 0,
                allow_for_online_booking: self.allow_online_booking != 0,
            }),
            expiry_time: self.expires_at.map(protojson_timestamp),
            status: self.status_at(now),
        })
    }
}

fn json_ids(ids: &[i64]) -> String {
    serde_json::to_string(ids).expect("a list of integers is JSON")
}

/// Inserts a code of a company at `now`; `None` when the company already has that code.
pub async fn insert(
    conn: &mut AnyConnection,
    company_id: i64,
    values: &CodeValues,
    now: i64,
) -> Result<Option<CodeRow>, Status> {
    let (amount, currency, percentage) = match values.value {
        CodeValue::Amount(amount) => (
            Some(amount.stored()),
            Some(amount.currency.as_str().to_string()),
            None,
        ),
        CodeValue::Percentage(percentage) => (None, None, Some(percentage)),
    };
    let row: Option<CodeRow> = sqlx::query_as(&format!(
        "INSERT INTO moego_discount_codes (company_id, code, description, amount, \
         currency_code, percentage, valid_from, valid_until, expires_at, max_redeem_times, \
         business_ids, customer_ids, redeem_once_per_customer, auto_apply, \
         allow_online_booking, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) \
         ON CONFLICT (company_id, code) DO NOTHING RETURNING {COLUMNS}"
    ))
    .bind(company_id)
    .bind(&values.code)
    .bind(&values.description)
    .bind(amount)
    .bind(currency)
    .bind(percentage)
    .bind(values.valid_from)
    .bind(values.valid_until)
    .bind(values.expires_at)
    .bind(values.max_redeem_times)
    .bind(json_ids(&values.business_ids))
    .bind(json_ids(&values.customer_ids))
    .bind(i64::from(values.redeem_once_per_customer))
    .bind(i64::from(values.auto_apply))
    .bind(i64::from(values.allow_online_booking))
    .bind(values.status.name())
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row)
}

/// A live (not deleted) code of a company by its text.
pub async fn find_by_code(
    conn: &mut AnyConnection,
    company_id: i64,
    code: &str,
) -> Result<Option<CodeRow>, Status> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM moego_discount_codes \
         WHERE company_id = $1 AND code = $2 AND deleted = 0"
    ))
    .bind(company_id)
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?)
}

/// A live code by its raw ID.
pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<CodeRow>, Status> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM moego_discount_codes WHERE id = $1 AND deleted = 0"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// A page of a company's live codes, oldest first (one row more, see `Page::finish`).
pub async fn list(
    conn: &mut AnyConnection,
    company_id: i64,
    page: Page,
) -> Result<Vec<CodeRow>, Status> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM moego_discount_codes WHERE company_id = $1 AND deleted = 0 \
         ORDER BY id LIMIT $2 OFFSET $3"
    ))
    .bind(company_id)
    .bind(page.fetch_limit())
    .bind(page.offset())
    .fetch_all(&mut *conn)
    .await?)
}

/// The company's live codes that apply themselves to new appointments, oldest first.
pub async fn auto_applied(
    conn: &mut AnyConnection,
    company_id: i64,
) -> Result<Vec<CodeRow>, Status> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM moego_discount_codes \
         WHERE company_id = $1 AND auto_apply = 1 AND deleted = 0 AND status = 'ACTIVE' \
         ORDER BY id"
    ))
    .bind(company_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Sets a code's stored status (ACTIVE, INACTIVE, ARCHIVED) or deletes it; false when the
/// company has no such live code.
pub async fn set_status(
    conn: &mut AnyConnection,
    company_id: i64,
    code: &str,
    status: Option<DiscountStatus>,
    now: i64,
) -> Result<bool, Status> {
    let changed = sqlx::query(
        "UPDATE moego_discount_codes SET status = $3, deleted = $4, updated_at = $5 \
         WHERE company_id = $1 AND code = $2 AND deleted = 0",
    )
    .bind(company_id)
    .bind(code)
    .bind(status.unwrap_or(DiscountStatus::Archived).name())
    .bind(i64::from(status.is_none()))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(changed.rows_affected() > 0)
}

/// Counts one redemption under the code's limit: false when it is used up. The update is a
/// write on the code's row, so concurrent redeemers take turns and each sees the count the
/// previous one committed (PostgreSQL re-checks the condition after the row lock; SQLite has
/// one writer).
pub async fn count_redemption(conn: &mut AnyConnection, id: i64, now: i64) -> Result<bool, Status> {
    let counted = sqlx::query(
        "UPDATE moego_discount_codes SET redeemed_times = redeemed_times + 1, updated_at = $2 \
         WHERE id = $1 AND (max_redeem_times = 0 OR redeemed_times < max_redeem_times)",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(counted.rows_affected() > 0)
}

/// Whether the customer has redeemed the code, or the order already carries it.
pub async fn redeemed_by(
    conn: &mut AnyConnection,
    id: i64,
    customer_id: i64,
    order_id: i64,
) -> Result<(bool, bool), Status> {
    let (by_customer, on_order): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN customer_id = $2 THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN order_id = $3 THEN 1 ELSE 0 END), 0) \
         FROM moego_discount_redemptions WHERE discount_code_id = $1",
    )
    .bind(id)
    .bind(customer_id)
    .bind(order_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok((by_customer > 0, on_order > 0))
}

pub struct NewRedemption {
    pub code_id: i64,
    pub order_id: i64,
    pub order_discount_id: i64,
    pub customer_id: i64,
    pub once_per_customer: bool,
}

pub async fn insert_redemption(
    conn: &mut AnyConnection,
    redemption: &NewRedemption,
    now: i64,
) -> Result<(), Status> {
    sqlx::query(
        "INSERT INTO moego_discount_redemptions (discount_code_id, order_id, \
         order_discount_id, customer_id, once_customer_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(redemption.code_id)
    .bind(redemption.order_id)
    .bind(redemption.order_discount_id)
    .bind(redemption.customer_id)
    .bind(
        redemption
            .once_per_customer
            .then_some(redemption.customer_id),
    )
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
