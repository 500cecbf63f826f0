//! MOGU's list language: `page`, `pageSize`, and JSON `filters` / `search` / `orderBy` query
//! parameters, validated against a per-resource whitelist and compiled to parameterised SQL
//! through sea-query (values are always bound, never spliced).

use sea_query::{
    Alias, Asterisk, Condition, Expr, Func, LikeExpr, Order, Query, SelectStatement, SimpleExpr,
};
use serde::Serialize;
use serde_json::Value as Json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow};

use crate::db::{build, query_as_with};
use crate::error::{MoguError, MoguValidation};
use crate::time::parse_instant;

pub const DEFAULT_PAGE_SIZE: u64 = 20;
pub const MAX_PAGE_SIZE: u64 = 100;
const MAX_PAGE: u64 = 1_000_000;
const MAX_FILTERS: usize = 20;
const MAX_IN_VALUES: usize = 100;
const MAX_TERM_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Integer,
    Text,
    /// An instant, written as ISO-8601 and stored as microseconds.
    Instant,
    /// A calendar day, written and stored as `YYYY-MM-DD` text (which sorts like the days).
    Date,
    /// A boolean stored as 0/1.
    Flag,
    /// A JSON array of strings; `contains` tests membership.
    TextList,
}

/// One field a resource exposes to the list language.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub column: &'static str,
    pub ty: FieldType,
    pub filter: bool,
    pub search: bool,
    pub sort: bool,
}

/// A resource's list contract: its table, fields and default order.
pub struct ListSpec {
    pub table: &'static str,
    pub fields: &'static [Field],
    pub default_sort: (&'static str, Order),
    pub id_column: &'static str,
}

/// A validated list request.
pub struct ListRequest {
    pub page: u64,
    pub page_size: u64,
    pub condition: Condition,
    pub(crate) sort: (&'static str, Order),
    /// The filters alone, without the search.
    pub(crate) filter_condition: Condition,
    /// The validated filter objects, kept to compile them again over another table (a word
    /// index carrying the filtered columns, see [`crate::word_index`]).
    pub(crate) filters: Vec<Json>,
    pub(crate) search: Option<Search>,
}

/// A validated `search`: the fields it looks in and its trimmed, non-empty term.
pub(crate) struct Search {
    pub fields: Vec<&'static Field>,
    pub term: String,
}

impl ListRequest {
    /// Adds this request's filter, order and page window to a select over the spec's table.
    pub fn apply(&self, spec: &ListSpec, select: &mut SelectStatement) {
        select.cond_where(self.condition.clone());
        self.order(spec, select);
        self.window(select);
    }

    /// Orders a select over the spec's table by the requested column, then by ID.
    pub fn order(&self, spec: &ListSpec, select: &mut SelectStatement) {
        let (column, order) = &self.sort;
        select
            .order_by((Alias::new(spec.table), Alias::new(*column)), order.clone())
            .order_by(
                (Alias::new(spec.table), Alias::new(spec.id_column)),
                order.clone(),
            );
    }

    /// Limits a select to the requested page.
    pub fn window(&self, select: &mut SelectStatement) {
        select.limit(self.page_size).offset(self.offset());
    }

    /// How many matching rows come before the requested page.
    pub fn offset(&self) -> u64 {
        (self.page - 1) * self.page_size
    }

    /// The column the request sorts by and its direction.
    pub fn sort(&self) -> (&'static str, Order) {
        self.sort.clone()
    }

    /// One page of the rows of `select` (a select over the spec's table) within `scope` that
    /// match this request, and how many match in all.
    pub async fn fetch_page<T>(
        &self,
        conn: &mut AnyConnection,
        spec: &ListSpec,
        scope: Condition,
        mut select: SelectStatement,
    ) -> Result<(Vec<T>, i64), sqlx::Error>
    where
        T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
    {
        let count = Query::select()
            .expr(Func::count(Expr::col(Asterisk)))
            .from(Alias::new(spec.table))
            .cond_where(scope.clone())
            .cond_where(self.condition.clone())
            .to_owned();
        let (sql, values) = build(&count);
        let (total,): (i64,) = query_as_with(&sql, values).fetch_one(&mut *conn).await?;
        select.cond_where(scope);
        self.apply(spec, &mut select);
        let (sql, values) = build(&select);
        let rows = query_as_with(&sql, values).fetch_all(&mut *conn).await?;
        Ok((rows, total))
    }

