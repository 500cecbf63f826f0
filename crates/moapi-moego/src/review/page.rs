//! The review page behind a review link, `/links/reviews/{appointmentId}`, served like the
//! customer's links (`crate::customer::links`): no authentication but the link's signature, a
//! tampered link 403, an expired one 410. It shows the FINISHED appointment (business, day,
//! staff, pets) and asks for a score of 1 to 5 and a text; the form posts to the same signed
//! URL (no JavaScript) and a recorded review redirects (303) to the page, which then shows
//! it. An appointment is reviewed once: a second submission, even one racing the first, gets
//! a page saying so. A review left here came by the link sent after the service, the channel
//! the vendor calls SMS.

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use moapi_core::db::Conn;
use moapi_core::time::now_micros;
use moapi_core::{AppState, Code, IdKind};
use serde::Deserialize;
use sqlx::AnyConnection;

use super::store::{self, Participant, ReviewRow};
use super::wire::ReviewSource;
use super::{input, ReviewInput};
use crate::appointment::store::{self as appointments, AppointmentRow};
use crate::customer::links::{self, action_of, connection, LinkQuery, PageResult};
use crate::customer::pages::{escape, failure, layout, refusal, respond, stalled_form};
use crate::{business, company};

/// How long a review link works: a month is time enough to answer the message sent after
/// the visit, and short enough that old messages stop collecting reviews.
pub const REVIEW_LINK_LIFETIME_SECS: i64 = 30 * 24 * 3600;

/// The source a review left on this page records.
pub const PAGE_SOURCE: ReviewSource = ReviewSource::Sms;

pub fn router() -> Router<AppState> {
    Router::new().route("/links/reviews/{id}", get(show).post(submit))
}

fn review_path(state: &AppState, appointment_id: i64) -> String {
    format!(
        "/links/reviews/{}",
        state.ids.encode(IdKind::Appointment, appointment_id)
    )
}

/// A fresh review link of an appointment, valid for [`REVIEW_LINK_LIFETIME_SECS`].
pub fn review_url(state: &AppState, appointment_id: i64) -> String {
    links::signed_url(
        state,
        &review_path(state, appointment_id),
        REVIEW_LINK_LIFETIME_SECS,
    )
}

/// The appointment a signed link names, or the page explaining why the link does not work.
async fn linked_appointment(
    state: &AppState,
    conn: &mut AnyConnection,
    id: &str,
    query: &LinkQuery,
) -> Result<(AppointmentRow, String), Response> {
    let path = format!("/links/reviews/{id}");
    if let Some(refused) = links::refused_link(state, &path, query) {
        return Err(refused);
    }
    let gone = || {
        refusal(
            StatusCode::GONE,
            "This link is no longer available",
            "The visit this link was made for no longer exists. Ask the business for a new link.",
        )
    };
    let raw = state
        .ids
        .decode(IdKind::Appointment, id)
        .map_err(|_| gone())?;
    let row = match appointments::find(&mut *conn, raw).await {
        Ok(Some(row)) if !row.is_deleted() => row,
        Ok(_) => return Err(gone()),
        Err(err) => return Err(failure(err)),
    };
    // A deleted customer's visit is no longer theirs to review.
    match crate::customer::store::find(conn, row.customer_id).await {
        Ok(Some(customer)) if !customer.is_deleted() => Ok((row, action_of(&path, query))),
        Ok(_) => Err(gone()),
        Err(err) => Err(failure(err)),
    }
}

/// What the page says about the visit reviewed.
struct Visit {
    business: String,
    when: String,
    staff: Vec<Participant>,
    pets: Vec<Participant>,
}

impl Visit {
    async fn load(conn: &mut AnyConnection, row: &AppointmentRow) -> Result<Visit, Response> {
        let business = business::store::find(&mut *conn, row.business_id)
            .await
            .map_err(failure)?
            .map(|business| business.name)
            .unwrap_or_default();
        let zone = company::zone_of(&mut *conn, row.company_id)
            .await
            .map_err(|status| failure(status.message()))?;
        let when = company::local_time(row.start_at, zone)
            .format("%A, %B %-d, %Y at %-I:%M %p")
            .to_string();
        let (staff, pets) = store::participants(conn, row.id).await.map_err(failure)?;
        Ok(Visit {
            business,
            when,
            staff,
            pets,
        })
    }

