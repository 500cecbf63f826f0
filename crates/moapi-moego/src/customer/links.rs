//! The signed pages behind a customer's links, served outside `/v1` with no authentication
//! but the link's signature: `/links/cof/{customerId}` (GenCustomerCofLink: a form that saves a
//! card) and `/links/appointments/{customerId}` (`Customer.upcomingAppointmentsUrl`). A
//! tampered link gets 403, an expired one 410, both as a readable page.

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use chrono::Datelike;
use moapi_core::db::Conn;
use moapi_core::signed_link::LinkError;
use moapi_core::{AppState, IdKind};
use serde::Deserialize;
use sqlx::AnyConnection;

use super::card::{self, CardForm};
use super::pages::{
    self, failure as internal, refusal, respond as page, CardPage, UpcomingAppointment,
};
use super::store::{self, CustomerRow};
use crate::company;

/// The card-on-file link is "valid for 24 hours from generation" (the vendor's words).
pub const CARD_ON_FILE_LIFETIME_SECS: i64 = 24 * 3600;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/links/cof/{id}", get(card_on_file_page).post(save_card))
        .route("/links/appointments/{id}", get(appointments_page))
}

pub(crate) fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

fn card_on_file_path(state: &AppState, customer_id: i64) -> String {
    format!(
        "/links/cof/{}",
        state.ids.encode(IdKind::Customer, customer_id)
    )
}

fn appointments_path(state: &AppState, customer_id: i64) -> String {
    format!(
        "/links/appointments/{}",
        state.ids.encode(IdKind::Customer, customer_id)
    )
}

/// A signed path as the absolute URL a customer opens (`MOAPI_PUBLIC_URL`).
fn absolute(state: &AppState, signed_path: &str) -> String {
    format!(
        "{}{signed_path}",
        state.config.public_base_url.trim_end_matches('/')
    )
}

/// The absolute URL of a page's `path`, signed to work for `lifetime_secs` from now.
pub(crate) fn signed_url(state: &AppState, path: &str, lifetime_secs: i64) -> String {
    absolute(state, &state.links.sign(path, now_secs() + lifetime_secs))
}

/// A fresh card-on-file link, valid for 24 hours.
pub fn card_on_file_url(state: &AppState, customer_id: i64) -> String {
    signed_url(
        state,
        &card_on_file_path(state, customer_id),
        CARD_ON_FILE_LIFETIME_SECS,
    )
}

/// The customer's appointments link. It expires 24 to 25 hours from now, at a whole hour, so
/// a customer read twice within the hour carries the same URL.
pub fn upcoming_appointments_url(state: &AppState, customer_id: i64) -> String {
    let expires = (now_secs() / 3600 + 1) * 3600 + 24 * 3600;
    let path = appointments_path(state, customer_id);
    absolute(state, &state.links.sign(&path, expires))
}

/// The signed part of a link's query.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LinkQuery {
    pub expires: Option<String>,
    pub signature: Option<String>,
}

/// The page refusing a link whose signature does not hold for `path` (403) or that has
/// expired (410); `None` for a link that works.
pub(crate) fn refused_link(state: &AppState, path: &str, query: &LinkQuery) -> Option<Response> {
    match state.links.verify(
        path,
        query.expires.as_deref(),
        query.signature.as_deref(),
        now_secs(),
    ) {
        Ok(()) => None,
        Err(LinkError::Invalid) => Some(refusal(
            StatusCode::FORBIDDEN,
            "This link is not valid",
            "The link is incomplete or has been changed. Open the link exactly as you received it, or ask the business for a new one.",
        )),
        Err(LinkError::Expired) => Some(refusal(
            StatusCode::GONE,
            "This link has expired",
            "Links like this one work for a limited time. Ask the business for a new link.",
        )),
    }
}

/// The customer a signed link names, or the page explaining why the link does not work.
async fn linked_customer(
    state: &AppState,
    conn: &mut AnyConnection,
    path: &str,
    id: &str,
    query: &LinkQuery,
) -> Result<CustomerRow, Response> {
    let gone = || {
        refusal(
            StatusCode::GONE,
            "This link is no longer available",
            "The customer this link was made for no longer exists. Ask the business for a new link.",
        )
    };
    if let Some(refused) = refused_link(state, path, query) {
        return Err(refused);
    }
    let raw = state.ids.decode(IdKind::Customer, id).map_err(|_| gone())?;
    match store::find(conn, raw).await {
        Ok(Some(row)) if !row.is_deleted() => Ok(row),
        Ok(_) => Err(gone()),
        Err(err) => Err(internal(err)),
    }
}

pub(crate) fn display_name(row: &CustomerRow) -> String {
    let name = format!("{} {}", row.first_name, row.last_name);
    let name = name.trim();
    if name.is_empty() {
        "Hello".to_string()
    } else {
        name.to_string()
    }
}

