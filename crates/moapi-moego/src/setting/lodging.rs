//! Lodgings (SettingService ListLodgings): each business's lodging types (suites, kennels,
//! play areas) with the units of each that can be booked. Operators create them; the API
//! lists them all at once (the vendor's request has no pagination).

use axum::extract::State;
use axum::Json;
use moapi_core::auth::MoegoPrincipal;
use moapi_core::db::Conn;
use moapi_core::wire::ProtoJson;
use moapi_core::{AppState, IdCodec, IdKind, Status};
use sea_query::{Alias, Expr, Order, Query};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::ToSchema;

use super::READ_SCOPE;
use crate::access;
use crate::wire::proto_enum;
use crate::wire::PathId;
use moapi_core::db::{build, query_as_with};

proto_enum!(
    /// `v1LodgingUnitType`: whether a unit is a room (one booking at a time) or an area.
    LodgingUnitType as v1LodgingUnitType { Unspecified = "LODGING_UNIT_TYPE_UNSPECIFIED", Room = "ROOM", Area = "AREA" }
);

/// `v1LodgingType`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1LodgingType)]
pub struct LodgingType {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub photo_list: Vec<String>,
    #[serde(skip_serializing_if = "crate::wire::is_zero_i32")]
    pub max_pet_num: i32,
    #[serde(skip_serializing_if = "LodgingUnitType::is_unspecified")]
    pub lodging_unit_type: LodgingUnitType,
}

/// `v1LodgingUnit`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1LodgingUnit)]
pub struct LodgingUnit {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// `v1Lodging`: a type with its units.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Lodging)]
pub struct Lodging {
    pub lodging_type: LodgingType,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lodging_units: Vec<LodgingUnit>,
}

/// `SettingServiceListLodgingsBody`: empty.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(as = SettingServiceListLodgingsBody)]
pub struct ListLodgingsBody {}

/// `v1ListLodgingsResponse`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1ListLodgingsResponse)]
pub struct ListLodgingsResponse {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lodgings: Vec<Lodging>,
}

#[derive(Debug, sqlx::FromRow)]
struct LodgingTypeRow {
    id: i64,
    name: String,
    description: String,
    photo_list: String,
    max_pet_num: i64,
    unit_type: String,
}

#[derive(Debug, sqlx::FromRow)]
struct LodgingUnitRow {
    id: i64,
    lodging_type_id: i64,
    name: String,
}

/// A company's lodging types by ID (of `businesses` only, when given) with their units.
pub async fn list(
    conn: &mut AnyConnection,
    ids: &IdCodec,
    company_id: i64,
    businesses: Option<&[i64]>,
) -> Result<Vec<Lodging>, sqlx::Error> {
    let mut select = Query::select();
    select
        .columns(
            [
                "id",
                "name",
                "description",
                "photo_list",
                "max_pet_num",
                "unit_type",
            ]
            .map(Alias::new),
        )
        .from(Alias::new("moego_lodging_types"))
        .and_where(Expr::col(Alias::new("company_id")).eq(company_id))
        .order_by(Alias::new("id"), Order::Asc);
    if let Some(businesses) = businesses {
        select.and_where(Expr::col(Alias::new("business_id")).is_in(businesses.iter().copied()));
    }
    let (sql, values) = build(&select);
    let types: Vec<LodgingTypeRow> = query_as_with(&sql, values).fetch_all(&mut *conn).await?;
    let units: Vec<LodgingUnitRow> = sqlx::query_as(
        "SELECT id, lodging_type_id, name FROM moego_lodging_units WHERE company_id = $1 \
         ORDER BY id",
    )
    .bind(company_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(types
        .into_iter()
        .map(|row| Lodging {
            lodging_units: units
                .iter()
                .filter(|unit| unit.lodging_type_id == row.id)
                .map(|unit| LodgingUnit {
                    id: ids.encode(IdKind::LodgingUnit, unit.id),
                    name: unit.name.clone(),
                })
                .collect(),
            lodging_type: LodgingType {
                id: ids.encode(IdKind::Lodging, row.id),
                name: row.name,
                description: row.description,
                photo_list: serde_json::from_str(&row.photo_list).unwrap_or_default(),
                max_pet_num: i32::try_from(row.max_pet_num).unwrap_or(i32::MAX),
                lodging_unit_type: LodgingUnitType::from_name(&row.unit_type),
            },
        })
        .collect())
}

/// Lists the company's lodging types with their units; a key of some businesses sees theirs.
#[utoipa::path(post, path = "/v1/setting/companies/{companyId}/lodgings", operation_id = "SettingService_ListLodgings",
    params(("companyId" = String, Path, description = "Company ID (cmp_...)")),
    request_body = ListLodgingsBody,
    responses((status = 200, body = ListLodgingsResponse), (status = "default", body = moapi_core::error::StatusBody)))]
pub async fn list_lodgings(
    State(state): State<AppState>,
    principal: MoegoPrincipal,
    mut db: Conn,
    PathId(company_id): PathId,
    ProtoJson(_empty): ProtoJson<ListLodgingsBody>,
) -> Result<Json<ListLodgingsResponse>, Status> {
    principal.require_scope(READ_SCOPE)?;
    let conn = db.get().await?;
    let owner = access::company(conn, &state.ids, &principal, Some(&company_id)).await?;
    let lodgings = list(
        conn,
        &state.ids,
        owner.company_id,
        access::business_subset(&principal).as_deref(),
    )
    .await?;
    Ok(Json(ListLodgingsResponse { lodgings }))
}
