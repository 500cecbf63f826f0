//! Public pages: a public trip at `/p/trips/{slug}` rendered server-side from its row and its
//! config's block tree, a public catalog at `/p/catalogs/{catalogId}` listing its public trips,
//! both without authentication and with `?embed=true` for a frame-friendly view. Every view of
//! a trip page is counted (`views`), and `GET /trips/{tripId}/visualizations` reports the
//! counts to the trip's account. Trips and catalogs that are private, unknown or expired get an
//! HTML page saying so, never a hint of which.

mod content;
mod html;
mod page;
mod store;
mod views;
pub mod visualizations;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use moapi_core::db::Conn;
use moapi_core::time::now_micros;
use moapi_core::AppState;
use serde::Deserialize;

use self::content::TripContent;
use self::views::Visitor;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/p/trips/{slug}", get(trip_page))
        .route("/p/catalogs/{catalogId}", get(catalog_page))
        .route("/p", get(unknown_page))
        .route("/p/{*rest}", get(unknown_page))
        .route(
            "/trips/{tripId}/visualizations",
            get(visualizations::get_trip_visualizations),
        )
}

/// The public page of catalog `catalog_id`, under the deployment's base URL.
pub fn catalog_url(public_base_url: &str, catalog_id: i64) -> String {
    format!(
        "{}/p/catalogs/{catalog_id}",
        public_base_url.trim_end_matches('/')
    )
}

/// The public page of the trip with `slug`, under the deployment's base URL
/// (`MOAPI_PUBLIC_URL`), e.g. `https://trips.example/p/trips/paris-summer-abc123`.
pub fn trip_url(public_base_url: &str, slug: &str) -> String {
    format!("{}/p/trips/{slug}", public_base_url.trim_end_matches('/'))
}

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    embed: Option<String>,
    page: Option<String>,
}

/// The query of a page; an unreadable one is ignored, as browsers expect of a web page.
fn page_query(query: Result<Query<PageQuery>, QueryRejection>) -> PageQuery {
    query.map(|Query(query)| query).unwrap_or_default()
}

impl PageQuery {
    fn embed(&self) -> bool {
        matches!(self.embed.as_deref(), Some("true" | "1"))
    }
}

/// An HTML answer with the pages' security headers. Scripts, plugins, forms and foreign
/// styles are refused outright; images may come from anywhere on the web (the trips' own
/// pictures). A normal page may not be framed; an embedded one may be framed by any site.
fn html(status: StatusCode, body: String, embed: bool) -> Response {
    let frame_ancestors = if embed { "*" } else { "'none'" };
    let policy = format!(
        "default-src 'none'; img-src https: http:; style-src {}; base-uri 'none'; \
         form-action 'none'; frame-ancestors {frame_ancestors}",
        *page::STYLE_SOURCE
    );
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    let mut set = |name, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(header::CONTENT_TYPE, "text/html; charset=utf-8");
    set(header::CONTENT_SECURITY_POLICY, &policy);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    // Every view must reach the server to be counted.
    set(header::CACHE_CONTROL, "no-cache");
    if !embed {
        set(header::X_FRAME_OPTIONS, "DENY");
    }
    response
}

fn not_found(embed: bool) -> Response {
    let body = page::missing_page(
        "Page not found",
        "This trip or catalog does not exist or is not public.",
        embed,
    );
    html(StatusCode::NOT_FOUND, body, embed)
}

/// A page for a database failure: logged with its cause, shown without it.
fn unavailable(err: sqlx::Error, embed: bool) -> Response {
    tracing::error!(error = %err, "public page failed");
    let body = page::missing_page(
        "Page unavailable",
        "This page cannot be shown right now. Please try again in a moment.",
        embed,
    );
    html(StatusCode::INTERNAL_SERVER_ERROR, body, embed)
}

async fn trip_page(
    mut db: Conn,
    method: Method,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<PageQuery>, QueryRejection>,
    visitor: Visitor,
) -> Response {
    let query = page_query(query);
    let embed = query.embed();
    // A segment that is not UTF-8, or holds a NUL (no stored slug can), names no trip.
    let Some(slug) = path
        .ok()
        .map(|Path(slug)| slug)
        .filter(|slug| !slug.contains('\0'))
    else {
        return not_found(embed);
    };
    let conn = match db.get().await {
        Ok(conn) => conn,
        Err(err) => return unavailable(err, embed),
    };
    let trip = match store::find_public_trip(conn, &slug).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(embed),
        Err(err) => return unavailable(err, embed),
    };
    if trip
        .fields
        .date_expiration
        .is_some_and(|expiration| expiration <= now_micros())
    {
        let body = page::missing_page(
            "This offer has expired",
            "The trip is no longer offered. Please contact the travel agency for current offers.",
            embed,
        );
        return html(StatusCode::GONE, body, embed);
    }
    // HEAD requests (link checkers, previews) are not views.
    if method == Method::GET {
        if let Err(err) = views::record(conn, trip.id, &visitor).await {
            // A lost count must not cost the visitor the page.
            tracing::warn!(error = %err, trip_id = trip.id, "page view not recorded");
        }
    }
    let config = match store::trip_config(conn, trip.id).await {
        Ok(Some(config)) => config,
        // Deleted since it was read.
        Ok(None) => return not_found(embed),
        Err(err) => return unavailable(err, embed),
    };
    let page = page::trip_page(&trip, &TripContent::new(&config), embed);
    html(StatusCode::OK, page, embed)
}

async fn catalog_page(
    mut db: Conn,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Response {
    let query = page_query(query);
    let embed = query.embed();
    let catalog_id = path.ok().and_then(|Path(id)| id.parse::<i64>().ok());
    let Some(catalog_id) = catalog_id.filter(|id| *id > 0) else {
        return not_found(embed);
    };
    let conn = match db.get().await {
        Ok(conn) => conn,
        Err(err) => return unavailable(err, embed),
    };
    let catalog = match store::find_public_catalog(conn, catalog_id).await {
        Ok(Some(catalog)) => catalog,
        Ok(None) => return not_found(embed),
        Err(err) => return unavailable(err, embed),
    };
    let requested = query
        .page
        .as_deref()
        .and_then(|page| page.parse::<u64>().ok())
        .filter(|page| (1..=1_000_000).contains(page))
        .unwrap_or(1);
    let size = page::CATALOG_PAGE_SIZE;
    let (trips, total) =
        match store::catalog_trips(conn, catalog_id, now_micros(), requested, size).await {
            Ok(found) => found,
            Err(err) => return unavailable(err, embed),
        };
    let total_pages = total.div_ceil(size).max(1);
    let body = page::catalog_page(&catalog, &trips, requested, total_pages, embed);
    html(StatusCode::OK, body, embed)
}

async fn unknown_page(query: Result<Query<PageQuery>, QueryRejection>) -> Response {
    not_found(page_query(query).embed())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trip_urls_join_the_base_and_the_slug() {
        assert_eq!(
            trip_url("https://trips.example/", "paris-abc123"),
            "https://trips.example/p/trips/paris-abc123"
        );
        assert_eq!(
            trip_url("http://127.0.0.1:8080", "x"),
            "http://127.0.0.1:8080/p/trips/x"
        );
    }
}