    pub fn envelope<T>(&self, data: Vec<T>, total_count: i64) -> Paginated<T> {
        let total_count = total_count.max(0) as u64;
        Paginated {
            data,
            page: self.page,
            page_size: self.page_size,
            total_count,
            total_pages: total_count.div_ceil(self.page_size),
        }
    }
}

/// MOGU's list envelope.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Paginated<T> {
    pub data: Vec<T>,
    pub page: u64,
    pub page_size: u64,
    pub total_count: u64,
    pub total_pages: u64,
}

fn param<'a>(params: &'a [(String, String)], names: &[&str]) -> Option<&'a str> {
    params
        .iter()
        .find(|(key, _)| names.contains(&key.as_str()))
        .map(|(_, value)| value.as_str())
}

fn parse_bounded(raw: Option<&str>, default: u64, max: u64) -> Result<u64, String> {
    match raw.map(str::trim) {
        None | Some("") => Ok(default),
        Some(text) => text
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| format!("must be an integer between 1 and {max}")),
    }
}

/// Parses and validates a list request's query parameters.
pub fn parse(params: &[(String, String)], spec: &ListSpec) -> Result<ListRequest, MoguError> {
    let mut nul = MoguValidation::default();
    for (name, value) in params {
        if value.contains('\0') {
            nul.add(name, "must not contain the NUL character (U+0000)");
        }
    }
    nul.finish()?;
    let mut errors = MoguValidation::default();
    let page = parse_bounded(param(params, &["page"]), 1, MAX_PAGE).unwrap_or_else(|msg| {
        errors.add("page", msg);
        1
    });
    let page_size = parse_bounded(
        param(params, &["pageSize", "page_size"]),
        DEFAULT_PAGE_SIZE,
        MAX_PAGE_SIZE,
    )
    .unwrap_or_else(|msg| {
        errors.add("pageSize", msg);
        DEFAULT_PAGE_SIZE
    });
    let mut filter_condition = Condition::all();
    let mut filters = Vec::new();
    if let Some(raw) = param(params, &["filters"]) {
        match compile_filters(raw, spec) {
            Ok((compiled, items)) => {
                filter_condition = compiled;
                filters = items;
            }
            Err(messages) => messages.into_iter().for_each(|m| errors.add("filters", m)),
        }
    }
    let mut condition = filter_condition.clone();
    let mut search = None;
    if let Some(raw) = param(params, &["search"]) {
        match parse_search(raw, spec) {
            Ok(Some(parsed)) => {
                condition = condition.add(parsed.substring_condition(spec.table));
                search = Some(parsed);
            }
            Ok(None) => {}
            Err(message) => errors.add("search", message),
        }
    }
    let sort = match param(params, &["orderBy", "order_by"]) {
        None => spec.default_sort.clone(),
        Some(raw) => compile_order(raw, spec).unwrap_or_else(|message| {
            errors.add("orderBy", message);
            spec.default_sort.clone()
        }),
    };
    errors.finish()?;
    Ok(ListRequest {
        page,
        page_size,
        condition,
        sort,
        filter_condition,
        filters,
        search,
    })
}

fn parse_json(raw: &str, what: &str) -> Result<Json, String> {
    if raw.len() > 16 * 1024 {
        return Err(format!("{what} is too long"));
    }
    let json: Json =
        serde_json::from_str(raw).map_err(|err| format!("{what} must be valid JSON: {err}"))?;
    match crate::wire::nul_in(&json) {
        None => Ok(json),
        Some(_) => Err(format!(
            "{what} must not contain the NUL character (U+0000)"
        )),
    }
}

fn names_where(spec: &ListSpec, keep: impl Fn(&Field) -> bool) -> String {
    spec.fields
        .iter()
        .filter(|f| keep(f))
        .map(|f| f.name)
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn column(table: &str, field: &Field) -> Expr {
    Expr::col((Alias::new(table), Alias::new(field.column)))
}

/// LIKE's escape character. Not a backslash: sea-query writes that as PostgreSQL's `E'\\'`,
/// which SQLite rejects, while `'!'` reads the same on both.
const LIKE_ESCAPE: char = '!';

fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | LIKE_ESCAPE) {
            escaped.push(LIKE_ESCAPE);
        }
        escaped.push(c);
    }
    escaped
}

