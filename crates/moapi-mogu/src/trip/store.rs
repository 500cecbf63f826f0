//! Trip storage in `mogu_trips`, always scoped to one account: an ID of another account's trip
//! behaves exactly like a missing one. Writes that touch several rows run in one transaction.
//! Instants are microseconds, flags 0/1 and countries a JSON array of strings.

use std::collections::HashSet;
use std::sync::LazyLock;

use moapi_core::db::{build, query_as_with, query_with};
use moapi_core::query::{Field, FieldType, ListRequest, ListSpec};
use moapi_core::time::now_micros;
use sea_query::{
    Alias, Asterisk, Condition, Expr, Func, Iden, Order, Query, SelectStatement, SimpleExpr, Value,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Connection, FromRow, Row};

use super::{codes, search};

#[derive(Iden, Clone, Copy)]
pub(super) enum MoguTrips {
    Table,
    Id,
    AccountId,
    AgentId,
    Title,
    Slug,
    JoinCode,
    Code,
    SeoDescription,
    Duration,
    DateStart,
    DateFinish,
    DateExpiration,
    Logo,
    CoverImage,
    Countries,
    IsPublic,
    IsTemplate,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden)]
enum MoguAgents {
    Table,
    Id,
    PictureUrl,
}

/// The fields of a trip its agent chooses; the server adds the ID, slug, join code, code and
/// timestamps. Values here are already valid.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewTrip {
    pub title: String,
    pub seo_description: Option<String>,
    pub duration: Option<i64>,
    /// Microseconds since the Unix epoch, like every instant below.
    pub date_start: Option<i64>,
    pub date_finish: Option<i64>,
    pub date_expiration: Option<i64>,
    pub countries: Vec<String>,
    pub logo: Option<String>,
    pub cover_image: Option<String>,
    pub is_public: bool,
    pub is_template: bool,
}

impl NewTrip {
    /// Each chosen field with its column, in one order for inserts and updates alike.
    pub(super) fn columns(&self) -> [(MoguTrips, Value); 11] {
        [
            (MoguTrips::Title, self.title.clone().into()),
            (
                MoguTrips::SeoDescription,
                self.seo_description.clone().into(),
            ),
            (MoguTrips::Duration, self.duration.into()),
            (MoguTrips::DateStart, self.date_start.into()),
            (MoguTrips::DateFinish, self.date_finish.into()),
            (MoguTrips::DateExpiration, self.date_expiration.into()),
            (
                MoguTrips::Countries,
                serde_json::Value::from(self.countries.clone())
                    .to_string()
                    .into(),
            ),
            (MoguTrips::Logo, self.logo.clone().into()),
            (MoguTrips::CoverImage, self.cover_image.clone().into()),
            (MoguTrips::IsPublic, i64::from(self.is_public).into()),
            (MoguTrips::IsTemplate, i64::from(self.is_template).into()),
        ]
    }
}

/// A trip as stored, with its agent's picture.
#[derive(Debug, Clone)]
pub struct StoredTrip {
    pub id: i64,
    pub slug: String,
    pub join_code: String,
    pub code: String,
    pub fields: NewTrip,
    pub created_at: i64,
    pub updated_at: i64,
    pub agent_picture_url: Option<String>,
}

impl FromRow<'_, AnyRow> for StoredTrip {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        let countries: String = row.try_get("countries")?;
        let countries =
            serde_json::from_str(&countries).map_err(|err| sqlx::Error::ColumnDecode {
                index: "countries".into(),
                source: Box::new(err),
            })?;
        Ok(StoredTrip {
            id: row.try_get("id")?,
            slug: row.try_get("slug")?,
            join_code: row.try_get("join_code")?,
            code: row.try_get("code")?,
            fields: NewTrip {
                title: row.try_get("title")?,
                seo_description: row.try_get("seo_description")?,
                duration: row.try_get("duration")?,
                date_start: row.try_get("date_start")?,
                date_finish: row.try_get("date_finish")?,
                date_expiration: row.try_get("date_expiration")?,
                countries,
                logo: row.try_get("logo")?,
                cover_image: row.try_get("cover_image")?,
                is_public: row.try_get::<i64, _>("is_public")? != 0,
                is_template: row.try_get::<i64, _>("is_template")? != 0,
            },
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
            agent_picture_url: row.try_get("agent_picture_url")?,
        })
    }
}

pub(crate) const fn field(name: &'static str, column: &'static str, ty: FieldType) -> Field {
    Field {
        name,
        column,
        ty,
        filter: true,
        search: false,
        sort: false,
    }
}

