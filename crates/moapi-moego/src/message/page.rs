//! The page of a message thread, `/links/threads/{threadId}`: what the sandbox would have
//! delivered to one customer, oldest first, with where each message went and whether the
//! mailer sent it. Operators get its signed link from the outbox (no key; a changed link gets
//! 403, an expired one 410, as the customer links do).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use moapi_core::db::Conn;
use moapi_core::{AppState, IdKind};

use super::store::{self, MessageRow};
use crate::company;
use crate::customer::links::{self, LinkQuery, PageResult};
use crate::customer::pages::{escape, failure, layout, refusal, respond};

/// A thread's link works for a day, like the card-on-file link.
const THREAD_LINK_LIFETIME_SECS: i64 = 24 * 3600;

pub fn router() -> Router<AppState> {
    Router::new().route("/links/threads/{id}", get(show))
}

fn thread_path(state: &AppState, thread_id: i64) -> String {
    format!(
        "/links/threads/{}",
        state.ids.encode(IdKind::MessageThread, thread_id)
    )
}

/// A fresh link to the thread's page, valid for a day.
pub fn thread_url(state: &AppState, thread_id: i64) -> String {
    links::signed_url(
        state,
        &thread_path(state, thread_id),
        THREAD_LINK_LIFETIME_SECS,
    )
}

fn delivery_note(message: &MessageRow) -> String {
    match message.delivery.as_str() {
        store::SENT => "sent by email".to_string(),
        store::PENDING => "waiting for the mail server".to_string(),
        store::FAILED => format!("not sent: {}", message.last_error),
        _ => "kept in the sandbox".to_string(),
    }
}

fn render(company_name: &str, messages: &[MessageRow], zone: chrono_tz::Tz) -> String {
    let items: String = messages
        .iter()
        .map(|message| {
            let at = company::local_time(message.created_at, zone).format("%b %-d, %Y %-I:%M %p");
            let body = match message.message_type.as_str() {
                "PIC" => format!("Picture: {}", escape(&message.body)),
                _ => escape(&message.body),
            };
            let to = match message.recipient.as_str() {
                "" => String::new(),
                recipient => format!(" to {}", escape(recipient)),
            };
            format!(
                "<li><p class=\"muted\">{at} · {}{to} · {}</p><p>{body}</p></li>",
                escape(&message.method),
                escape(&delivery_note(message)),
            )
        })
        .collect();
    layout(
        "Messages",
        &format!(
            "<p class=\"steps\">{}</p><h1>Messages</h1><ul>{items}</ul>",
            escape(company_name)
        ),
    )
}

async fn show(
    State(state): State<AppState>,
    mut db: Conn,
    Path(id): Path<String>,
    Query(query): Query<LinkQuery>,
) -> PageResult {
    if let Some(refused) = links::refused_link(&state, &format!("/links/threads/{id}"), &query) {
        return Err(refused);
    }
    let conn = links::connection(&mut db).await?;
    let gone = || {
        refusal(
            StatusCode::GONE,
            "This thread is no longer available",
            "Ask for a new link.",
        )
    };
    let thread_id = state
        .ids
        .decode(IdKind::MessageThread, &id)
        .map_err(|_| gone())?;
    let (company_id, _) = store::thread(&mut *conn, thread_id)
        .await
        .map_err(failure)?
        .ok_or_else(gone)?;
    let messages = store::messages_of_thread(&mut *conn, thread_id)
        .await
        .map_err(failure)?;
    let company_name = links::company_name(&mut *conn, company_id).await?;
    let zone = company::zone_of(conn, company_id)
        .await
        .map_err(|status| failure(status.message()))?;
    Ok(respond(
        StatusCode::OK,
        render(&company_name, &messages, zone),
    ))
}