    fn summary(&self) -> String {
        let names = |people: &[Participant]| {
            people
                .iter()
                .map(|person| escape(&person.name))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut items = format!(
            "<li><strong>{}</strong><br><span class=\"muted\">{}</span></li>",
            escape(&self.business),
            escape(&self.when)
        );
        if !self.staff.is_empty() {
            items.push_str(&format!(
                "<li>Looked after by <strong>{}</strong></li>",
                names(&self.staff)
            ));
        }
        if !self.pets.is_empty() {
            items.push_str(&format!(
                "<li>For <strong>{}</strong></li>",
                names(&self.pets)
            ));
        }
        format!("<ul>{items}</ul>")
    }
}

/// The review form's fields as posted; anything missing is empty.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    score: String,
    content: String,
}

const SCORE_WORDS: [&str; 5] = ["Poor", "Fair", "Good", "Very good", "Excellent"];

fn stars(score: i64) -> String {
    let score = usize::try_from(score.clamp(0, 5)).unwrap_or_default();
    format!(
        "<span aria-label=\"{score} out of 5\">{}{}</span>",
        "★".repeat(score),
        "☆".repeat(5 - score)
    )
}

/// The page asking for a review; `refused`: the values to put back and what to fix.
fn form_page(visit: &Visit, action: &str, refused: Option<(&ReviewForm, &str)>) -> String {
    let empty = ReviewForm::default();
    let (values, banner) = match refused {
        Some((form, problem)) => (
            form,
            format!("<p class=\"error\" role=\"alert\">{}</p>", escape(problem)),
        ),
        None => (&empty, String::new()),
    };
    let options: String = (1..=5)
        .map(|score| {
            let checked = match values.score.trim() == score.to_string() {
                true => " checked",
                false => "",
            };
            format!(
                "<label class=\"option\"><input type=\"radio\" name=\"score\" value=\"{score}\" required{checked}> \
                 {} {}</label>",
                stars(score),
                SCORE_WORDS[score as usize - 1]
            )
        })
        .collect();
    let body = format!(
        "<h1>How was your visit?</h1>\
         <p class=\"sub\">Tell {business} how it went.</p>\
         {summary}{banner}\
         <form method=\"post\" action=\"{action}\">\
         <fieldset><legend>Your score</legend>{options}</fieldset>\
         <label for=\"content\">Your review</label>\
         <textarea id=\"content\" name=\"content\" rows=\"5\" maxlength=\"{max}\" \
         placeholder=\"What did you like? What could be better?\">{content}</textarea>\
         <button type=\"submit\">Send review</button></form>\
         <p class=\"note\">One review per visit; it cannot be changed once sent.</p>",
        business = escape(&visit.business),
        summary = visit.summary(),
        action = escape(action),
        max = input::MAX_CONTENT_CHARS,
        content = escape(&values.content),
    );
    layout("How was your visit?", &body)
}

/// The page showing the visit's review: thanks, or (`again`) that it was reviewed already.
fn reviewed_page(visit: &Visit, review: &ReviewRow, again: bool) -> String {
    let (title, message) = match again {
        false => ("Thank you for your review", "Your review was sent."),
        true => (
            "This visit was already reviewed",
            "A visit is reviewed once, and this one already was. Here is its review.",
        ),
    };
    let text = match review.content.is_empty() {
        true => String::new(),
        false => format!("<p>{}</p>", escape(&review.content)),
    };
    let body = format!(
        "<h1>{title}</h1><p class=\"sub\">{message}</p>{summary}\
         <p class=\"ok\" role=\"status\">{stars} {word}</p>{text}",
        summary = visit.summary(),
        stars = stars(review.score),
        word = SCORE_WORDS
            .get(usize::try_from(review.score - 1).unwrap_or_default())
            .copied()
            .unwrap_or_default(),
    );
    layout(title, &body)
}

