//! Messages (MessageService): `SendMessageToCustomer` appends a message to the customer's one
//! thread, on a channel the customer can be reached on and has consented to (`input`). moapi
//! is a sandbox: no SMS, call or push ever leaves it. Every message stays in the outbox the
//! operator API lists, and each thread has a signed page (`page`). EMAIL messages are also
//! really sent when an SMTP server is configured (`mailer`). The vendor's webhook events name
//! nothing about messages, so sending emits none.

pub mod input;
pub mod mailer;
pub mod page;
pub mod store;
pub mod wire;

use axum::extract::State;
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::time::now_micros;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, IdKind, Status};

use crate::customer::store::CustomerRow;
use store::NewMessage;
use wire::{
    DeliveryMethod, MessageType, SendMessageToCustomerRequest, SendMessageToCustomerResponse,
};

pub const WRITE_SCOPE: &str = "messages:write";

/// A message as asked for, before it is checked against the customer.
pub struct Outgoing<'a> {
    pub method: DeliveryMethod,
    pub message_type: MessageType,
    pub body: Option<&'a str>,
    /// The `phoneNumber` asked for, as given.
    pub phone: Option<&'a str>,
}

/// Checks a message for a live customer and appends it to their thread at `at`: answers
/// (thread, message). An EMAIL waits for the mailer when one is configured.
pub async fn send(
    state: &AppState,
    db: &mut Conn,
    customer: &CustomerRow,
    outgoing: &Outgoing<'_>,
    at: i64,
) -> Result<(i64, i64), Status> {
    let body = input::body(outgoing.method, outgoing.message_type, outgoing.body)?;
    let phone = match outgoing.phone.map(str::trim).filter(|p| !p.is_empty()) {
        None => None,
        Some(phone) => {
            let country = crate::company::store::find(db.get().await?, customer.company_id)
                .await?
                .map(|company| company.country)
                .unwrap_or_default();
            Some(
                crate::contact::normalize_phone(phone, &country).map_err(|_| {
                    Status::invalid_argument(format!(
                        "phoneNumber: {phone:?} is not a phone number"
                    ))
                })?,
            )
        }
    };
    let recipient = input::recipient(customer, outgoing.method, phone.as_deref())?;
    let delivery = match (outgoing.method, &state.config.smtp) {
        (DeliveryMethod::Email, Some(_)) => store::PENDING,
        _ => store::SANDBOX,
    };
    let message_type = match outgoing.message_type {
        MessageType::Unspecified => MessageType::Text,
        given => given,
    };
    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    let sent = store::append(
        &mut tx,
        &NewMessage {
            company_id: customer.company_id,
            customer_id: customer.id,
            method: outgoing.method.name(),
            message_type: message_type.name(),
            body: &body,
            recipient: &recipient,
            delivery,
        },
        at,
    )
    .await?;
    tx.commit().await?;
    Ok(sent)
}

/// Sends a message to a customer on one channel: `customerId`, `messageBody`, `messageType`
/// (TEXT when unspecified), `method`, and for MSG and CALL optionally `phoneNumber` (it must be
/// the customer's). A channel the customer cannot be reached on, or has not consented to, is
/// FAILED_PRECONDITION.
#[utoipa::path(post, path = "/v1/messages:sendToCustomer", operation_id = "MessageService_SendMessageToCustomer",
    request_body = SendMessageToCustomerRequest,
    responses((status = 200, body = SendMessageToCustomerResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn send_message_to_customer(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<SendMessageToCustomerRequest>,
) -> Result<Json<SendMessageToCustomerResponse>, Status> {
    principal.require_scope(WRITE_SCOPE)?;
    let customer_id = request
        .customer_id
        .as_deref()
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| Status::invalid_argument("customerId: value is required"))?;
    if request.method.is_unspecified() {
        return Err(Status::invalid_argument(
            "method: one of MSG, EMAIL, CALL, APP",
        ));
    }
    let customer =
        crate::customer::writable_customer(db.get().await?, &state, &principal, customer_id)
            .await?;
    let (thread_id, message_id) = send(
        &state,
        &mut db,
        &customer,
        &Outgoing {
            method: request.method,
            message_type: request.message_type,
            body: request.message_body.as_deref(),
            phone: request.phone_number.as_deref(),
        },
        now_micros(),
    )
    .await?;
    Ok(Json(SendMessageToCustomerResponse {
        thread_id: state.ids.encode(IdKind::MessageThread, thread_id),
        message_id: state.ids.encode(IdKind::Message, message_id),
    }))
}
