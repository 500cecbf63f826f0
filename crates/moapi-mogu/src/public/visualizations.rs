//! `GET /trips/{tripId}/visualizations`: how often the trip's public page was viewed. The
//! reference's shape (`tripId`, `totalCount`, `data[].viewedAt`) is kept and extended: views
//! are counted per UTC day and visitor, never one row per view, so `data` holds one entry per
//! day (newest first, paged and filterable like every MOGU list) with its views and unique
//! visitors, `viewedAt` being the day's last view.

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query};
use axum::Json;
use moapi_core::auth::MoguPrincipal;
use moapi_core::db::Conn;
use moapi_core::time::iso_millis;
use moapi_core::MoguError;
use serde::Serialize;
use utoipa::ToSchema;

use super::store::{self, DailyViews, VISUALIZATION_SPEC};
use crate::trip::wire::ValidationErrors;
use crate::trip::{list_request, path_trip_id, trip_not_found};

/// Views of a trip's public page.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = TripVisualizations)]
pub struct TripVisualizations {
    #[schema(example = 12345)]
    pub trip_id: i64,
    /// Page views over the days selected (every day without `filters`).
    #[schema(example = 42)]
    pub total_count: i64,
    /// Unique visitors of each day, summed over the days selected.
    #[schema(example = 17)]
    pub unique_visitors: i64,
    /// The last view over the days selected; null before the first view.
    #[schema(format = DateTime, example = "2025-02-01T09:12:00.000Z")]
    pub last_viewed_at: Option<String>,
    /// One entry per UTC day with views, newest first by default.
    pub data: Vec<DailyVisualizations>,
    pub page: u64,
    pub page_size: u64,
    /// Days with views among those selected.
    pub total_days: i64,
    pub total_pages: u64,
}

/// The views of one UTC day.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DailyVisualizations {
    /// The UTC day, `YYYY-MM-DD`.
    #[schema(format = Date, example = "2025-02-01")]
    pub date: String,
    /// The day's last view.
    #[schema(format = DateTime, example = "2025-02-01T09:12:00.000Z")]
    pub viewed_at: String,
    #[schema(example = 5)]
    pub views: i64,
    /// Distinct visitors that day (a visitor is a salted hash of address and browser).
    #[schema(example = 3)]
    pub unique_visitors: i64,
}

impl From<DailyViews> for DailyVisualizations {
    fn from(day: DailyViews) -> Self {
        DailyVisualizations {
            date: day.day,
            viewed_at: iso_millis(day.last_viewed_at),
            views: day.views,
            unique_visitors: day.unique_visitors,
        }
    }
}

#[utoipa::path(
    get,
    path = "/trips/{tripId}/visualizations",
    tag = "trips",
    operation_id = "getTripVisualizations",
    description = "Views of the trip's public page (`/p/trips/{slug}`): totals, and per UTC day the views, unique visitors and last view. `filters` and `orderBy` take the field `date` (`YYYY-MM-DD`); totals cover the days the filters select.",
    params(
        ("tripId" = i64, Path, description = "Unique identifier of the trip", example = 12345),
        ("page" = Option<u64>, Query, description = "Page of days, from 1", example = 1),
        ("pageSize" = Option<u64>, Query, description = "Days per page: 1 to 100, default 20", example = 20),
        ("filters" = Option<String>, Query, description = "JSON array of {field: \"date\", operator, value}", example = r#"[{"field":"date","operator":"gte","value":"2025-02-01"}]"#),
        ("orderBy" = Option<String>, Query, description = "JSON object {field: \"date\", direction}; default date desc", example = r#"{"field":"date","direction":"asc"}"#),
    ),
    responses(
        (status = 200, description = "Visualizations of the trip", body = TripVisualizations),
        (status = 400, description = "Invalid tripId or query parameter", body = ValidationErrors),
        (status = 401, description = "Missing or invalid API key", body = ValidationErrors),
        (status = 404, description = "No such trip in the caller's account", body = ValidationErrors),
    )
)]
pub async fn get_trip_visualizations(
    principal: MoguPrincipal,
    mut db: Conn,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<TripVisualizations>, MoguError> {
    let conn = db.get().await?;
    let trip_id = path_trip_id(path)?;
    let request = list_request(query, &VISUALIZATION_SPEC)?;
    if !store::account_has_trip(conn, principal.account_id, trip_id).await? {
        return Err(trip_not_found());
    }
    let (totals, days) = store::trip_views(conn, trip_id, &request).await?;
    let envelope = request.envelope(days, totals.days);
    Ok(Json(TripVisualizations {
        trip_id,
        total_count: totals.views,
        unique_visitors: totals.unique_visitors,
        last_viewed_at: totals.last_viewed_at.map(iso_millis),
        data: envelope.data.into_iter().map(Into::into).collect(),
        page: envelope.page,
        page_size: envelope.page_size,
        total_days: totals.days,
        total_pages: envelope.total_pages,
    }))
}
