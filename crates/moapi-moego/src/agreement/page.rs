//! The page behind a sign link, `/links/agreements/{agreementRecordId}`: served with no
//! authentication but the link's signature (a changed link gets 403, an expired one 410, as
//! the customer links do). The customer reads the agreement as it was when the link was made,
//! types their name, ticks their consent and signs; the record is signed once (a second
//! submission, or a race, finds it signed). Plain forms: POST, then a redirect to the page.

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use moapi_core::db::Conn;
use moapi_core::time::now_micros;
use moapi_core::{AppState, IdKind};
use serde::Deserialize;
use sqlx::AnyConnection;

use super::input::{signature_problem, MAX_SIGNATURE_CHARS};
use super::store::{self, RecordRow};
use crate::customer::links::{self, LinkQuery, PageResult};
use crate::customer::pages::{self, escape, failure, layout, refusal, respond};
use crate::{business, company, customer};

/// A sign link works for seven days: time to read terms and ask about them.
pub const SIGN_LINK_LIFETIME_SECS: i64 = 7 * 24 * 3600;

pub fn router() -> Router<AppState> {
    Router::new().route("/links/agreements/{id}", get(show).post(sign))
}

fn record_path(state: &AppState, record_id: i64) -> String {
    format!(
        "/links/agreements/{}",
        state.ids.encode(IdKind::AgreementRecord, record_id)
    )
}

/// A fresh link to the record's page, valid for [`SIGN_LINK_LIFETIME_SECS`].
pub fn sign_url(state: &AppState, record_id: i64) -> String {
    links::signed_url(
        state,
        &record_path(state, record_id),
        SIGN_LINK_LIFETIME_SECS,
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignForm {
    name: String,
    consent: Option<String>,
}

/// What the page shows: the record, and who and where it is for.
struct Signing {
    record: RecordRow,
    customer_name: String,
    business_name: String,
    zone: chrono_tz::Tz,
    /// False once the agreement was deleted: an unsigned record can no longer be signed.
    agreement_live: bool,
}

fn gone(message: &str) -> Response {
    refusal(
        StatusCode::GONE,
        "This link is no longer available",
        message,
    )
}

/// The record a checked link names, with what its page shows, or the page saying why not.
async fn signing(
    state: &AppState,
    conn: &mut AnyConnection,
    id: &str,
    query: &LinkQuery,
) -> Result<Signing, Response> {
    if let Some(refused) = links::refused_link(state, &format!("/links/agreements/{id}"), query) {
        return Err(refused);
    }
    let missing =
        || gone("This agreement is no longer available. Ask the business for a new link.");
    let record_id = state
        .ids
        .decode(IdKind::AgreementRecord, id)
        .map_err(|_| missing())?;
    let record = store::find_record(&mut *conn, record_id)
        .await
        .map_err(failure)?
        .ok_or_else(missing)?;
    let customer = customer::store::find(&mut *conn, record.customer_id)
        .await
        .map_err(failure)?
        .filter(|row| !row.is_deleted())
        .ok_or_else(|| {
            gone("The customer this link was made for no longer exists. Ask the business for a new link.")
        })?;
    let agreement_live = store::find(&mut *conn, record.agreement_id)
        .await
        .map_err(failure)?
        .is_some_and(|row| row.is_live());
    let business_name = business::store::find(&mut *conn, record.business_id)
        .await
        .map_err(failure)?
        .map(|row| row.name)
        .unwrap_or_default();
    let zone = company::zone_of(conn, record.company_id)
        .await
        .map_err(|status| failure(status.message()))?;
    Ok(Signing {
        record,
        customer_name: links::display_name(&customer),
        business_name,
        zone,
        agreement_live,
    })
}

/// The page: the agreement, then its signature or the form to sign it (with `problem` and
/// the name typed when a submission was refused).
fn render(signing: &Signing, action: &str, refused: Option<(&str, &str)>) -> String {
    let record = &signing.record;
    let mut body = format!(
        "<p class=\"steps\">{}</p><h1>{}</h1><p class=\"sub\">For {}</p>\
         <div class=\"agreement\">{}</div>",
        escape(&signing.business_name),
        escape(&record.title),
        escape(&signing.customer_name),
        moapi_core::rich_text::clean(&record.content),
    );
    if record.is_signed() {
        let signed_at = company::local_time(record.signed_at.unwrap_or_default(), signing.zone);
        body.push_str(&format!(
            "<p class=\"ok\" id=\"signed\">Signed by {} on {}.</p>",
            escape(&record.signature),
            signed_at.format("%B %-d, %Y at %-I:%M %p")
        ));
    } else if !signing.agreement_live {
        body.push_str(
            "<p class=\"error\">The business no longer uses this agreement, so it cannot be signed.</p>",
        );
    } else {
        let (problem, typed) = refused.unwrap_or_default();
        if !problem.is_empty() {
            body.push_str(&format!(
                "<p class=\"error\" role=\"alert\">{}</p>",
                escape(problem)
            ));
        }
        body.push_str(&format!(
            "<form method=\"post\" action=\"{}\">\
             <label for=\"name\">Your full name</label>\
             <input id=\"name\" name=\"name\" autocomplete=\"name\" maxlength=\"{MAX_SIGNATURE_CHARS}\" value=\"{}\" required>\
             <label class=\"option\"><input type=\"checkbox\" name=\"consent\" value=\"yes\" required> \
             <span>I have read this agreement and I agree to it. Typing my name is my signature.</span></label>\
             <button type=\"submit\">Sign</button></form>",
            escape(action),
            escape(typed),
        ));
    }
    layout(&record.title, &body)
}

async fn show(
    State(state): State<AppState>,
    mut db: Conn,
    Path(id): Path<String>,
    Query(query): Query<LinkQuery>,
) -> PageResult {
    let conn = links::connection(&mut db).await?;
    let signing = signing(&state, conn, &id, &query).await?;
    let action = links::action_of(&format!("/links/agreements/{id}"), &query);
    Ok(respond(StatusCode::OK, render(&signing, &action, None)))
}

async fn sign(
    State(state): State<AppState>,
    mut db: Conn,
    Path(id): Path<String>,
    Query(query): Query<LinkQuery>,
    form: Result<Form<SignForm>, FormRejection>,
) -> PageResult {
    if let Some(stalled) = pages::stalled_form(&form, "The signature") {
        return Err(stalled);
    }
    let form = form.map(|Form(form)| form).unwrap_or_default();
    let action = links::action_of(&format!("/links/agreements/{id}"), &query);
    let conn = links::connection(&mut db).await?;
    let signing = signing(&state, conn, &id, &query).await?;
    if signing.record.is_signed() || !signing.agreement_live {
        return Err(respond(
            StatusCode::CONFLICT,
            render(&signing, &action, None),
        ));
    }
    if let Some(problem) = signature_problem(&form.name, form.consent.is_some()) {
        return Err(respond(
            StatusCode::BAD_REQUEST,
            render(&signing, &action, Some((problem, &form.name))),
        ));
    }
    // Signed now, or by a submission that won the race: the page shows the signature.
    super::sign(&mut db, signing.record.id, &form.name, now_micros())
        .await
        .map_err(|status| failure(status.message()))?;
    Ok(Redirect::to(&action).into_response())
}
