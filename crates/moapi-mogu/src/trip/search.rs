//! Title search: the word index of trip titles in `mogu_trip_terms` (see
//! `moapi_core::word_index`), written with the trips in their transaction, and the list query
//! that answers a title search from it. The words' copies of the trip's other columns are kept
//! equal to the trip's by a database trigger (migration 0008), so only a title change needs
//! this module.

use moapi_core::db::{build, query_as_with, query_with};
use moapi_core::query::ListRequest;
use moapi_core::word_index::{word_rows, WordIndex, PREVIOUS_TERM_COLUMN, TERM_COLUMN};
use sea_query::{
    Alias, Asterisk, Condition, Expr, Func, Iden, Query, SelectStatement, SimpleExpr,
    SubQueryStatement, Value,
};
use sqlx::{AnyConnection, Connection};

use super::store::{page_in_order, select_trip_columns, MoguTrips, NewTrip, StoredTrip, LIST_SPEC};

/// The columns a word row copies from its trip, under the same names.
const CARRIED: &[&str] = &[
    "duration",
    "date_start",
    "date_finish",
    "date_expiration",
    "countries",
    "is_public",
    "is_template",
    "created_at",
    "updated_at",
];

/// The word index of trip titles.
pub const TITLE_WORDS: WordIndex = WordIndex {
    table: "mogu_trip_terms",
    owner_column: "trip_id",
    field: "title",
    carried: CARRIED,
};

/// Sort columns the trips table has an `(account_id, column, id)`-led index for, so that a
/// page in that order can stop after its last row.
const WALKABLE_SORTS: &[&str] = &["created_at", "date_start", "updated_at"];

/// Word rows per statement (thirteen parameters each): few, as SQLite binds `$N` parameters at
/// a cost growing with the square of their number (see `store::TRIPS_PER_STATEMENT`).
const WORD_ROWS_PER_STATEMENT: usize = 15;

#[derive(Iden)]
enum MoguTripTerms {
    Table,
    AccountId,
    TripId,
}

fn words_table() -> Alias {
    Alias::new(TITLE_WORDS.table)
}