pub fn like_pattern(fragment: &str) -> LikeExpr {
    LikeExpr::new(format!("%{}%", escape_like(fragment))).escape(LIKE_ESCAPE)
}

/// The filters' condition over the spec's table, and the filter objects it was compiled from.
fn compile_filters(raw: &str, spec: &ListSpec) -> Result<(Condition, Vec<Json>), Vec<String>> {
    let json = parse_json(raw, "filters").map_err(|m| vec![m])?;
    let items = match json {
        Json::Array(items) => items,
        object @ Json::Object(_) => vec![object],
        _ => {
            return Err(vec![
                "filters must be a JSON array of {field, operator, value}".into(),
            ])
        }
    };
    if items.len() > MAX_FILTERS {
        return Err(vec![format!("at most {MAX_FILTERS} filters are allowed")]);
    }
    let mut condition = Condition::all();
    let mut messages = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match compile_filter(item, spec, spec.table) {
            Ok(expr) => condition = condition.add(expr),
            Err(message) => messages.push(format!("filters[{index}]: {message}")),
        }
    }
    if messages.is_empty() {
        Ok((condition, items))
    } else {
        Err(messages)
    }
}

/// The field a filter object names, if the spec lets it filter.
pub(crate) fn filter_field(item: &Json, spec: &ListSpec) -> Option<&'static Field> {
    let name = item.get("field").and_then(Json::as_str)?;
    spec.fields.iter().find(|f| f.name == name && f.filter)
}

/// One filter object as a condition on `table`, which holds the spec's columns.
pub(crate) fn compile_filter(
    item: &Json,
    spec: &ListSpec,
    table: &str,
) -> Result<SimpleExpr, String> {
    let object = item
        .as_object()
        .ok_or("each filter must be an object {field, operator, value}")?;
    let name = object
        .get("field")
        .and_then(Json::as_str)
        .ok_or("field is required")?;
    let field = spec
        .fields
        .iter()
        .find(|f| f.name == name && f.filter)
        .ok_or_else(|| {
            format!(
                "cannot filter by {name:?}; filterable fields: {}",
                names_where(spec, |f| f.filter)
            )
        })?;
    let operator = object
        .get("operator")
        .and_then(Json::as_str)
        .ok_or("operator is required (eq, neq, gt, gte, lt, lte, in, contains)")?;
    let value = object.get("value").ok_or("value is required")?;
    let col = column(table, field);
    let ordered = matches!(
        field.ty,
        FieldType::Integer | FieldType::Instant | FieldType::Text | FieldType::Date
    );
    Ok(match (operator, value) {
        ("eq", Json::Null) => col.is_null(),
        ("neq", Json::Null) => col.is_not_null(),
        ("eq", v) if field.ty == FieldType::TextList => list_contains(col, field, v)?,
        ("neq", v) if field.ty == FieldType::TextList => list_contains(col, field, v)?.not(),
        ("eq", v) => col.eq(scalar(field, v)?),
        ("neq", v) => col.ne(scalar(field, v)?),
        ("gt", v) if ordered => col.gt(scalar(field, v)?),
        ("gte", v) if ordered => col.gte(scalar(field, v)?),
        ("lt", v) if ordered => col.lt(scalar(field, v)?),
        ("lte", v) if ordered => col.lte(scalar(field, v)?),
        ("gt" | "gte" | "lt" | "lte", _) => {
            return Err(format!("operator {operator} does not apply to {name}"))
        }
        ("in", Json::Array(values)) if field.ty != FieldType::TextList => {
            if values.is_empty() || values.len() > MAX_IN_VALUES {
                return Err(format!("in takes between 1 and {MAX_IN_VALUES} values"));
            }
            let values = values
                .iter()
                .map(|v| scalar(field, v))
                .collect::<Result<Vec<_>, _>>()?;
            col.is_in(values)
        }
        ("in", _) => return Err(format!("in takes a JSON array of values for {name}")),
        ("contains", v) if field.ty == FieldType::TextList => list_contains(col, field, v)?,
        ("contains", Json::String(text)) if field.ty == FieldType::Text => {
            Expr::expr(Func::lower(col)).like(like_pattern(&text.to_lowercase()))
        }
        ("contains", _) => {
            return Err(format!(
                "contains takes a string and applies to text fields, not {name}"
            ))
        }
        _ => {
            return Err(format!(
                "unknown operator {operator:?}; use eq, neq, gt, gte, lt, lte, in or contains"
            ))
        }
    })
}

