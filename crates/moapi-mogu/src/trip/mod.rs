//! The trip resource: `GET/POST/DELETE /trips` and `GET/PATCH /trips/{tripId}`. Handlers are
//! thin: authenticate (401 comes before any validation), read the request, call `input` for
//! the rules and `store` for the rows, render `wire` types. Every failure, malformed path and
//! query string included, answers in MOGU's `{"errors":{field:[...]}}` form.

mod codes;
pub mod config;
pub(crate) mod countries;
pub(crate) mod input;
pub mod search;
pub mod store;
pub mod visibility;
pub mod wire;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use moapi_core::auth::MoguPrincipal;
use moapi_core::db::Conn;
use moapi_core::query::{ListRequest, ListSpec};
use moapi_core::wire::MoguJson;
use moapi_core::{AppState, MoguError};
use sea_query::Condition;
use sqlx::AnyConnection;

use self::store::StoredTrip;
use self::wire::{
    DeleteTripsRequest, DeletedTrips, PaginatedTrips, Trip, TripCreateRequest, TripListItem,
    TripUpdateRequest, ValidationErrors,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/trips",
            get(list_trips).post(create_trip).delete(delete_trips),
        )
        .route("/trips/{tripId}", get(get_trip).patch(update_trip))
        .merge(config::router())
        .merge(visibility::router())
}

/// Validates a new trip's fields, as `POST /trips` and the operator's fixtures both need.
pub fn new_trip(request: TripCreateRequest) -> Result<store::NewTrip, MoguError> {
    input::apply_changes(request.0, store::NewTrip::default())
}

/// The `tripId` of the path, read as text so that a bad one gets MOGU's error body.
pub(crate) fn path_trip_id(path: Result<Path<String>, PathRejection>) -> Result<i64, MoguError> {
    input::path_id("tripId", path)
}

/// The list parameters of a query string, validated against `spec`.
pub(crate) fn list_request(
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    spec: &ListSpec,
) -> Result<ListRequest, MoguError> {
    let Query(params) =
        query.map_err(|rejection| MoguError::invalid("query", rejection.body_text()))?;
    moapi_core::query::parse(&params, spec)
}