pub(crate) const fn searchable(field: Field) -> Field {
    Field {
        search: true,
        ..field
    }
}

pub(crate) const fn sortable(field: Field) -> Field {
    Field {
        sort: true,
        ..field
    }
}

/// What `GET /trips` may filter, search and sort by: every field but `seoDescription` filters.
pub const LIST_SPEC: ListSpec = ListSpec {
    table: "mogu_trips",
    fields: &[
        sortable(field("id", "id", FieldType::Integer)),
        sortable(searchable(field("title", "title", FieldType::Text))),
        searchable(field("slug", "slug", FieldType::Text)),
        sortable(searchable(field("code", "code", FieldType::Text))),
        field("joinCode", "join_code", FieldType::Text),
        Field {
            filter: false,
            ..searchable(field("seoDescription", "seo_description", FieldType::Text))
        },
        sortable(field("duration", "duration", FieldType::Integer)),
        sortable(field("dateStart", "date_start", FieldType::Instant)),
        sortable(field("dateFinish", "date_finish", FieldType::Instant)),
        sortable(field(
            "dateExpiration",
            "date_expiration",
            FieldType::Instant,
        )),
        field("countries", "countries", FieldType::TextList),
        field("isPublic", "is_public", FieldType::Flag),
        field("isTemplate", "is_template", FieldType::Flag),
        sortable(field("createdAt", "created_at", FieldType::Instant)),
        sortable(field("updatedAt", "updated_at", FieldType::Instant)),
    ],
    default_sort: ("created_at", Order::Desc),
    id_column: "id",
};

pub(super) fn of_account(account_id: i64) -> SimpleExpr {
    Expr::col((MoguTrips::Table, MoguTrips::AccountId)).eq(account_id)
}

fn with_id(trip_id: i64) -> SimpleExpr {
    Expr::col((MoguTrips::Table, MoguTrips::Id)).eq(trip_id)
}

/// The account's trips with every column [`StoredTrip`] reads.
pub(super) fn select_trips(account_id: i64) -> SelectStatement {
    select_trip_columns()
        .and_where(of_account(account_id))
        .to_owned()
}

/// Public trips of every account, with every column [`StoredTrip`] reads: what the public
/// pages may show.
pub fn select_public_trips() -> SelectStatement {
    select_trip_columns()
        .and_where(Expr::col((MoguTrips::Table, MoguTrips::IsPublic)).eq(1i64))
        .to_owned()
}

/// Every column [`StoredTrip`] reads, from all trips.
pub(super) fn select_trip_columns() -> SelectStatement {
    let columns = [
        MoguTrips::Id,
        MoguTrips::Slug,
        MoguTrips::JoinCode,
        MoguTrips::Code,
        MoguTrips::CreatedAt,
        MoguTrips::UpdatedAt,
    ];
    let fields = NewTrip::default().columns().map(|(column, _)| column);
    Query::select()
        .columns(
            columns
                .into_iter()
                .chain(fields)
                .map(|column| (MoguTrips::Table, column)),
        )
        .expr_as(
            Expr::col((MoguAgents::Table, MoguAgents::PictureUrl)),
            Alias::new("agent_picture_url"),
        )
        .from(MoguTrips::Table)
        .left_join(
            MoguAgents::Table,
            Expr::col((MoguAgents::Table, MoguAgents::Id))
                .equals((MoguTrips::Table, MoguTrips::AgentId)),
        )
        .to_owned()
}

/// Stores a new trip of `agent_id` and returns its ID. The account's next trip code is drawn
/// in the same transaction, so codes are never skipped or repeated.
pub async fn insert_trip(
    conn: &mut AnyConnection,
    account_id: i64,
    agent_id: i64,
    trip: &NewTrip,
) -> Result<i64, sqlx::Error> {
    insert_trip_in(conn, account_id, agent_id, trip).await
}

pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .is_some_and(|err| err.is_unique_violation())
}

/// Stores a new trip inside the caller's transaction (a savepoint of it), words included.
pub async fn insert_trip_in(
    conn: &mut AnyConnection,
    account_id: i64,
    agent_id: i64,
    trip: &NewTrip,
) -> Result<i64, sqlx::Error> {
    let ids = insert_trips(conn, account_id, agent_id, &[(trip.clone(), now_micros())]).await?;
    ids.first().copied().ok_or(sqlx::Error::RowNotFound)
}

