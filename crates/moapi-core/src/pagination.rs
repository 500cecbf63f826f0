//! MoeGo list pagination: `pagination{pageSize 1..500, pageToken}` in, `nextPageToken` out.
//! Tokens are page numbers written as strings ("1" or none is the first page), because the
//! vendor's own example script counts pages that way; `""` marks the last page.
//!
//! A page number alone would make page N cost an OFFSET over N-1 pages. Lists ordered by
//! ascending ID use [`CursorPage`] instead: serving page N remembers, in the database, the ID its
//! last row had as the start of page N+1 for the same caller and query, and a request for page
//! N+1 continues after that ID (keyset) when the memo exists, falling back to OFFSET when not.
//! Only pages at least [`CURSOR_MIN_OFFSET`] rows deep leave a cursor.

use std::sync::atomic::{AtomicI64, Ordering};

use sea_query::{Alias, Expr, SelectStatement};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use crate::db::Conn;
use crate::error::Status;
use crate::time::now_micros;
use crate::wire::opt_int32;

pub const MAX_PAGE_SIZE: i32 = 500;

/// `moego.common.v1.Pagination`.
#[derive(Debug, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = v1Pagination)]
pub struct Pagination {
    #[serde(default, alias = "page_size", with = "opt_int32")]
    pub page_size: Option<i32>,
    #[serde(default, alias = "page_token")]
    pub page_token: Option<String>,
}

/// A validated page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub number: i64,
    pub size: i64,
}

impl Page {
    /// Validates the request's pagination, which the vendor requires on these lists.
    pub fn from_request(pagination: Option<&Pagination>) -> Result<Page, Status> {
        let pagination =
            pagination.ok_or_else(|| Status::invalid_argument("pagination: value is required"))?;
        let size = pagination.page_size.unwrap_or(0);
        if !(1..=MAX_PAGE_SIZE).contains(&size) {
            return Err(Status::invalid_argument(format!(
                "pagination.pageSize: value must be inside range [1, {MAX_PAGE_SIZE}], got {size}"
            )));
        }
        let number = match pagination.page_token.as_deref().map(str::trim) {
            None | Some("") => 1,
            Some(token) => token
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=1_000_000_000).contains(n) && token.len() <= 64)
                .ok_or_else(|| {
                    Status::invalid_argument(format!(
                        "pagination.pageToken: invalid page token {token:?}; use a nextPageToken from a previous response"
                    ))
                })?,
        };
        Ok(Page {
            number,
            size: i64::from(size),
        })
    }

    /// As [`Page::from_request`] where the vendor makes pagination optional: without it,
    /// the first page of the largest size.
    pub fn from_optional(pagination: Option<&Pagination>) -> Result<Page, Status> {
        match pagination {
            Some(_) => Page::from_request(pagination),
            None => Ok(Page {
                number: 1,
                size: i64::from(MAX_PAGE_SIZE),
            }),
        }
    }

    pub fn offset(&self) -> i64 {
        (self.number - 1) * self.size
    }

    /// One row more than the page holds, to learn whether another page follows.
    pub fn fetch_limit(&self) -> i64 {
        self.size + 1
    }

    /// Trims the look-ahead row and returns the next token: the next page number, or "".
    pub fn finish<T>(&self, rows: &mut Vec<T>) -> String {
        if rows.len() as i64 > self.size {
            rows.truncate(self.size as usize);
            (self.number + 1).to_string()
        } else {
            String::new()
        }
    }
}

/// How long a page cursor is kept after it was last written. Its loss only costs speed (the
/// page falls back to OFFSET), so a day covers any client paging through a list.
const CURSOR_LIFETIME_MICROS: i64 = 24 * 3600 * 1_000_000;
/// How often one process purges expired cursors; the schedule is local housekeeping, the
/// cursors themselves live in the database.
const PURGE_INTERVAL_MICROS: i64 = 60 * 1_000_000;
static LAST_PURGE_MICROS: AtomicI64 = AtomicI64::new(0);
/// Pages whose OFFSET skips fewer rows than this are read by OFFSET and leave no cursor: an
/// index skips 1,000 entries in well under a millisecond.
pub const CURSOR_MIN_OFFSET: i64 = 1000;

/// Where a page of an ID-ordered list begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStart {
    /// Right after this ID: the cursor remembered when the previous page was served.
    AfterId(i64),
    /// After skipping this many rows: no cursor is remembered for this page.
    Offset(i64),
}

/// A page of a list ordered by ascending ID, started from the remembered cursor when one
/// exists. The token stays the page number either way.
#[derive(Debug, Clone)]
pub struct CursorPage {
    pub page: Page,
    pub start: PageStart,
    query_hash: String,
}