fn not_finished() -> Response {
    refusal(
        StatusCode::CONFLICT,
        "This visit is not over yet",
        "A visit can be reviewed once it is finished. Open this link again after your appointment.",
    )
}

/// The page for an appointment that cannot take a review (yet): its review if it has one,
/// that it is not finished if it is not; `None` when the form may be shown.
async fn closed(
    conn: &mut AnyConnection,
    row: &AppointmentRow,
    visit: &Visit,
    again: bool,
) -> Option<Response> {
    match store::of_appointment(conn, row.id).await {
        Err(err) => return Some(failure(err)),
        Ok(Some(review)) => {
            let status = match again {
                true => StatusCode::CONFLICT,
                false => StatusCode::OK,
            };
            return Some(respond(status, reviewed_page(visit, &review, again)));
        }
        Ok(None) => {}
    }
    super::reviewable(Some(row.clone()))
        .err()
        .map(|_| not_finished())
}

/// The visit a link names, its form's action and what the page says about it, when the form
/// may be shown; else the page to answer (a refused link, its review, not finished yet).
/// `again`: for a submission, which a review already recorded refuses.
async fn open(
    state: &AppState,
    conn: &mut AnyConnection,
    (id, query): (&str, &LinkQuery),
    again: bool,
) -> Result<(AppointmentRow, String, Visit), Response> {
    let (row, action) = linked_appointment(state, conn, id, query).await?;
    let visit = Visit::load(conn, &row).await?;
    match closed(conn, &row, &visit, again).await {
        Some(page) => Err(page),
        None => Ok((row, action, visit)),
    }
}

async fn show(
    State(state): State<AppState>,
    mut db: Conn,
    Path(id): Path<String>,
    Query(query): Query<LinkQuery>,
) -> PageResult {
    let conn = connection(&mut db).await?;
    let (_, action, visit) = open(&state, conn, (&id, &query), false).await?;
    Ok(respond(StatusCode::OK, form_page(&visit, &action, None)))
}

/// The score and text of a form, or what the visitor must fix.
fn checked(form: &ReviewForm) -> Result<(i64, String), String> {
    let score = form
        .score
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|score| input::score(score).ok())
        .ok_or_else(|| "Choose a score from 1 to 5 stars.".to_string())?;
    let content = input::content(&form.content).map_err(|_| {
        format!(
            "Your review is too long: keep it to {} characters.",
            input::MAX_CONTENT_CHARS
        )
    })?;
    Ok((score, content))
}

async fn submit(
    State(state): State<AppState>,
    mut db: Conn,
    Path(id): Path<String>,
    Query(query): Query<LinkQuery>,
    form: Result<Form<ReviewForm>, FormRejection>,
) -> PageResult {
    if let Some(stalled) = stalled_form(&form, "Your review") {
        return Err(stalled);
    }
    let form = form.map(|Form(form)| form).unwrap_or_default();
    let conn = connection(&mut db).await?;
    let (row, action, visit) = open(&state, conn, (&id, &query), true).await?;
    let (score, content) = checked(&form).map_err(|problem| {
        let html = form_page(&visit, &action, Some((&form, &problem)));
        respond(StatusCode::BAD_REQUEST, html)
    })?;
    let given = ReviewInput {
        source: PAGE_SOURCE,
        score,
        content,
        review_at: None,
        staff_ids: None,
        pet_ids: None,
    };
    match super::record(&mut db, &state.ids, row.id, &given, now_micros()).await {
        // Recorded: POST, then redirect, then GET, so a reload sends nothing twice.
        Ok(_) => Ok(Redirect::to(&action).into_response()),
        // Another window's review was recorded first: the page says so.
        Err(status) if status.code() == Code::AlreadyExists => {
            let conn = connection(&mut db).await?;
            Err(closed(conn, &row, &visit, true)
                .await
                .unwrap_or_else(|| failure(status.message())))
        }
        Err(status) if status.code() == Code::FailedPrecondition => Err(not_finished()),
        Err(status) if status.code() == Code::NotFound => Err(refusal(
            StatusCode::GONE,
            "This link is no longer available",
            "The visit this link was made for no longer exists.",
        )),
        Err(status) => Err(failure(status.message())),
    }
}
