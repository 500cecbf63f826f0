//! Validation of a discount as `CreateDiscount` (and operators) give it.

use moapi_core::auth::{CompanyOwner, MoegoPrincipal};
use moapi_core::{AppState, IdKind, Status};
use sqlx::AnyConnection;

use super::store::{CodeValue, CodeValues};
use super::wire::{Discount, DiscountStatus};
use crate::access;
use crate::money::Amount;
use crate::wire::decode_unique;

/// Longest code: the vendor names none; codes are typed by customers.
const MAX_CODE_CHARS: usize = 64;
const MAX_DESCRIPTION_CHARS: usize = 1000;

fn invalid(message: String) -> Status {
    Status::invalid_argument(message)
}

/// A code: 1 to 64 ASCII letters and digits, case-sensitive (the vendor's "alphanumeric").
pub fn code(field: &str, text: &str) -> Result<String, Status> {
    let code = text.trim();
    if code.is_empty() {
        return Err(invalid(format!("{field}: value is required")));
    }
    if code.len() > MAX_CODE_CHARS || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(invalid(format!(
            "{field}: {code:?} must be 1 to {MAX_CODE_CHARS} letters and digits"
        )));
    }
    Ok(code.to_string())
}

fn value(discount: &Discount) -> Result<CodeValue, Status> {
    match (&discount.amount, discount.percentage) {
        (Some(_), Some(_)) => Err(invalid(
            "discount: give either amount or percentage, not both".to_string(),
        )),
        (None, None) => Err(invalid(
            "discount: one of amount and percentage is required".to_string(),
        )),
        (Some(money), None) => {
            let amount = Amount::from_wire("discount.amount", money)?;
            if amount.value <= rust_decimal::Decimal::ZERO {
                return Err(invalid(
                    "discount.amount: must be greater than zero".to_string(),
                ));
            }
            if amount.rounded() != amount {
                return Err(invalid(format!(
                    "discount.amount: {} has more decimals than {} allows",
                    amount.stored(),
                    amount.currency.as_str()
                )));
            }
            Ok(CodeValue::Amount(amount))
        }
        (None, Some(percentage)) if (1..=100).contains(&percentage) => {
            Ok(CodeValue::Percentage(i64::from(percentage)))
        }
        (None, Some(percentage)) => Err(invalid(format!(
            "discount.percentage: must be between 1 and 100, got {percentage}"
        ))),
    }
}

/// The discount of a create request as stored values, checked against the company:
/// businesses must be the company's (and, for a key restricted to some, ones it reaches),
/// customers the company's live ones. `principal` is `None` for operators.
pub async fn checked(
    state: &AppState,
    conn: &mut AnyConnection,
    principal: Option<&MoegoPrincipal>,
    owner: CompanyOwner,
    discount: &Discount,
) -> Result<CodeValues, Status> {
    let code = code("discount.code", &discount.code)?;
    let description = discount.description.trim().to_string();
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(invalid(format!(
            "discount.description: at most {MAX_DESCRIPTION_CHARS} characters"
        )));
    }
    let value = value(discount)?;
    let (valid_from, valid_until) = match &discount.valid_period {
        Some(period) => crate::wire::interval("discount.validPeriod", period)?,
        None => (None, None),
    };
    let expires_at = match discount.expiry_time.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(moapi_core::time::parse_instant(text).ok_or_else(|| {
            invalid(format!(
                "discount.expiryTime: {text:?} is not an RFC 3339 timestamp"
            ))
        })?),
    };
    let limitation = discount.limitation.clone().unwrap_or_default();
    let max_redeem_times = limitation.max_redeem_times.unwrap_or(0);
    if max_redeem_times < 0 {
        return Err(invalid(
            "discount.limitation.maxRedeemTimes: must not be negative".to_string(),
        ));
    }
    let business_ids = decode_unique(
        state,
        IdKind::Business,
        "discount.limitation.businessIds",
        &limitation.business_ids,
    )?;
    for business_id in &business_ids {
        let business_owner = crate::business::store::owner(conn, *business_id)
            .await?
            .ok_or_else(|| {
                Status::not_found("discount.limitation.businessIds: business not found")
            })?;
        if business_owner.company_id != owner.company_id {
            return Err(Status::no_permission());
        }
        if let Some(principal) = principal {
            access::require(principal, owner, Some(*business_id))?;
        }
    }
    let customer_ids = decode_unique(
        state,
        IdKind::Customer,
        "discount.limitation.customerIds",
        &limitation.customer_ids,
    )?;
    check_customers(conn, owner.company_id, &customer_ids).await?;
    let settings = discount.settings.clone().unwrap_or_default();
    Ok(CodeValues {
        code,
        description,
        value,
        valid_from,
        valid_until,
        expires_at,
        max_redeem_times: i64::from(max_redeem_times),
        business_ids,
        customer_ids,
        redeem_once_per_customer: limitation.redeem_once_per_customer,
        auto_apply: settings.auto_apply_on_eligible_appointment,
        allow_online_booking: settings.allow_for_online_booking,
        // Output only on the wire (the vendor's guide): a new code is ACTIVE.
        status: DiscountStatus::Active,
    })
}

/// NOT_FOUND unless every customer is a live customer of the company.
async fn check_customers(
    conn: &mut AnyConnection,
    company_id: i64,
    ids: &[i64],
) -> Result<(), Status> {
    for chunk in ids.chunks(100) {
        let placeholders: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT COUNT(*) FROM moego_customers WHERE company_id = $1 AND deleted = 0 \
             AND id IN ({})",
            placeholders.join(", ")
        );
        let mut query = sqlx::query_as::<_, (i64,)>(&sql).bind(company_id);
        for id in chunk {
            query = query.bind(*id);
        }
        let (found,) = query.fetch_one(&mut *conn).await?;
        if found != chunk.len() as i64 {
            return Err(Status::not_found(
                "discount.limitation.customerIds: customer not found in the company",
            ));
        }
    }
    Ok(())
}
