//! Reports (ReportService): the report definitions moapi computes and their tables, summed
//! from live rows (orders, their line items, appointments and their services, customers,
//! membership bills) at request time, so a report always agrees with the lists of the rows it
//! counts. Days are the company's local days; amounts are exact sums in the rows' currency.

pub mod definitions;
pub mod input;
pub mod store;
pub mod table;
pub mod wire;

use axum::extract::State;
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::pagination::Page;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, Status};

use crate::{access, company};
use definitions::REPORTS;
use wire::{
    FetchReportDataRequest, FetchReportDataResponse, ListReportsRequest, ListReportsResponse,
    TableData,
};

pub const READ_SCOPE: &str = "reports:read";

/// Lists the reports a company can fetch: every report moapi computes.
#[utoipa::path(post, path = "/v1/reports:list", operation_id = "ReportService_ListReports",
    request_body = ListReportsRequest,
    responses((status = 200, body = ListReportsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_reports(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<ListReportsRequest>,
) -> Result<Json<ListReportsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    access::company(
        db.get().await?,
        &state.ids,
        &principal,
        request.company_id.as_deref(),
    )
    .await?;
    Ok(Json(ListReportsResponse {
        reports: REPORTS.iter().map(|report| report.to_wire()).collect(),
    }))
}

/// Computes a report over a period for some of a company's businesses (all those the key
/// reaches when it names none), grouped by the fields asked for or the report's default.
#[utoipa::path(post, path = "/v1/reports/data:fetch", operation_id = "ReportService_FetchReportData",
    request_body = FetchReportDataRequest,
    responses((status = 200, body = FetchReportDataResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn fetch_report_data(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    ProtoJson(request): ProtoJson<FetchReportDataRequest>,
) -> Result<Json<FetchReportDataResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let page = Page::from_request(request.pagination.as_ref())?;
    let condition = request
        .condition
        .ok_or_else(|| Status::invalid_argument("condition: value is required"))?;
    let report = definitions::find(&condition.id)?;
    let grouping = input::grouping(report, &condition.group_by_field_keys)?;
    let (start, end) = input::period(condition.query_period.as_ref())?;
    let conn = db.get().await?;
    let (owner, listed) = access::optionally_listed_businesses(
        conn,
        &state.ids,
        &principal,
        request.company_id.as_deref(),
        "businessIds",
        &request.business_ids,
    )
    .await?;
    let zone = company::zone_of(conn, owner.company_id).await?;
    let days = input::days(zone, start, end);
    let calendar = input::calendar(zone, start, end, &days);
    let businesses = store::businesses(conn, owner.company_id, listed.as_deref()).await?;
    let business_ids: Vec<i64> = businesses.iter().map(|(id, _)| *id).collect();
    let scope = store::Scope {
        company_id: owner.company_id,
        business_ids: &business_ids,
        limited: listed.is_some(),
        calendar: &calendar,
    };
    let cells = store::cells(conn, report.source, &scope, table::measures(report)).await?;
    let mut rows: Vec<_> = table::rows(report, &grouping, &days, &businesses, cells)
        .into_iter()
        .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
        .take(usize::try_from(page.fetch_limit()).unwrap_or(usize::MAX))
        .collect();
    let next_page_token = page.finish(&mut rows);
    Ok(Json(FetchReportDataResponse {
        next_page_token,
        table_data: TableData {
            rows,
            fields: table::fields(report, &grouping),
        },
    }))
}