/// The account's trip `trip_id`, if it has one.
pub async fn find_trip(
    conn: &mut AnyConnection,
    account_id: i64,
    trip_id: i64,
) -> Result<Option<StoredTrip>, sqlx::Error> {
    sqlx::query_as(&FIND_TRIP)
        .bind(account_id)
        .bind(trip_id)
        .fetch_optional(&mut *conn)
        .await
}

/// [`find_trip`]'s statement, rendered once: `$1` the account, `$2` the trip. Reading one trip
/// is the commonest request, and rendering its thirty-odd columns took a tenth of its time.
static FIND_TRIP: LazyLock<String> =
    LazyLock::new(|| build(&select_trips(0).and_where(with_id(0)).to_owned()).0);

/// Writes the fields that differ between `before` and `after` and bumps `updatedAt`; writing
/// only the changes keeps a concurrent update of other fields. A new title rewrites the trip's
/// words in the same transaction. `false` when the account has no such trip.
pub async fn update_trip(
    conn: &mut AnyConnection,
    account_id: i64,
    trip_id: i64,
    before: &NewTrip,
    after: &NewTrip,
) -> Result<bool, sqlx::Error> {
    let mut update = Query::update();
    update
        .table(MoguTrips::Table)
        .value(MoguTrips::UpdatedAt, now_micros())
        .and_where(of_account(account_id))
        .and_where(with_id(trip_id));
    for ((column, new), (_, old)) in after.columns().into_iter().zip(before.columns()) {
        if new != old {
            update.value(column, new);
        }
    }
    let (sql, values) = build(&update);
    let mut tx = conn.begin().await?;
    let done = query_with(&sql, values).execute(&mut *tx).await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    if after.title != before.title {
        search::replace_title_words(&mut tx, &[(trip_id, after.title.as_str())]).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Deletes those of `trip_ids` the account owns, in one statement (their words go with them),
/// and returns them in the order given.
pub async fn delete_trips(
    conn: &mut AnyConnection,
    account_id: i64,
    trip_ids: &[i64],
) -> Result<Vec<i64>, sqlx::Error> {
    let delete = Query::delete()
        .from_table(MoguTrips::Table)
        .and_where(of_account(account_id))
        .and_where(Expr::col((MoguTrips::Table, MoguTrips::Id)).is_in(trip_ids.iter().copied()))
        .returning_col(MoguTrips::Id)
        .to_owned();
    let (sql, values) = build(&delete);
    let rows: Vec<(i64,)> = query_as_with(&sql, values).fetch_all(&mut *conn).await?;
    let deleted: HashSet<i64> = rows.into_iter().map(|(id,)| id).collect();
    Ok(trip_ids
        .iter()
        .copied()
        .filter(|id| deleted.contains(id))
        .collect())
}

/// One page of the account's trips within `scope` (another resource's condition, such as
/// "in catalog X", or none) matching `request`, and how many match in all. A title search
/// goes through the title's word index ([`search`]).
pub async fn list_trips(
    conn: &mut AnyConnection,
    account_id: i64,
    scope: Condition,
    request: &ListRequest,
) -> Result<(Vec<StoredTrip>, i64), sqlx::Error> {
    if scope.is_empty() {
        if let Some(listed) = search::list_searched_trips(conn, account_id, request).await? {
            return Ok(listed);
        }
    }
    let condition = request.indexed_condition(&LIST_SPEC, &search::TITLE_WORDS);
    let count = Query::select()
        .expr(Func::count(Expr::col(Asterisk)))
        .from(MoguTrips::Table)
        .and_where(of_account(account_id))
        .cond_where(scope.clone())
        .cond_where(condition.clone())
        .to_owned();
    let (sql, values) = build(&count);
    // Planned for this account's values each time, as in `search::list_searched_trips`.
    let (total,): (i64,) = query_as_with(&sql, values)
        .persistent(false)
        .fetch_one(&mut *conn)
        .await?;
    let mut page = page_in_order(account_id, request, condition);
    page.cond_where(scope);
    let (sql, values) = build(&page);
    let trips = query_as_with(&sql, values)
        .persistent(false)
        .fetch_all(&mut *conn)
        .await?;
    Ok((trips, total))
}

/// The requested page of the account's trips matching `condition`, walking them in the
/// requested order.
pub(super) fn page_in_order(
    account_id: i64,
    request: &ListRequest,
    condition: Condition,
) -> SelectStatement {
    let mut page = select_trips(account_id);
    page.cond_where(condition);
    request.order(&LIST_SPEC, &mut page);
    request.window(&mut page);
    page
}

/// Trip rows per insert statement (eighteen parameters each). Small on purpose: SQLite finds a
/// `$N` parameter by a linear search, so binding costs grow with the square of a statement's
/// parameters, and ten rows already make the per-statement overhead small.
const TRIPS_PER_STATEMENT: usize = 10;

/// Stores many trips of `agent_id` at once, each with its creation instant, in one transaction
/// on `conn` (imports and `moapi bench` seeding, which tunes its connection for bulk writes):
/// multi-row inserts, codes drawn from the account's sequence in one step, words written
/// alongside. Returns the trips' IDs in the order given.
pub async fn insert_trips(
    conn: &mut AnyConnection,
    account_id: i64,
    agent_id: i64,
    trips: &[(NewTrip, i64)],
) -> Result<Vec<i64>, sqlx::Error> {
    const ATTEMPTS: u32 = 3;
    let mut attempt = 1;
    loop {
        match insert_trips_once(conn, account_id, agent_id, trips).await {
            // Among many random slugs and join codes one may meet an existing trip's.
            Err(err) if attempt < ATTEMPTS && is_unique_violation(&err) => attempt += 1,
            result => return result,
        }
    }
}

async fn insert_trips_once(
    conn: &mut AnyConnection,
    account_id: i64,
    agent_id: i64,
    trips: &[(NewTrip, i64)],
) -> Result<Vec<i64>, sqlx::Error> {
    let mut tx = conn.begin().await?;
    let (last,): (i64,) = sqlx::query_as(
        "UPDATE mogu_accounts SET trip_seq = trip_seq + $1 WHERE id = $2 RETURNING trip_seq",
    )
    .bind(trips.len() as i64)
    .bind(account_id)
    .fetch_one(&mut *tx)
    .await?;
    let first = last - trips.len() as i64 + 1;
    let codes: Vec<String> = (first..=last).map(codes::trip_code).collect();
    let mut ids = Vec::with_capacity(trips.len());
    for (chunk, chunk_codes) in trips
        .chunks(TRIPS_PER_STATEMENT)
        .zip(codes.chunks(TRIPS_PER_STATEMENT))
    {
        let mut insert = Query::insert();
        insert.into_table(MoguTrips::Table);
        for (n, ((trip, created_at), code)) in chunk.iter().zip(chunk_codes).enumerate() {
            let generated: [(MoguTrips, Value); 7] = [
                (MoguTrips::AccountId, account_id.into()),
                (MoguTrips::AgentId, agent_id.into()),
                (MoguTrips::Slug, codes::new_slug(&trip.title).into()),
                (MoguTrips::JoinCode, codes::new_join_code().into()),
                (MoguTrips::Code, code.clone().into()),
                (MoguTrips::CreatedAt, (*created_at).into()),
                (MoguTrips::UpdatedAt, (*created_at).into()),
            ];
            let (columns, values): (Vec<_>, Vec<_>) =
                generated.into_iter().chain(trip.columns()).unzip();
            if n == 0 {
                insert.columns(columns);
            }
            insert.values_panic(values.into_iter().map(SimpleExpr::from));
        }
        insert.returning(Query::returning().columns([MoguTrips::Id, MoguTrips::Code]));
        let (sql, values) = build(&insert);
        // RETURNING gives rows in no promised order: the code tells which trip each ID is.
        let returned: Vec<(i64, String)> = query_as_with(&sql, values).fetch_all(&mut *tx).await?;
        let by_code: std::collections::HashMap<&str, i64> = returned
            .iter()
            .map(|(id, code)| (code.as_str(), *id))
            .collect();
        let chunk_ids: Vec<i64> = chunk_codes
            .iter()
            .map(|code| by_code.get(code.as_str()).copied())
            .collect::<Option<_>>()
            .ok_or_else(|| sqlx::Error::Protocol("an inserted trip was not returned".into()))?;
        let inserted: Vec<(i64, &NewTrip, i64)> = chunk_ids
            .iter()
            .zip(chunk)
            .map(|(id, (trip, created_at))| (*id, trip, *created_at))
            .collect();
        search::insert_new_title_words(&mut tx, account_id, &inserted).await?;
        ids.extend(chunk_ids);
    }
    tx.commit().await?;
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_a_trip_binds_the_account_then_the_trip() {
        let (sql, values) = build(&select_trips(7).and_where(with_id(9)).to_owned());
        assert_eq!(sql, *FIND_TRIP);
        assert_eq!(
            values.0,
            vec![
                sea_query::Value::BigInt(Some(7)),
                sea_query::Value::BigInt(Some(9))
            ]
        );
    }
}