/// One page of the account's trips within `scope` (all of them, or those of a catalog) as
/// `GET /trips` lists them, for the list parameters of `query`.
pub(crate) async fn trip_page(
    conn: &mut AnyConnection,
    account_id: i64,
    scope: Condition,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<PaginatedTrips, MoguError> {
    let request = list_request(query, &store::LIST_SPEC)?;
    let (trips, total_count) = store::list_trips(conn, account_id, scope, &request).await?;
    let items = trips.into_iter().map(TripListItem::from).collect();
    Ok(request.envelope(items, total_count).into())
}

async fn find_trip(
    conn: &mut AnyConnection,
    account_id: i64,
    trip_id: i64,
) -> Result<StoredTrip, MoguError> {
    store::find_trip(conn, account_id, trip_id)
        .await?
        .ok_or_else(trip_not_found)
}

pub(crate) fn trip_not_found() -> MoguError {
    MoguError::not_found("tripId", "trip not found")
}

#[utoipa::path(
    get,
    path = "/trips",
    tag = "trips",
    operation_id = "getTrips",
    description = "Retrieve a paginated list of the account's trips with optional filtering, search and sorting.",
    params(
        ("page" = Option<u64>, Query, description = "Page number, from 1", example = 1),
        ("pageSize" = Option<u64>, Query, description = "Trips per page: 1 to 100, default 20", example = 20),
        ("filters" = Option<String>, Query, description = "JSON array of {field, operator, value}; operators eq, neq, gt, gte, lt, lte, in, contains", example = r#"[{"field":"duration","operator":"gte","value":5}]"#),
        ("orderBy" = Option<String>, Query, description = "JSON object {field, direction}; default createdAt desc", example = r#"{"field":"createdAt","direction":"desc"}"#),
        ("search" = Option<String>, Query, description = "JSON object {fields, term}; fields among title, slug, code, seoDescription", example = r#"{"fields":["title"],"term":"Paris"}"#),
    ),
    responses(
        (status = 200, description = "Successful response with paginated trips", body = PaginatedTrips),
        (status = 400, description = "Invalid query parameter", body = ValidationErrors),
        (status = 401, description = "Missing or invalid API key", body = ValidationErrors),
    )
)]
pub async fn list_trips(
    principal: MoguPrincipal,
    mut db: Conn,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<PaginatedTrips>, MoguError> {
    let conn = db.get().await?;
    let page = trip_page(conn, principal.account_id, Condition::all(), query).await?;
    Ok(Json(page))
}

#[utoipa::path(
    post,
    path = "/trips",
    tag = "trips",
    operation_id = "createTrip",
    description = "Create a new trip with the specified details. The server gives it a slug, a join code and the account's next trip code.",
    request_body = TripCreateRequest,
    responses(
        (status = 201, description = "Trip created successfully", body = Trip),
        (status = 400, description = "Validation error naming every bad field", body = ValidationErrors),
        (status = 401, description = "Missing or invalid API key", body = ValidationErrors),
    )
)]
pub async fn create_trip(
    principal: MoguPrincipal,
    mut db: Conn,
    MoguJson(request): MoguJson<TripCreateRequest>,
) -> Result<(StatusCode, Json<Trip>), MoguError> {
    let conn = db.get().await?;
    let fields = new_trip(request)?;
    let trip_id =
        store::insert_trip(conn, principal.account_id, principal.agent_id, &fields).await?;
    let trip = find_trip(conn, principal.account_id, trip_id).await?;
    Ok((StatusCode::CREATED, Json(trip.into())))
}

#[utoipa::path(
    get,
    path = "/trips/{tripId}",
    tag = "trips",
    operation_id = "getTripById",
    description = "Retrieve detailed information about a specific trip.",
    params(("tripId" = i64, Path, description = "Unique identifier of the trip", example = 12345)),
    responses(
        (status = 200, description = "The trip", body = Trip),
        (status = 400, description = "tripId is not a positive integer", body = ValidationErrors),
        (status = 401, description = "Missing or invalid API key", body = ValidationErrors),
        (status = 404, description = "No such trip in the caller's account", body = ValidationErrors),
    )
)]
pub async fn get_trip(
    principal: MoguPrincipal,
    mut db: Conn,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Trip>, MoguError> {
    let conn = db.get().await?;
    let trip_id = path_trip_id(path)?;
    let trip = find_trip(conn, principal.account_id, trip_id).await?;
    Ok(Json(trip.into()))
}

#[utoipa::path(
    patch,
    path = "/trips/{tripId}",
    tag = "trips",
    operation_id = "updateTrip",
    description = "Update some fields of a trip: an absent field keeps its value and null clears a nullable one.",
    params(("tripId" = i64, Path, description = "Unique identifier of the trip", example = 12345)),
    request_body = TripUpdateRequest,
    responses(
        (status = 200, description = "Updated trip", body = Trip),
        (status = 400, description = "Validation error naming every bad field", body = ValidationErrors),
        (status = 401, description = "Missing or invalid API key", body = ValidationErrors),
        (status = 404, description = "No such trip in the caller's account", body = ValidationErrors),
    )
)]
pub async fn update_trip(
    principal: MoguPrincipal,
    mut db: Conn,
    path: Result<Path<String>, PathRejection>,
    MoguJson(request): MoguJson<TripUpdateRequest>,
) -> Result<Json<Trip>, MoguError> {
    let conn = db.get().await?;
    let trip_id = path_trip_id(path)?;
    let account_id = principal.account_id;
    let before = find_trip(conn, account_id, trip_id).await?.fields;
    let after = input::apply_changes(request, before.clone())?;
    if !store::update_trip(conn, account_id, trip_id, &before, &after).await? {
        return Err(trip_not_found());
    }
    let trip = find_trip(conn, account_id, trip_id).await?;
    Ok(Json(trip.into()))
}