fn list_contains(col: Expr, field: &Field, value: &Json) -> Result<SimpleExpr, String> {
    let item = value
        .as_str()
        .ok_or_else(|| format!("{} takes a string value", field.name))?;
    // Lists are stored as JSON text: an element appears as its quoted JSON string.
    let quoted = serde_json::to_string(item).map_err(|e| e.to_string())?;
    Ok(col.like(like_pattern(&quoted)))
}

fn scalar(field: &Field, value: &Json) -> Result<sea_query::Value, String> {
    let wrong = |expected: &str| format!("{} takes {expected}, got {value}", field.name);
    match field.ty {
        FieldType::Integer => value
            .as_i64()
            .map(Into::into)
            .ok_or_else(|| wrong("an integer")),
        FieldType::Text | FieldType::TextList => value
            .as_str()
            .map(|s| s.to_string().into())
            .ok_or_else(|| wrong("a string")),
        FieldType::Instant => value
            .as_str()
            .and_then(parse_instant)
            .map(Into::into)
            .ok_or_else(|| wrong("an ISO-8601 date-time such as 2025-07-15T00:00:00.000Z")),
        FieldType::Date => value
            .as_str()
            .filter(|day| chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok())
            .map(|day| day.to_string().into())
            .ok_or_else(|| wrong("a date such as 2025-07-15")),
        FieldType::Flag => value
            .as_bool()
            .map(|b| i64::from(b).into())
            .ok_or_else(|| wrong("true or false")),
    }
}

fn parse_search(raw: &str, spec: &ListSpec) -> Result<Option<Search>, String> {
    let json = parse_json(raw, "search")?;
    let object = json
        .as_object()
        .ok_or("search must be a JSON object {fields, term}")?;
    let term = match object.get("term") {
        Some(Json::String(term)) => term.trim(),
        Some(_) => return Err("search.term must be a string".into()),
        None => return Err("search.term is required".into()),
    };
    if term.chars().count() > MAX_TERM_CHARS {
        return Err(format!(
            "search.term is longer than {MAX_TERM_CHARS} characters"
        ));
    }
    let searchable = names_where(spec, |f| f.search);
    let names: Vec<&str> = match object.get("fields") {
        None => spec
            .fields
            .iter()
            .filter(|f| f.search)
            .map(|f| f.name)
            .collect(),
        Some(Json::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|item| item.as_str().ok_or("search.fields must be strings"))
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(format!(
                "search.fields must be a non-empty array of: {searchable}"
            ))
        }
    };
    let fields = names
        .into_iter()
        .map(|name| {
            spec.fields
                .iter()
                .find(|f| f.name == name && f.search)
                .ok_or_else(|| format!("cannot search {name:?}; searchable fields: {searchable}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((!term.is_empty()).then(|| Search {
        fields,
        term: term.to_string(),
    }))
}

impl Search {
    /// A case-insensitive substring match of the term in `field`'s column of `table`.
    pub(crate) fn substring_match(&self, table: &str, field: &Field) -> SimpleExpr {
        Expr::expr(Func::lower(column(table, field))).like(like_pattern(&self.term.to_lowercase()))
    }

    /// The term as a substring of any of the fields.
    fn substring_condition(&self, table: &str) -> Condition {
        self.fields.iter().fold(Condition::any(), |any, field| {
            any.add(self.substring_match(table, field))
        })
    }
}