pub(crate) async fn company_name(
    conn: &mut AnyConnection,
    company_id: i64,
) -> Result<String, Response> {
    company::store::find(conn, company_id)
        .await
        .map(|company| company.map(|c| c.name).unwrap_or_default())
        .map_err(internal)
}

async fn render_card_page(
    conn: &mut AnyConnection,
    row: &CustomerRow,
    action: &str,
    refused: Option<(&CardForm, &card::CardError)>,
    saved: Option<&str>,
) -> Result<String, Response> {
    let cards = store::list_cards(&mut *conn, row.id)
        .await
        .map_err(internal)?;
    Ok(pages::card_on_file(&CardPage {
        customer_name: &display_name(row),
        company_name: &company_name(conn, row.company_id).await?,
        action,
        cards: &cards,
        refused,
        saved,
    }))
}

/// The form action: the path with the same signed query, so the POST is checked alike.
pub(crate) fn action_of(path: &str, query: &LinkQuery) -> String {
    format!(
        "{path}?expires={}&signature={}",
        query.expires.as_deref().unwrap_or_default(),
        query.signature.as_deref().unwrap_or_default()
    )
}

/// The connection of a page's request, or the page saying it failed.
pub(crate) async fn connection(db: &mut Conn) -> Result<&mut AnyConnection, Response> {
    db.get().await.map_err(internal)
}

/// What a page handler answers: `Err` is the page refusing or failing the request, so that
/// each step's refusal passes up with `?`.
pub(crate) type PageResult = Result<Response, Response>;

async fn card_on_file_page(
    State(state): State<AppState>,
    mut db: Conn,
    Path(id): Path<String>,
    Query(query): Query<LinkQuery>,
) -> PageResult {
    let conn = connection(&mut db).await?;
    let path = format!("/links/cof/{id}");
    let row = linked_customer(&state, conn, &path, &id, &query).await?;
    let html = render_card_page(conn, &row, &action_of(&path, &query), None, None).await?;
    Ok(page(StatusCode::OK, html))
}

async fn save_card(
    State(state): State<AppState>,
    mut db: Conn,
    Path(id): Path<String>,
    Query(query): Query<LinkQuery>,
    form: Result<Form<CardForm>, FormRejection>,
) -> PageResult {
    if let Some(stalled) = pages::stalled_form(&form, "The card details") {
        return Err(stalled);
    }
    let conn = connection(&mut db).await?;
    let path = format!("/links/cof/{id}");
    let row = linked_customer(&state, conn, &path, &id, &query).await?;
    let action = action_of(&path, &query);
    let form = form.map(|Form(form)| form).unwrap_or_default();
    let today = chrono::Utc::now().date_naive();
    let saved = match card::check(&form, (i64::from(today.year()), i64::from(today.month()))) {
        Err(problem) => {
            let html = render_card_page(conn, &row, &action, Some((&form, &problem)), None).await?;
            return Ok(page(StatusCode::BAD_REQUEST, html));
        }
        Ok(saved) => saved,
    };
    store::insert_card(
        &mut *conn,
        &store::NewCard {
            customer_id: row.id,
            brand: saved.brand,
            last4: &saved.last4,
            exp_month: saved.exp_month,
            exp_year: saved.exp_year,
        },
    )
    .await
    .map_err(internal)?;
    let message = format!(
        "Saved: {} ending in {}, expires {:02}/{}.",
        saved.brand, saved.last4, saved.exp_month, saved.exp_year
    );
    let html = render_card_page(conn, &row, &action, None, Some(&message)).await?;
    Ok(page(StatusCode::OK, html))
}

/// Most appointments the upcoming page shows.
const UPCOMING_LIMIT: i64 = 50;

/// The customer's future appointments (not canceled, finished or deleted), soonest first.
async fn upcoming_appointments(
    conn: &mut AnyConnection,
    customer: &CustomerRow,
) -> Result<Vec<UpcomingAppointment>, sqlx::Error> {
    let upcoming = crate::appointment::store::upcoming_of_customer(
        conn,
        customer.id,
        moapi_core::time::now_micros(),
        UPCOMING_LIMIT,
    )
    .await?;
    Ok(upcoming
        .into_iter()
        .map(|(start_at, business_name, services)| UpcomingAppointment {
            starts_at: moapi_core::time::iso_seconds(start_at),
            business_name,
            services,
        })
        .collect())
}

async fn appointments_page(
    State(state): State<AppState>,
    mut db: Conn,
    Path(id): Path<String>,
    Query(query): Query<LinkQuery>,
) -> PageResult {
    let conn = connection(&mut db).await?;
    let path = format!("/links/appointments/{id}");
    let row = linked_customer(&state, conn, &path, &id, &query).await?;
    let appointments = upcoming_appointments(conn, &row).await.map_err(internal)?;
    let company = company_name(conn, row.company_id).await?;
    Ok(page(
        StatusCode::OK,
        pages::upcoming_appointments(&display_name(&row), &company, &appointments),
    ))
}