#[utoipa::path(
    delete,
    path = "/trips",
    tag = "trips",
    operation_id = "deleteTrip",
    description = "Delete up to 100 of the account's trips at once. Ids of missing or foreign trips are skipped; the response lists the trips deleted.",
    request_body = DeleteTripsRequest,
    responses(
        (status = 200, description = "Trips deleted", body = DeletedTrips),
        (status = 400, description = "tripId is not a list of 1 to 100 positive ids", body = ValidationErrors),
        (status = 401, description = "Missing or invalid API key", body = ValidationErrors),
    )
)]
pub async fn delete_trips(
    principal: MoguPrincipal,
    mut db: Conn,
    MoguJson(request): MoguJson<DeleteTripsRequest>,
) -> Result<Json<DeletedTrips>, MoguError> {
    let conn = db.get().await?;
    let trip_ids = input::trips_to_delete(request)?;
    let deleted = store::delete_trips(conn, principal.account_id, &trip_ids).await?;
    Ok(Json(DeletedTrips { deleted }))
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Method, Request};
    use serde_json::{json, Value};
    use tower::ServiceExt;

    use super::*;
    use crate::account::{create_account, create_agent};
    use crate::test_support::TestDb;

    /// Two accounts with an agent and a key each, and the router over them.
    struct Fixture {
        /// Keeps the database until the test ends.
        _db: TestDb,
        app: Router,
        key: String,
        other_key: String,
    }

    impl Fixture {
        async fn new() -> Fixture {
            let db = TestDb::new().await;
            let mut conn = db.state.db.conn();
            let conn = conn.get().await.unwrap();
            let mut keys = Vec::new();
            for (name, picture) in [
                ("Alpha", Some("https://cdn.example/ann.png")),
                ("Beta", None),
            ] {
                let account = create_account(conn, name).await.unwrap();
                let email = format!("agent@{name}.example");
                let agent = create_agent(conn, account, &email, name, picture)
                    .await
                    .unwrap();
                let key = moapi_core::auth::create_mogu_key(conn, name, agent)
                    .await
                    .unwrap();
                keys.push(key.secret);
            }
            let app = crate::router().with_state(db.state.clone());
            let other_key = keys.pop().unwrap();
            let key = keys.pop().unwrap();
            Fixture {
                _db: db,
                app,
                key,
                other_key,
            }
        }

        async fn call_as(
            &self,
            key: &str,
            method: Method,
            uri: &str,
            body: Option<Value>,
        ) -> (StatusCode, Value) {
            let mut request = Request::builder().method(method).uri(uri);
            if !key.is_empty() {
                request = request.header("authorization", format!("Bearer {key}"));
            }
            let body = body.map_or_else(Body::empty, |body| Body::from(body.to_string()));
            let response = self
                .app
                .clone()
                .oneshot(request.body(body).unwrap())
                .await
                .unwrap();
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            (
                status,
                serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            )
        }

        async fn call(
            &self,
            method: Method,
            uri: &str,
            body: Option<Value>,
        ) -> (StatusCode, Value) {
            self.call_as(&self.key, method, uri, body).await
        }

        async fn create(&self, body: Value) -> Value {
            let (status, trip) = self.call(Method::POST, "/trips", Some(body)).await;
            assert_eq!(status, StatusCode::CREATED, "{trip}");
            trip
        }
    }

    #[tokio::test]
    async fn a_created_trip_has_generated_codes_and_reads_back_the_same() {
        let fixture = Fixture::new().await;
        let trip = fixture
            .create(
                json!({"title": "Paris Summer Vacation", "duration": 7, "countries": ["fra"],
                           "dateStart": "2025-07-15T00:00:00Z", "unknown": true}),
            )
            .await;
        assert_eq!(trip["code"], "TRIP-001");
        assert!(trip["slug"]
            .as_str()
            .unwrap()
            .starts_with("paris-summer-vacation-"));
        assert_eq!(trip["joinCode"].as_str().unwrap().len(), 8);
        assert_eq!(trip["dateStart"], "2025-07-15T00:00:00.000Z");
        assert_eq!(trip["countries"], json!(["FRA"]));
        assert!(trip["dateFinish"].is_null() && trip["logo"].is_null());
        assert_eq!(trip["createdAt"], trip["updatedAt"]);
        let (status, read) = fixture
            .call(Method::GET, &format!("/trips/{}", trip["id"]), None)
            .await;
        assert_eq!((status, &read), (StatusCode::OK, &trip));
        assert_eq!(
            fixture.create(json!({"title": "Second"})).await["code"],
            "TRIP-002"
        );
        let (_, first_of_other) = fixture
            .call_as(
                &fixture.other_key,
                Method::POST,
                "/trips",
                Some(json!({"title": "Other"})),
            )
            .await;
        assert_eq!(first_of_other["code"], "TRIP-001");
    }

    #[tokio::test]
    async fn bad_bodies_are_named_in_mogu_errors() {
        let fixture = Fixture::new().await;
        let (status, body) = fixture
            .call(Method::POST, "/trips", Some(json!({"duration": -1})))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body,
            json!({"errors": {"title": ["title is required"], "duration": ["must be an integer between 0 and 3650"]}})
        );
        let (status, body) = fixture.call(Method::POST, "/trips", Some(json!([1]))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["body"].is_array(), "{body}");
    }

    #[tokio::test]
    async fn the_key_is_checked_before_anything_else() {
        let fixture = Fixture::new().await;
        for (method, uri) in [
            (Method::GET, "/trips"),
            (Method::POST, "/trips"),
            (Method::GET, "/trips/abc"),
        ] {
            let (status, body) = fixture.call_as("", method, uri, Some(json!([]))).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
            assert!(body["errors"]["authorization"].is_array(), "{body}");
        }
    }

    #[tokio::test]
    async fn trips_of_other_accounts_are_not_found_and_bad_ids_are_named() {
        let fixture = Fixture::new().await;
        let trip = fixture.create(json!({"title": "Mine"})).await;
        let uri = format!("/trips/{}", trip["id"]);
        let not_found = json!({"errors": {"tripId": ["trip not found"]}});
        for (method, body) in [
            (Method::GET, None),
            (Method::PATCH, Some(json!({"title": "Theirs"}))),
        ] {
            let (status, answer) = fixture
                .call_as(&fixture.other_key, method, &uri, body)
                .await;
            assert_eq!((status, answer), (StatusCode::NOT_FOUND, not_found.clone()));
        }
        assert_eq!(
            fixture.call(Method::GET, "/trips/999999", None).await.0,
            StatusCode::NOT_FOUND
        );
        for uri in ["/trips/abc", "/trips/0", "/trips/-4", "/trips/%FF"] {
            let (status, body) = fixture.call(Method::GET, uri, None).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
            assert_eq!(
                body,
                json!({"errors": {"tripId": ["must be a positive integer"]}})
            );
        }
    }

    #[tokio::test]
    async fn a_patch_changes_only_what_it_names() {
        let fixture = Fixture::new().await;
        let trip = fixture
            .create(json!({"title": "Rome", "duration": 4, "logo": "https://example.com/l.png",
                           "dateStart": "2025-07-15T00:00:00Z", "dateFinish": "2025-07-19T00:00:00Z"}))
            .await;
        let uri = format!("/trips/{}", trip["id"]);
        let (status, updated) = fixture
            .call(
                Method::PATCH,
                &uri,
                Some(json!({"title": "Roma", "logo": null, "isTemplate": true})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{updated}");
        assert_eq!(
            (&updated["title"], &updated["duration"]),
            (&json!("Roma"), &json!(4))
        );
        assert!(updated["logo"].is_null() && updated["isTemplate"] == json!(true));
        assert_eq!(
            (&updated["slug"], &updated["code"]),
            (&trip["slug"], &trip["code"])
        );
        assert!(updated["updatedAt"].as_str() >= trip["updatedAt"].as_str());
        let (status, body) = fixture
            .call(
                Method::PATCH,
                &uri,
                Some(json!({"dateFinish": "2025-07-01T00:00:00Z", "title": ""})),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body,
            json!({"errors": {"title": ["title is required"], "dateFinish": ["must not be before dateStart"]}})
        );
        let (_, unchanged) = fixture.call(Method::GET, &uri, None).await;
        assert_eq!(unchanged, updated);
    }

    #[tokio::test]
    async fn a_delete_removes_only_the_callers_trips_and_lists_them_in_request_order() {
        let fixture = Fixture::new().await;
        let mut ids = Vec::new();
        for title in ["One", "Two", "Three"] {
            ids.push(
                fixture.create(json!({"title": title})).await["id"]
                    .as_i64()
                    .unwrap(),
            );
        }
        let (_, foreign) = fixture
            .call_as(
                &fixture.other_key,
                Method::POST,
                "/trips",
                Some(json!({"title": "Foreign"})),
            )
            .await;
        let foreign = foreign["id"].as_i64().unwrap();
        let (status, body) = fixture
            .call(
                Method::DELETE,
                "/trips",
                Some(json!({"tripId": [ids[2], foreign, 999999, ids[0]]})),
            )
            .await;
        assert_eq!(
            (status, body),
            (StatusCode::OK, json!({"deleted": [ids[2], ids[0]]}))
        );
        let (status, body) = fixture
            .call(Method::DELETE, "/trips", Some(json!({"tripIds": ids[1]})))
            .await;
        assert_eq!(
            (status, body),
            (StatusCode::OK, json!({"deleted": [ids[1]]}))
        );
        let (status, _) = fixture
            .call_as(
                &fixture.other_key,
                Method::GET,
                &format!("/trips/{foreign}"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = fixture
            .call(Method::DELETE, "/trips", Some(json!({"tripId": []})))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["tripId"].is_array());
    }

    async fn create_three_trips(fixture: &Fixture) {
        for (title, duration, countries) in [
            ("Paris Summer", 7, json!(["FRA"])),
            ("Lisbon Weekend", 3, json!(["PRT"])),
            ("Paris and Brussels", 10, json!(["FRA", "BEL"])),
        ] {
            fixture
                .create(json!({"title": title, "duration": duration, "countries": countries}))
                .await;
        }
        fixture
            .call_as(
                &fixture.other_key,
                Method::POST,
                "/trips",
                Some(json!({"title": "Paris of Beta"})),
            )
            .await;
    }

    fn titles(page: &Value) -> Vec<&str> {
        let items = page["data"].as_array().unwrap_or_else(|| panic!("{page}"));
        items
            .iter()
            .map(|trip| trip["title"].as_str().unwrap())
            .collect()
    }

    #[tokio::test]
    async fn a_list_pages_filters_and_sorts_within_the_account() {
        let fixture = Fixture::new().await;
        create_three_trips(&fixture).await;
        let (status, page) = fixture.call(Method::GET, "/trips?pageSize=2", None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(
            titles(&page),
            ["Paris and Brussels", "Lisbon Weekend"],
            "newest first"
        );
        assert_eq!(
            (&page["page"], &page["totalCount"], &page["totalPages"]),
            (&json!(1), &json!(3), &json!(2))
        );
        assert_eq!(
            page["data"][0]["agentPictureUrl"],
            "https://cdn.example/ann.png"
        );
        let uri = format!(
            "/trips?filters={}&orderBy={}",
            encode(
                r#"[{"field":"duration","operator":"gte","value":5},{"field":"isPublic","operator":"eq","value":false}]"#
            ),
            encode(r#"{"field":"duration","direction":"asc"}"#)
        );
        let (_, page) = fixture.call(Method::GET, &uri, None).await;
        assert_eq!(titles(&page), ["Paris Summer", "Paris and Brussels"]);
        for (query, field) in [
            ("filters=%5B", "filters"),
            ("pageSize=101", "pageSize"),
            ("orderBy=%7B%7D", "orderBy"),
        ] {
            let (status, body) = fixture
                .call(Method::GET, &format!("/trips?{query}"), None)
                .await;
            assert_eq!(status, StatusCode::BAD_REQUEST);
            assert!(body["errors"][field].is_array(), "{body}");
        }
    }

    #[tokio::test]
    async fn a_list_searches_text_and_country_lists() {
        let fixture = Fixture::new().await;
        create_three_trips(&fixture).await;
        let search = encode(r#"{"fields":["title"],"term":"LISBON"}"#);
        let (_, page) = fixture
            .call(Method::GET, &format!("/trips?search={search}"), None)
            .await;
        assert_eq!(titles(&page), ["Lisbon Weekend"]);
        let filters = encode(r#"[{"field":"countries","operator":"contains","value":"BEL"}]"#);
        let (_, page) = fixture
            .call(Method::GET, &format!("/trips?filters={filters}"), None)
            .await;
        assert_eq!(titles(&page), ["Paris and Brussels"]);
    }

    fn encode(text: &str) -> String {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    char::from(b).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
}