fn compile_order(raw: &str, spec: &ListSpec) -> Result<(&'static str, Order), String> {
    let json = parse_json(raw, "orderBy")?;
    let object = json
        .as_object()
        .ok_or("orderBy must be a JSON object {field, direction}")?;
    let name = object
        .get("field")
        .and_then(Json::as_str)
        .ok_or("orderBy.field is required")?;
    let field = spec
        .fields
        .iter()
        .find(|f| f.name == name && f.sort)
        .ok_or_else(|| {
            format!(
                "cannot sort by {name:?}; sortable fields: {}",
                names_where(spec, |f| f.sort)
            )
        })?;
    let order = match object.get("direction") {
        None | Some(Json::Null) => Order::Asc,
        Some(Json::String(d)) if d.eq_ignore_ascii_case("asc") => Order::Asc,
        Some(Json::String(d)) if d.eq_ignore_ascii_case("desc") => Order::Desc,
        Some(other) => {
            return Err(format!(
                "orderBy.direction must be \"asc\" or \"desc\", got {other}"
            ))
        }
    };
    Ok((field.column, order))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &[Field] = &[
        Field {
            name: "title",
            column: "title",
            ty: FieldType::Text,
            filter: true,
            search: true,
            sort: true,
        },
        Field {
            name: "duration",
            column: "duration",
            ty: FieldType::Integer,
            filter: true,
            search: false,
            sort: true,
        },
        Field {
            name: "countries",
            column: "countries",
            ty: FieldType::TextList,
            filter: true,
            search: false,
            sort: false,
        },
        Field {
            name: "createdAt",
            column: "created_at",
            ty: FieldType::Instant,
            filter: true,
            search: false,
            sort: true,
        },
    ];
    const SPEC: ListSpec = ListSpec {
        table: "t",
        fields: FIELDS,
        default_sort: ("created_at", Order::Desc),
        id_column: "id",
    };

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn sql(pairs: &[(&str, &str)]) -> (String, sea_query::Values) {
        let request = parse(&params(pairs), &SPEC).unwrap_or_else(|e| panic!("{e:?}"));
        let mut select = Query::select();
        select.column(Asterisk).from(Alias::new("t"));
        request.apply(&SPEC, &mut select);
        crate::db::build(&select)
    }

    #[test]
    fn filters_search_and_order_compile_to_bound_sql() {
        let (text, values) = sql(&[
            (
                "filters",
                r#"[{"field":"duration","operator":"gte","value":5},{"field":"countries","operator":"contains","value":"FRA"}]"#,
            ),
            ("search", r#"{"fields":["title"],"term":"50%_off"}"#),
            ("orderBy", r#"{"field":"title","direction":"desc"}"#),
            ("page", "2"),
            ("pageSize", "10"),
        ]);
        assert!(
            !text.contains("FRA") && !text.contains("off"),
            "values are bound: {text}"
        );
        assert!(text.contains(r#"ORDER BY "t"."title" DESC"#), "{text}");
        assert!(
            text.contains("LIMIT $") && text.contains("OFFSET $"),
            "{text}"
        );
        let rendered = format!("{values:?}");
        assert!(rendered.contains(r#"%\"FRA\"%"#), "{rendered}");
        assert!(rendered.contains("%50!%!_off%"), "{rendered}");
        assert!(text.contains("ESCAPE '!'"), "{text}");
    }

    #[test]
    fn bad_parameters_are_named() {
        let cases = [
            (vec![("page", "0")], "page"),
            (vec![("pageSize", "101")], "pageSize"),
            (vec![("filters", "[{")], "filters"),
            (
                vec![(
                    "filters",
                    r#"[{"field":"secret","operator":"eq","value":1}]"#,
                )],
                "filters",
            ),
            (
                vec![(
                    "filters",
                    r#"[{"field":"duration","operator":"gte","value":"x"}]"#,
                )],
                "filters",
            ),
            (
                vec![(
                    "filters",
                    r#"[{"field":"duration","operator":"like","value":1}]"#,
                )],
                "filters",
            ),
            (
                vec![(
                    "filters",
                    r#"[{"field":"countries","operator":"gt","value":"FRA"}]"#,
                )],
                "filters",
            ),
            (
                vec![(
                    "filters",
                    r#"[{"field":"duration","operator":"in","value":[]}]"#,
                )],
                "filters",
            ),
            (
                vec![("search", r#"{"fields":["duration"],"term":"x"}"#)],
                "search",
            ),
            (vec![("orderBy", r#"{"field":"countries"}"#)], "orderBy"),
            (
                vec![("orderBy", r#"{"field":"title","direction":"up"}"#)],
                "orderBy",
            ),
        ];
        for (pairs, field) in cases {
            let err = parse(&params(&pairs), &SPEC)
                .err()
                .unwrap_or_else(|| panic!("{pairs:?} accepted"));
            let body = format!("{err:?}");
            assert!(body.contains(&format!("\"{field}\"")), "{pairs:?}: {body}");
        }
    }

    #[test]
    fn envelope_counts_pages() {
        let request = parse(&params(&[("pageSize", "20")]), &SPEC).unwrap();
        let envelope = request.envelope(vec![1], 150);
        assert_eq!((envelope.total_count, envelope.total_pages), (150, 8));
        assert_eq!(request.envelope(Vec::<u8>::new(), 0).total_pages, 0);
    }
}