impl CursorPage {
    /// Looks up where `page` starts for this query. `query` identifies the list, the caller
    /// and the normalised filter (two requests that must see the same sequence give the same
    /// parts); the page size is added here, since page boundaries depend on it.
    pub async fn open(
        conn: &mut AnyConnection,
        page: Page,
        query: &[&str],
    ) -> Result<CursorPage, sqlx::Error> {
        let mut hasher = Sha256::new();
        for part in query {
            hasher.update(part.as_bytes());
            hasher.update([0x1f]);
        }
        hasher.update(page.size.to_string().as_bytes());
        let query_hash = hex::encode(&hasher.finalize()[..16]);
        let remembered: Option<(i64,)> = if page.number == 1 {
            None
        } else {
            sqlx::query_as("SELECT after_id FROM page_cursors WHERE query_hash = $1 AND page = $2")
                .bind(&query_hash)
                .bind(page.number)
                .fetch_optional(&mut *conn)
                .await?
        };
        let start = match remembered {
            Some((after_id,)) => PageStart::AfterId(after_id),
            None => PageStart::Offset(page.offset()),
        };
        Ok(CursorPage {
            page,
            start,
            query_hash,
        })
    }

    /// Limits `select` (already ordered by `id_column` ascending) to this page plus one
    /// look-ahead row, starting after the cursor or at the offset.
    pub fn restrict(&self, select: &mut SelectStatement, id_column: &str) {
        select.limit(self.page.fetch_limit() as u64);
        match self.start {
            PageStart::AfterId(after_id) => {
                select.and_where(Expr::col(Alias::new(id_column)).gt(after_id));
            }
            PageStart::Offset(0) => {}
            PageStart::Offset(offset) => {
                select.offset(offset as u64);
            }
        }
    }

    /// Trims the look-ahead row and returns the next token: the next page number, or "".
    pub fn finish<T>(&self, rows: &mut Vec<T>) -> String {
        self.page.finish(rows)
    }

    /// Remembers that the next page starts after `last_id`, the last row of this page, when
    /// skipping to it by OFFSET would cost: shallow pages are read by OFFSET, which keeps
    /// a write (on SQLite, a reset of every connection's page cache) off the common first page.
    /// On SQLite it waits for the write gate first, giving the request's connection back.
    pub async fn remember_next_start(
        &self,
        db: &mut Conn,
        last_id: i64,
    ) -> Result<(), sqlx::Error> {
        if self.page.number * self.page.size < CURSOR_MIN_OFFSET {
            return Ok(());
        }
        let _gate = db.write_gate().await;
        let conn = db.get().await?;
        let now = now_micros();
        sqlx::query(
            "INSERT INTO page_cursors (query_hash, page, after_id, written_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (query_hash, page) \
             DO UPDATE SET after_id = excluded.after_id, written_at = excluded.written_at",
        )
        .bind(&self.query_hash)
        .bind(self.page.number + 1)
        .bind(last_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        let last_purge = LAST_PURGE_MICROS.load(Ordering::Relaxed);
        if now - last_purge >= PURGE_INTERVAL_MICROS
            && LAST_PURGE_MICROS
                .compare_exchange(last_purge, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            sqlx::query("DELETE FROM page_cursors WHERE written_at < $1")
                .bind(now - CURSOR_LIFETIME_MICROS)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(size: Option<i32>, token: Option<&str>) -> Result<Page, Status> {
        Page::from_request(Some(&Pagination {
            page_size: size,
            page_token: token.map(str::to_string),
        }))
    }

    #[test]
    fn tokens_are_page_numbers() {
        assert_eq!(
            page(Some(10), None).unwrap(),
            Page {
                number: 1,
                size: 10
            }
        );
        assert_eq!(page(Some(10), Some("1")).unwrap().offset(), 0);
        assert_eq!(page(Some(10), Some("3")).unwrap().offset(), 20);
        for bad in [
            page(Some(0), None),
            page(Some(501), None),
            page(None, None),
            page(Some(5), Some("0")),
            page(Some(5), Some("x")),
        ] {
            assert_eq!(bad.unwrap_err().code(), crate::Code::InvalidArgument);
        }
        assert!(Page::from_request(None).is_err());
        let p = page(Some(2), None).unwrap();
        let mut rows = vec![1, 2, 3];
        assert_eq!(p.finish(&mut rows), "2");
        assert_eq!(rows, vec![1, 2]);
        assert_eq!(p.finish(&mut rows), "");
    }

    fn restricted(start: PageStart) -> String {
        let page = CursorPage {
            page: page(Some(10), Some("3")).unwrap(),
            start,
            query_hash: String::new(),
        };
        let mut select = sea_query::Query::select();
        select.column(Alias::new("id")).from(Alias::new("t"));
        page.restrict(&mut select, "id");
        crate::db::build(&select).0
    }

    #[test]
    fn a_remembered_cursor_replaces_the_offset() {
        assert_eq!(
            restricted(PageStart::AfterId(42)),
            r#"SELECT "id" FROM "t" WHERE "id" > $1 LIMIT $2"#
        );
        assert_eq!(
            restricted(PageStart::Offset(20)),
            r#"SELECT "id" FROM "t" LIMIT $1 OFFSET $2"#
        );
    }
}
