//! Reviews (ReviewService): what customers said about a FINISHED appointment, one review per
//! appointment, naming the appointment's staff and pets. A customer leaves one through the
//! signed review link moapi serves (`page`); operators import those that came through the
//! vendor's other channels, with their `source`. The public API lists a business's reviews,
//! newest first. The vendor's webhook events name nothing about reviews, so their writes emit
//! none.

pub mod input;
pub mod page;
pub mod store;
pub mod wire;

use axum::extract::State;
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::pagination::Page;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, Code, IdCodec, IdKind, Status};

use crate::access::{self, BusinessScope};
use crate::appointment::store::{self as appointments, AppointmentRow};
use crate::appointment::wire::AppointmentStatus;
use crate::wire::decode_unique;
use store::{ListQuery, NewReview, ReviewRow};
use wire::{ListReviewsRequest, ListReviewsResponse, ReviewSource};

pub const READ_SCOPE: &str = "reviews:read";

/// What a review is given; the staff and pets default to the appointment's, the review time
/// to the moment it is recorded.
#[derive(Debug, Clone)]
pub struct ReviewInput {
    pub source: ReviewSource,
    pub score: i64,
    pub content: String,
    pub review_at: Option<i64>,
    pub staff_ids: Option<Vec<i64>>,
    pub pet_ids: Option<Vec<i64>>,
}

fn appointment_not_found() -> Status {
    Status::not_found("appointment not found")
}

/// The appointment a review would be of: live (NOT_FOUND otherwise) and FINISHED
/// (FAILED_PRECONDITION otherwise: reviews open once the service is over).
pub fn reviewable(row: Option<AppointmentRow>) -> Result<AppointmentRow, Status> {
    let row = row
        .filter(|row| !row.is_deleted())
        .ok_or_else(appointment_not_found)?;
    let status = row.status();
    if status != AppointmentStatus::Finished {
        return Err(Status::new(
            Code::FailedPrecondition,
            format!(
                "the appointment is {}: only a FINISHED appointment can be reviewed",
                status.name()
            ),
        ));
    }
    Ok(row)
}

/// The refusal of a second review of an appointment.
pub fn already_reviewed() -> Status {
    Status::new(Code::AlreadyExists, "the appointment already has a review")
}

/// Records the review of a FINISHED appointment at `at`, in one transaction: refused when
/// the input is invalid (INVALID_ARGUMENT), the staff or pets named are not the business's or
/// the customer's (NOT_FOUND), the appointment is missing or not finished (see
/// [`reviewable`]), or already has a review (ALREADY_EXISTS).
pub async fn record(
    db: &mut Conn,
    ids: &IdCodec,
    appointment_id: i64,
    given: &ReviewInput,
    at: i64,
) -> Result<ReviewRow, Status> {
    let source = input::source(given.source)?;
    let score = input::score(given.score)?;
    let content = input::content(&given.content)?;
    let review_at = given.review_at.unwrap_or(at);
    if review_at > at {
        return Err(Status::invalid_argument(
            "reviewTime: a review cannot be later than now",
        ));
    }
    let _gate = db.write_gate().await;
    let mut tx = db.begin().await?;
    let appointment = reviewable(appointments::find(&mut tx, appointment_id).await?)?;
    let business = BusinessScope {
        company_id: appointment.company_id,
        business_id: appointment.business_id,
    };
    let (booked_staff, booked_pets) = store::participants(&mut tx, appointment.id).await?;
    let staff_ids = match &given.staff_ids {
        Some(named) => {
            input::check_staff(&mut tx, ids, business, named).await?;
            named.clone()
        }
        None => booked_staff.iter().map(|member| member.id).collect(),
    };
    let pet_ids = match &given.pet_ids {
        Some(named) => {
            input::check_pets(&mut tx, ids, appointment.customer_id, named).await?;
            named.clone()
        }
        None => booked_pets.iter().map(|pet| pet.id).collect(),
    };
    let review = NewReview {
        company_id: appointment.company_id,
        business_id: appointment.business_id,
        customer_id: appointment.customer_id,
        appointment_id: appointment.id,
        source,
        score,
        content,
        review_at,
        staff_ids,
        pet_ids,
    };
    let row = store::insert(&mut tx, &review, at)
        .await?
        .ok_or_else(already_reviewed)?;
    tx.commit().await?;
    Ok(row)
}

/// Lists a business's reviews, newest first (review time, then ID, descending), from the
/// sources and naming the staff the filter gives, when it gives some.
#[utoipa::path(post, path = "/v1/reviews:list", operation_id = "ReviewService_ListReviews",
    request_body = ListReviewsRequest,
    responses((status = 200, body = ListReviewsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_reviews(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListReviewsRequest>,
) -> Result<Json<ListReviewsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let filter = request.filter.unwrap_or_default();
    let sources = input::filter_sources(&filter.sources)?;
    let staff_ids = decode_unique(&state, IdKind::Staff, "filter.staffIds", &filter.staff_ids)?;
    let conn = db.get().await?;
    let business = access::business(
        conn,
        &state.ids,
        &principal,
        "businessId",
        &request.business_id,
    )
    .await?;
    let query = ListQuery {
        business_id: business.business_id,
        sources,
        staff_ids,
    };
    let mut rows = store::list(conn, &query, page).await?;
    let next_page_token = page.finish(&mut rows);
    let review_ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let people = store::people_of(conn, &review_ids).await?;
    Ok(Json(ListReviewsResponse {
        next_page_token,
        reviews: rows
            .iter()
            .map(|row| row.to_wire(&state.ids, &people))
            .collect(),
    }))
}
