//! The online booking page of a business, served without a key at
//! `/online-booking/{businessId}`. Starting a visit gives it its own unguessable URL; each
//! step is a form posted there (no JavaScript), recorded as the visit's last completed step
//! with what it collected, and answered with a redirect to the next one. The steps are the
//! vendor's `AbandonedBookingStep` values: basic info, care type, pet, service, groomer
//! (grooming only), date, time, personal info, submit. Days and times offered are
//! GetBookingAvailability's (`availability::compute`); submitting books an UNCONFIRMED
//! appointment through the same checks as CreateAppointment, creating the customer and pets
//! when new, and emits ONLINE_BOOKING_RECEIVED beside APPOINTMENT_CREATED, all in one
//! transaction. A visit left idle reads as an abandoned booking (`super::abandoned`).

pub mod html;
mod steps;
pub mod walk;

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use base64::Engine;
use moapi_core::db::Conn;
use moapi_core::time::now_micros;
use moapi_core::{AppState, IdKind};
use rand::RngCore;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use super::store::{self, VisitRow};
use super::visit::Collected;
use super::wire::Step;
use crate::business::store::BusinessRow;
use crate::customer::pages::{failure, refusal, respond, stalled_form};
use steps::{Answers, Place, Problem};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/online-booking/{business}", get(welcome).post(start))
        .route("/online-booking/{business}/{visit}", get(show).post(answer))
}

/// The path of a business's booking page.
pub fn booking_path(ids: &moapi_core::IdCodec, business_id: i64) -> String {
    format!(
        "/online-booking/{}",
        ids.encode(IdKind::Business, business_id)
    )
}