/// Writes the words of each `(trip ID, title)`, copying the other columns from the trip row
/// (which must exist), in the caller's transaction: one statement per word, each reading one
/// trip by its primary key, which no planner can turn into a scan.
pub(super) async fn insert_title_words(
    conn: &mut AnyConnection,
    trips: &[(i64, &str)],
) -> Result<(), sqlx::Error> {
    let carried = CARRIED.join(", ");
    let sql = format!(
        "INSERT INTO mogu_trip_terms (account_id, {TERM_COLUMN}, trip_id, {PREVIOUS_TERM_COLUMN}, \
         {carried}) SELECT account_id, $1, id, $2, {carried} FROM mogu_trips WHERE id = $3"
    );
    for (trip_id, title) in trips {
        for (term, previous) in word_rows(title) {
            sqlx::query(&sql)
                .bind(term)
                .bind(previous)
                .bind(trip_id)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// Writes the words of trips just inserted in bulk, each given with its ID, account, fields
/// and creation instant (also its last update), in the caller's transaction. The copied
/// columns come from the same values the trip rows were written with, in multi-row inserts.
pub(super) async fn insert_new_title_words(
    conn: &mut AnyConnection,
    account_id: i64,
    trips: &[(i64, &NewTrip, i64)],
) -> Result<(), sqlx::Error> {
    let rows: Vec<Vec<SimpleExpr>> = trips
        .iter()
        .flat_map(|(trip_id, trip, created_at)| {
            let copied: Vec<Value> = trip
                .columns()
                .into_iter()
                .filter(|(column, _)| CARRIED.contains(&column.to_string().as_str()))
                .map(|(_, value)| value)
                .chain([(*created_at).into(), (*created_at).into()])
                .collect();
            word_rows(&trip.title)
                .into_iter()
                .map(move |(term, previous)| {
                    [
                        account_id.into(),
                        term.into(),
                        (*trip_id).into(),
                        previous.into(),
                    ]
                    .into_iter()
                    .chain(copied.iter().cloned())
                    .map(SimpleExpr::from)
                    .collect()
                })
        })
        .collect();
    for chunk in rows.chunks(WORD_ROWS_PER_STATEMENT) {
        let mut insert = Query::insert();
        insert.into_table(words_table()).columns(
            ["account_id", TERM_COLUMN, "trip_id", PREVIOUS_TERM_COLUMN]
                .into_iter()
                .chain(CARRIED.iter().copied())
                .map(Alias::new),
        );
        for row in chunk {
            insert.values_panic(row.iter().cloned());
        }
        let (sql, values) = build(&insert);
        query_with(&sql, values).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Rewrites the words of each `(trip ID, title)` in the caller's transaction.
pub(super) async fn replace_title_words(
    conn: &mut AnyConnection,
    trips: &[(i64, &str)],
) -> Result<(), sqlx::Error> {
    let delete = Query::delete()
        .from_table(MoguTripTerms::Table)
        .and_where(Expr::col(MoguTripTerms::TripId).is_in(trips.iter().map(|(id, _)| *id)))
        .to_owned();
    let (sql, values) = build(&delete);
    query_with(&sql, values).execute(&mut *conn).await?;
    insert_title_words(conn, trips).await
}

/// Indexes the titles of trips created before the index existed (listed by migration 0008),
/// a batch per transaction; several nodes may run it at once, each trip is taken by one.
/// Returns how many trips it indexed.
pub async fn index_backlog(conn: &mut AnyConnection) -> Result<u64, sqlx::Error> {
    const BATCH: i64 = 500;
    let mut indexed = 0;
    loop {
        let mut tx = conn.begin().await?;
        let taken: Vec<(i64,)> = sqlx::query_as(
            "DELETE FROM mogu_trip_terms_backlog WHERE trip_id IN \
             (SELECT trip_id FROM mogu_trip_terms_backlog ORDER BY trip_id LIMIT $1) \
             RETURNING trip_id",
        )
        .bind(BATCH)
        .fetch_all(&mut *tx)
        .await?;
        if taken.is_empty() {
            return Ok(indexed);
        }
        let select = Query::select()
            .columns([MoguTrips::Id, MoguTrips::Title])
            .from(MoguTrips::Table)
            .and_where(Expr::col(MoguTrips::Id).is_in(taken.iter().map(|(id,)| *id)))
            .to_owned();
        let (sql, values) = build(&select);
        let titles: Vec<(i64, String)> = query_as_with(&sql, values).fetch_all(&mut *tx).await?;
        let trips: Vec<(i64, &str)> = titles.iter().map(|(id, t)| (*id, t.as_str())).collect();
        replace_title_words(&mut tx, &trips).await?;
        tx.commit().await?;
        indexed += trips.len() as u64;
    }
}

/// How many word rows meet `words`, and how many trip codes the account has issued: these bound
/// the account's trips, and with the count they estimate how far a walk in order goes before
/// the page is full.
fn count_with_trips_issued(account_id: i64, words: Condition) -> SelectStatement {
    let issued = Query::select()
        .column(Alias::new("trip_seq"))
        .from(Alias::new("mogu_accounts"))
        .and_where(Expr::col((Alias::new("mogu_accounts"), Alias::new("id"))).eq(account_id))
        .to_owned();
    Query::select()
        .expr(Func::count(Expr::col(Asterisk)))
        .expr(SimpleExpr::SubQuery(
            None,
            Box::new(SubQueryStatement::SelectStatement(issued)),
        ))
        .from(MoguTripTerms::Table)
        .cond_where(words)
        .to_owned()
}

/// Answers a list request that searches the title alone and filters only on copied columns
/// from the word index: the exact count reads word rows only, and the page either walks the
/// account's trips in order (when matches are common enough that the page ends soon) or takes
/// the page's IDs from the sorted matches (when they are rare). `None` for other requests.
///
/// List statements are not kept prepared (`persistent(false)`): PostgreSQL would soon plan a
/// kept statement once for any account, as if every account were of average size, and walk
/// a 100,000-trip account by the wrong index (docs/performance.md).
pub(super) async fn list_searched_trips(
    conn: &mut AnyConnection,
    account_id: i64,
    request: &ListRequest,
) -> Result<Option<(Vec<StoredTrip>, i64)>, sqlx::Error> {
    let Some(words) = request.index_only_condition(&LIST_SPEC, &TITLE_WORDS) else {
        return Ok(None);
    };
    let words =
        words.add(Expr::col((MoguTripTerms::Table, MoguTripTerms::AccountId)).eq(account_id));
    let count = count_with_trips_issued(account_id, words.clone());
    let (sql, values) = build(&count);
    let (total, issued): (i64, Option<i64>) = query_as_with(&sql, values)
        .persistent(false)
        .fetch_one(&mut *conn)
        .await?;
    let page_end = request.offset() + request.page_size;
    if total == 0 || request.offset() >= total as u64 {
        return Ok(Some((Vec::new(), total)));
    }
    let (sort_column, order) = request.sort();
    let walk = WALKABLE_SORTS.contains(&sort_column)
        && u128::from(page_end) * issued.unwrap_or(0).max(0) as u128
            <= (total as u128) * (total as u128);
    let page = if walk || !CARRIED.contains(&sort_column) {
        let condition = request.indexed_condition(&LIST_SPEC, &TITLE_WORDS);
        page_in_order(account_id, request, condition)
    } else {
        let owner = || Expr::col((MoguTripTerms::Table, MoguTripTerms::TripId));
        let mut ids = Query::select();
        ids.expr(owner())
            .from(MoguTripTerms::Table)
            .cond_where(words)
            .order_by((words_table(), Alias::new(sort_column)), order.clone())
            .order_by((MoguTripTerms::Table, MoguTripTerms::TripId), order);
        request.window(&mut ids);
        // The IDs are the account's already: the outer select needs no account condition,
        // which would tempt the planner to walk the account's trips instead.
        let mut page = select_trip_columns();
        page.and_where(Expr::col((MoguTrips::Table, MoguTrips::Id)).in_subquery(ids));
        request.order(&LIST_SPEC, &mut page);
        page
    };
    let (sql, values) = build(&page);
    let trips = query_as_with(&sql, values)
        .persistent(false)
        .fetch_all(&mut *conn)
        .await?;
    Ok(Some((trips, total)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(pairs: &[(&str, &str)]) -> ListRequest {
        let params: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (String::from(*k), String::from(*v)))
            .collect();
        moapi_core::query::parse(&params, &LIST_SPEC).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn a_filtered_title_search_is_counted_from_word_rows_alone() {
        let request = request(&[
            (
                "filters",
                r#"[{"field":"duration","operator":"gte","value":5},{"field":"countries","operator":"contains","value":"FRA"}]"#,
            ),
            ("search", r#"{"fields":["title"],"term":"Paris"}"#),
        ]);
        let words = request
            .index_only_condition(&LIST_SPEC, &TITLE_WORDS)
            .expect("title search with carried filters");
        let (sql, values) = build(&count_with_trips_issued(1, words));
        assert!(sql.contains(r#"FROM "mogu_trip_terms""#), "{sql}");
        assert!(!sql.contains("mogu_trips"), "no trip row is read: {sql}");
        let values = format!("{values:?}");
        assert!(
            values.contains(r#""paris""#) && values.contains(r#""parit""#),
            "{values}"
        );
    }

    #[test]
    fn searches_beyond_the_copied_columns_use_the_trips() {
        for pairs in [
            vec![
                (
                    "filters",
                    r#"[{"field":"code","operator":"eq","value":"TRIP-001"}]"#,
                ),
                ("search", r#"{"fields":["title"],"term":"paris"}"#),
            ],
            vec![("search", r#"{"fields":["title","slug"],"term":"paris"}"#)],
            vec![(
                "filters",
                r#"[{"field":"duration","operator":"gte","value":5}]"#,
            )],
        ] {
            assert!(
                request(&pairs)
                    .index_only_condition(&LIST_SPEC, &TITLE_WORDS)
                    .is_none(),
                "{pairs:?}"
            );
        }
    }
}
