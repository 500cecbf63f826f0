//! MoeGo list pagination: `pagination{pageSize 1..500, pageToken}` in, `nextPageToken` out.
//! Tokens are page numbers written as strings ("1" or none is the first page), because the
//! vendor's own example script counts pages that way; `""` marks the last page.

use serde::Deserialize;

use crate::error::Status;
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
}
