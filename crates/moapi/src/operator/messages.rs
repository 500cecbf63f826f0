//! Operator verbs for messages: reading a company's sandbox outbox (every message
//! `SendMessageToCustomer` recorded, with its delivery and its thread's page), and the fixture
//! section `messages`, sent through the same checks as the API's.

use moapi_core::db::Conn;
use moapi_core::time::protojson_timestamp;
use moapi_core::{AppState, IdKind};
use moapi_moego::company::store::CompanyRow;
use moapi_moego::message::wire::{DeliveryMethod, MessageType};
use moapi_moego::message::{self, page, store, Outgoing};
use moapi_moego::online_booking::wire::Step;
use serde::{Deserialize, Serialize};

use super::bookings::{full_name, Names};
use super::{from_status, invalid, resolve_company, resolve_id, OperatorError, Result};
use crate::fixtures::MoegoCompany;

/// Most messages one outbox read answers.
const MAX_OUTBOX: i64 = 500;

/// A message as the outbox shows it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxMessage {
    pub message_id: String,
    pub thread_id: String,
    pub customer_id: String,
    pub method: String,
    pub message_type: String,
    pub body: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub recipient: String,
    /// SANDBOX, PENDING, SENT or FAILED.
    pub delivery: String,
    pub attempts: i64,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub last_error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent_time: Option<String>,
    pub created_time: String,
    /// A signed link to the thread's page, valid for a day.
    pub thread_url: String,
}

/// A company's messages (`cmp_` ID or raw number), newest first, of one customer when given,
/// at most `limit` (default and cap 500).
pub async fn outbox(
    state: &AppState,
    db: &mut Conn,
    company: &str,
    customer: Option<&str>,
    limit: Option<i64>,
) -> Result<Vec<OutboxMessage>> {
    let company = resolve_company(state, db, company).await?;
    let customer_id = customer
        .map(|reference| resolve_id(state, IdKind::Customer, reference))
        .transpose()?;
    let limit = limit.unwrap_or(MAX_OUTBOX);
    if !(1..=MAX_OUTBOX).contains(&limit) {
        return invalid(format!("limit: 1 to {MAX_OUTBOX}"));
    }
    let ids = &state.ids;
    Ok(
        store::outbox(db.get().await?, company.id, customer_id, limit)
            .await?
            .into_iter()
            .map(|row| OutboxMessage {
                message_id: ids.encode(IdKind::Message, row.id),
                thread_id: ids.encode(IdKind::MessageThread, row.thread_id),
                customer_id: ids.encode(IdKind::Customer, row.customer_id),
                thread_url: page::thread_url(state, row.thread_id),
                sent_time: row.sent_at.map(protojson_timestamp),
                created_time: protojson_timestamp(row.created_at),
                method: row.method,
                message_type: row.message_type,
                body: row.body,
                recipient: row.recipient,
                delivery: row.delivery,
                attempts: row.attempts,
                last_error: row.last_error,
            })
            .collect(),
    )
}

/// A message the demo's business sent a customer ("First Last") at the seed.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FixtureMessage {
    pub customer: String,
    pub method: DeliveryMethod,
    #[serde(default)]
    pub message_type: MessageType,
    pub body: String,
}

/// Checks the `messages` section before anything is written: known customers (the fixture's,
/// or those its booking page visits create), a method, a body the API would take.
pub fn validate_company(company: &MoegoCompany) -> Result<()> {
    for (index, fixture) in company.messages.iter().enumerate() {
        let what = format!("company {:?}: messages[{index}]", company.name);
        let named = |first: &str, last: &str| full_name(first, last) == fixture.customer.trim();
        // A customer of the fixture, or one its booking page visits book (created before
        // messages are sent).
        let known = company
            .customers
            .iter()
            .any(|customer| named(&customer.first_name, &customer.last_name))
            || company.abandoned_bookings.iter().any(|visit| {
                visit.step == Step::SubmitAppt
                    && visit.customer.is_none()
                    && named(&visit.first_name, &visit.last_name)
            });
        if !known {
            return invalid(format!("{what}: unknown customer {:?}", fixture.customer));
        }
        if fixture.method.is_unspecified() {
            return invalid(format!("{what}: method: one of MSG, EMAIL, CALL, APP"));
        }
        if let Err(status) =
            message::input::body(fixture.method, fixture.message_type, Some(&fixture.body))
        {
            return invalid(format!("{what}: {}", status.message()));
        }
    }
    Ok(())
}

/// Sends the company's fixture messages at the seed, in order.
pub async fn seed_company(
    state: &AppState,
    db: &mut Conn,
    company_row: &CompanyRow,
    fixture: &MoegoCompany,
) -> Result<()> {
    if fixture.messages.is_empty() {
        return Ok(());
    }
    let names = Names::load(state, db, company_row.id).await?;
    let now = moapi_core::time::now_micros();
    for (index, fixture_message) in fixture.messages.iter().enumerate() {
        let context = |err: OperatorError| err.in_fixture(&fixture.name, "messages", index);
        let customer_id = names
            .customer_id(&fixture_message.customer)
            .map_err(context)?;
        let customer = moapi_moego::customer::store::find(db.get().await?, customer_id)
            .await?
            .ok_or_else(|| context(OperatorError::Internal("a customer just seeded".into())))?;
        let outgoing = Outgoing {
            method: fixture_message.method,
            message_type: fixture_message.message_type,
            body: Some(&fixture_message.body),
            phone: None,
        };
        message::send(state, db, &customer, &outgoing, now)
            .await
            .map_err(from_status)
            .map_err(context)?;
    }
    Ok(())
}