/// The absolute URL of the booking page of a business (its `bus_` ID), as `serve --demo`
/// prints it.
pub fn booking_url(base_url: &str, business_id: &str) -> String {
    format!(
        "{}/online-booking/{business_id}",
        base_url.trim_end_matches('/')
    )
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn not_found() -> Response {
    refusal(
        StatusCode::NOT_FOUND,
        "Page not found",
        "There is no online booking page here. Check the link the business gave you.",
    )
}

/// The business a page path names, with what its pages need, or the page saying there is none.
async fn place_of(
    state: &AppState,
    conn: &mut AnyConnection,
    business: &str,
) -> Result<Place, Response> {
    let Ok(business_id) = state.ids.decode(IdKind::Business, business.trim()) else {
        return Err(not_found());
    };
    let row: Option<BusinessRow> = crate::business::store::find(conn, business_id)
        .await
        .map_err(failure)?;
    let Some(row) = row else {
        return Err(not_found());
    };
    Place::load(conn, row)
        .await
        .map_err(|status| failure(status.message()))
}

async fn welcome(
    State(state): State<AppState>,
    mut db: Conn,
    Path(business): Path<String>,
) -> Response {
    let conn = match db.get().await {
        Ok(conn) => conn,
        Err(err) => return failure(err),
    };
    match place_of(&state, conn, &business).await {
        Ok(place) => respond(
            StatusCode::OK,
            html::welcome(
                &place.business.name,
                place.business.address.as_deref().unwrap_or_default(),
                &booking_path(&state.ids, place.business.id),
            ),
        ),
        Err(response) => response,
    }
}

/// Starts a visit: a fresh token, the visit recorded at its welcome page, and a redirect to
/// the visit's URL.
async fn start(
    State(state): State<AppState>,
    mut db: Conn,
    Path(business): Path<String>,
) -> Response {
    let place = {
        let conn = match db.get().await {
            Ok(conn) => conn,
            Err(err) => return failure(err),
        };
        match place_of(&state, conn, &business).await {
            Ok(place) => place,
            Err(response) => return response,
        }
    };
    let mut secret = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut secret);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret);
    let _gate = db.write_gate().await;
    let conn = match db.get().await {
        Ok(conn) => conn,
        Err(err) => return failure(err),
    };
    let scope = (place.business.company_id, place.business.id);
    let data = Collected::default().to_json();
    match store::insert(conn, scope, &token_hash(&token), &data, now_micros()).await {
        Ok(_) => Redirect::to(&format!(
            "{}/{token}",
            booking_path(&state.ids, place.business.id)
        ))
        .into_response(),
        Err(err) => failure(err),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StepQuery {
    step: Option<String>,
    /// Set by the redirect after a preference was recorded.
    thanks: Option<String>,
}

const THANKS: &str = "Thank you: the business will get in touch about a time that suits you.";

/// The business and the visit a visit URL names, or the page saying why there is none.
async fn visit_of(
    state: &AppState,
    conn: &mut AnyConnection,
    (business, token): (&str, &str),
) -> Result<(Place, VisitRow), Response> {
    let place = place_of(state, conn, business).await?;
    match store::by_token(conn, place.business.id, &token_hash(token)).await {
        Ok(Some(visit)) => Ok((place, visit)),
        Ok(None) => Err(not_found()),
        Err(err) => Err(failure(err)),
    }
}

/// What a visit that can no longer go on shows: its booking, or that it is closed.
fn closed(state: &AppState, place: &Place, visit: &VisitRow) -> Response {
    if visit.status == store::SUBMITTED {
        return respond(StatusCode::OK, place.submitted_page(visit));
    }
    refusal(
        StatusCode::GONE,
        "This booking is closed",
        &format!(
            "The business already followed up on this visit. Start a new booking at {}.",
            booking_path(&state.ids, place.business.id)
        ),
    )
}

async fn show(
    State(state): State<AppState>,
    mut db: Conn,
    Path((business, token)): Path<(String, String)>,
    Query(query): Query<StepQuery>,
) -> Response {
    let conn = match db.get().await {
        Ok(conn) => conn,
        Err(err) => return failure(err),
    };
    let (place, visit) = match visit_of(&state, conn, (&business, &token)).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !visit.is_open() {
        return closed(&state, &place, &visit);
    }
    let next = steps::next_step(&visit);
    let step = query
        .step
        .as_deref()
        .map(Step::from_name)
        .filter(|asked| steps::reachable(&visit, *asked))
        .unwrap_or(next);
    let action = format!("{}/{token}", booking_path(&state.ids, place.business.id));
    let notice = query.thanks.is_some().then_some(THANKS);
    match place
        .render(&state, conn, &visit, step, (&action, None, notice))
        .await
    {
        Ok(html) => respond(StatusCode::OK, html),
        Err(problem) => problem.page(),
    }
}

async fn answer(
    State(state): State<AppState>,
    mut db: Conn,
    Path((business, token)): Path<(String, String)>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    if let Some(stalled) = stalled_form(&form, "Your answers") {
        return stalled;
    }
    let answers = Answers(form.map(|Form(fields)| fields).unwrap_or_default());
    let (place, visit) = {
        let conn = match db.get().await {
            Ok(conn) => conn,
            Err(err) => return failure(err),
        };
        match visit_of(&state, conn, (&business, &token)).await {
            Ok(found) => found,
            Err(response) => return response,
        }
    };
    if !visit.is_open() {
        return closed(&state, &place, &visit);
    }
    let action = format!("{}/{token}", booking_path(&state.ids, place.business.id));
    let step = Step::from_name(answers.get("step"));
    if !steps::reachable(&visit, step) || step == Step::WelcomePage {
        let problem = "That step comes later: answer this one first.";
        return reshow(&state, &mut db, &place, &visit, None, (&action, problem)).await;
    }
    let now = now_micros();
    // `true`: the same step again, thanking (a preference was recorded); `false`: the next.
    let outcome = match (step, answers.get("preference").is_empty()) {
        (Step::SelectDate | Step::SelectTime, false) => place
            .prefer(&mut db, &visit, &answers, now)
            .await
            .map(|_| true),
        (Step::SubmitAppt, _) => place
            .submit(&state, &mut db, &visit, now)
            .await
            .map(|()| false),
        _ => place
            .record(&state, &mut db, &visit, step, &answers, now)
            .await
            .map(|()| false),
    };
    // Recorded: POST, then redirect, then GET, so a reload asks nothing twice.
    match outcome {
        Ok(false) => Redirect::to(&action).into_response(),
        Ok(true) => {
            Redirect::to(&format!("{action}?step={}&thanks=1", step.name())).into_response()
        }
        Err(Problem::Invalid(problem)) => {
            reshow(
                &state,
                &mut db,
                &place,
                &visit,
                Some(step),
                (&action, &problem),
            )
            .await
        }
        // Another window of the visit answered first, or the visit closed: where it stands.
        Err(Problem::Closed) => {
            let now_there = match db.get().await {
                Ok(conn) => visit_of(&state, conn, (&business, &token)).await,
                Err(err) => return failure(err),
            };
            match now_there {
                Ok((place, visit)) if visit.is_open() => {
                    let problem =
                        "This booking changed in another window; here is where it stands now.";
                    reshow(&state, &mut db, &place, &visit, None, (&action, problem)).await
                }
                Ok((place, visit)) => closed(&state, &place, &visit),
                Err(response) => response,
            }
        }
        Err(Problem::Failed(err)) => failure(err),
    }
}

/// The step again (`step`, or the next one) with a problem to fix, answered 400.
async fn reshow(
    state: &AppState,
    db: &mut Conn,
    place: &Place,
    visit: &VisitRow,
    step: Option<Step>,
    (action, problem): (&str, &str),
) -> Response {
    let conn = match db.get().await {
        Ok(conn) => conn,
        Err(err) => return failure(err),
    };
    let step = step.unwrap_or_else(|| steps::next_step(visit));
    match place
        .render(state, conn, visit, step, (action, Some(problem), None))
        .await
    {
        Ok(html) => respond(StatusCode::BAD_REQUEST, html),
        Err(problem) => problem.page(),
    }
}
