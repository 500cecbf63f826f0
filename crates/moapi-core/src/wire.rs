//! Request bodies and protojson encodings. Bodies are read up to the configured limit and
//! parsed as JSON whatever the Content-Type says (an empty body is `{}`); unknown fields are
//! ignored, as the vendors' gateways do; a known field with a bad value is named in the error.
//! A body that stops arriving fails its read after `Config::body_timeout` (the server's
//! `RequestBodyTimeoutLayer`), which every reader answers with 408.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::{MoguError, Status};
use crate::AppState;

/// Why a body could not become the request type.
#[derive(Debug)]
pub struct BodyProblem {
    /// The field at fault (`pagination.pageSize`), if the problem is a field's.
    pub field: Option<String>,
    pub message: String,
    pub kind: ProblemKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// Not the JSON object the operation takes.
    Invalid,
    /// Over the size limit, or cut off.
    TooLarge,
    /// It stopped arriving before its end.
    TimedOut,
}

/// Reads a whole body of at most `limit` bytes.
pub async fn read_body(request: Request, limit: usize) -> Result<Bytes, BodyProblem> {
    axum::body::to_bytes(request.into_body(), limit)
        .await
        .map_err(|err| {
            if body_timed_out(&err) {
                BodyProblem {
                    field: None,
                    message: "the request body stopped arriving".into(),
                    kind: ProblemKind::TimedOut,
                }
            } else {
                BodyProblem {
                    field: None,
                    message: format!(
                        "request body is larger than {limit} bytes or could not be read"
                    ),
                    kind: ProblemKind::TooLarge,
                }
            }
        })
}

/// Whether a body read failed because the body stopped arriving: the error of tower-http's
/// `TimeoutBody`, somewhere in the chain the extractor's rejection wraps around it.
pub fn body_timed_out(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(err);
    while let Some(err) = cause {
        if err.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        cause = err.source();
    }
    false
}

/// Deepest nesting of arrays and objects a body may have. Both vendors' messages are a few
/// levels deep; the limit keeps a hostile body from costing more than its size.
pub const MAX_NESTING: usize = 64;

/// The nesting depth of a JSON text, counting brackets outside strings.
fn nesting_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &byte in bytes {
        match (in_string, escaped, byte) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (true, false, _) => {}
            (false, _, b'"') => in_string = true,
            (false, _, b'[' | b'{') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (false, _, b']' | b'}') => depth = depth.saturating_sub(1),
            (false, _, _) => {}
        }
    }
    deepest
}

/// The path (`notes[0].note`, as serde names fields) of the first string, or object key, that
/// holds the NUL character, if any. PostgreSQL's text cannot hold it, and SQLite's could: both
/// refuse it rather than store it on one and fail on the other.
pub fn nul_in(value: &serde_json::Value) -> Option<String> {
    fn walk(value: &serde_json::Value, path: &str) -> Option<String> {
        let nested = |key: &str| match path {
            "" => key.to_string(),
            _ => format!("{path}.{key}"),
        };
        match value {
            serde_json::Value::String(text) => text.contains('\0').then(|| path.to_string()),
            serde_json::Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(index, item)| walk(item, &format!("{path}[{index}]"))),
            serde_json::Value::Object(members) => members.iter().find_map(|(key, member)| {
                if key.contains('\0') {
                    Some(nested(key))
                } else {
                    walk(member, &nested(key))
                }
            }),
            _ => None,
        }
    }
    walk(value, "")
}

/// The message of a value refused for holding the NUL character.
pub fn nul_message(field: &str) -> String {
    format!("{field}: must not contain the NUL character (U+0000)")
}

/// Refuses a body whose strings hold the NUL character, naming the field. Only a body that
/// spells `\u0000` can hold one (JSON has no raw control characters in strings).
fn refuse_nul(bytes: &[u8]) -> Result<(), BodyProblem> {
    if !bytes.windows(6).any(|window| window == b"\\u0000") {
        return Ok(());
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return Ok(());
    };
    match nul_in(&value) {
        None => Ok(()),
        Some(field) => {
            let field = if field.is_empty() {
                "body".to_string()
            } else {
                field
            };
            Err(BodyProblem {
                message: nul_message(&field),
                field: Some(field),
                kind: ProblemKind::Invalid,
            })
        }
    }
}

/// Parses JSON into `T`, naming the field behind a type error.
pub fn parse_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, BodyProblem> {
    if nesting_depth(bytes) > MAX_NESTING {
        return Err(BodyProblem {
            field: None,
            message: format!("invalid request body: JSON nested deeper than {MAX_NESTING} levels"),
            kind: ProblemKind::Invalid,
        });
    }
    // JSON is UTF-8 (RFC 8259); serde_json checks only the strings it keeps, so a bad byte
    // in an ignored member would otherwise pass.
    if let Err(err) = std::str::from_utf8(bytes) {
        return Err(BodyProblem {
            field: None,
            message: format!("invalid JSON body: not UTF-8 ({err})"),
            kind: ProblemKind::Invalid,
        });
    }
    let bytes = match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        None => b"{}".as_slice(),
        Some(b'{') => bytes,
        // serde would fill a struct from an array by position; both vendors want an object.
        Some(_) => {
            return Err(BodyProblem {
                field: None,
                message: "invalid request body: expected a JSON object".into(),
                kind: ProblemKind::Invalid,
            })
        }
    };
    refuse_nul(bytes)?;
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let field = (inner.is_data() && path != ".").then_some(path);
        let message = match (&field, inner.classify()) {
            (Some(field), _) => format!("invalid value for field {field}: {inner}"),
            (None, serde_json::error::Category::Data) => format!("invalid request body: {inner}"),
            _ => format!("invalid JSON body: {inner}"),
        };
        BodyProblem {
            field,
            message,
            kind: ProblemKind::Invalid,
        }
    })?;
    deserializer.end().map_err(|err| BodyProblem {
        field: None,
        message: format!("invalid JSON body: {err}"),
        kind: ProblemKind::Invalid,
    })?;
    Ok(value)
}

/// A MoeGo request body (protojson: camelCase, with snake_case aliases on the wire types).
pub struct ProtoJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ProtoJson<T> {
    type Rejection = Status;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Status> {
        let bytes = read_body(request, state.config.body_limit_bytes)
            .await
            .map_err(|problem| match problem.kind {
                ProblemKind::TimedOut => Status::body_timeout(state.config.body_timeout),
                _ => Status::invalid_argument(problem.message),
            })?;
        parse_body(&bytes)
            .map(ProtoJson)
            .map_err(|problem| Status::invalid_argument(problem.message))
    }
}

/// A MOGU request body; errors name the field in MOGU's `{"errors":{...}}` form.
pub struct MoguJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for MoguJson<T> {
    type Rejection = MoguError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, MoguError> {
        let mogu_problem = |problem: BodyProblem| match problem.kind {
            ProblemKind::TimedOut => MoguError::body_timeout(state.config.body_timeout),
            ProblemKind::TooLarge => MoguError::new(
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                "body",
                problem.message,
            ),
            ProblemKind::Invalid => MoguError::invalid(
                problem.field.unwrap_or_else(|| "body".into()),
                problem.message,
            ),
        };
        let bytes = read_body(request, state.config.body_limit_bytes)
            .await
            .map_err(mogu_problem)?;
        parse_body(&bytes).map(MoguJson).map_err(mogu_problem)
    }
}

/// protojson int64: written as a JSON string, read from a string or a number.
pub mod int64 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Repr {
        Number(i64),
        Text(String),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        match Repr::deserialize(deserializer)? {
            Repr::Number(n) => Ok(n),
            Repr::Text(text) => text
                .trim()
                .parse()
                .map_err(|_| serde::de::Error::custom(format!("not an int64: {text:?}"))),
        }
    }
}

/// protojson int32 read from a number or a numeric string; absent or null is `None`.
pub mod opt_int32 {
    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Repr {
        Number(serde_json::Number),
        Text(String),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<i32>, D::Error> {
        let parsed = match Option::<Repr>::deserialize(deserializer)? {
            None => return Ok(None),
            Some(Repr::Number(n)) => n.as_i64(),
            Some(Repr::Text(text)) => text.trim().parse().ok(),
        };
        parsed
            .and_then(|n| i32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom("not an int32"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "camelCase")]
    struct Inner {
        #[serde(default, alias = "page_size", with = "opt_int32")]
        page_size: Option<i32>,
    }

    #[derive(Deserialize, Debug)]
    struct Outer {
        pagination: Option<Inner>,
    }

    #[test]
    fn bodies_parse_leniently_and_name_bad_fields() {
        let ok: Outer = parse_body(br#"{"pagination":{"page_size":"10"},"extra":1}"#).unwrap();
        assert_eq!(ok.pagination.unwrap().page_size, Some(10));
        let empty: Outer = parse_body(b"  ").unwrap();
        assert!(empty.pagination.is_none());
        let bad = parse_body::<Outer>(br#"{"pagination":{"pageSize":"ten"}}"#).unwrap_err();
        assert_eq!(bad.field.as_deref(), Some("pagination.pageSize"));
        assert!(bad.message.contains("pagination.pageSize"));
        let syntax = parse_body::<Outer>(b"{\"pagination\":").unwrap_err();
        assert!(
            syntax.message.starts_with("invalid JSON body"),
            "{}",
            syntax.message
        );
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_body::<Outer>(deep.as_bytes()).is_err());
        let hidden = format!(r#"{{"unknown":{}{}}}"#, "[".repeat(65), "]".repeat(65));
        assert!(parse_body::<Outer>(hidden.as_bytes())
            .unwrap_err()
            .message
            .contains("nested"));
        let in_text = format!(r#"{{"note":"{}\"{{"}}"#, "[".repeat(100));
        assert!(
            parse_body::<Outer>(in_text.as_bytes()).is_ok(),
            "brackets inside strings do not count"
        );
        assert!(parse_body::<Outer>(b"[]").is_err());
        let latin1 = parse_body::<Outer>(b"{\"ignored\":\"\xff\xfe\"}").unwrap_err();
        assert!(latin1.message.contains("UTF-8"), "{}", latin1.message);
    }

    #[test]
    fn nul_characters_are_refused_naming_the_field() {
        let nul =
            parse_body::<Outer>(br#"{"pagination":{"pageSize":1},"notes":[{"note":"a\u0000b"}]}"#)
                .unwrap_err();
        assert_eq!(nul.field.as_deref(), Some("notes[0].note"));
        assert!(nul.message.contains("U+0000"), "{}", nul.message);
        let key = parse_body::<Outer>(br#"{"a\u0000":1}"#).unwrap_err();
        assert_eq!(key.field.as_deref(), Some("a\u{0}"));
        let escaped = parse_body::<Outer>(br#"{"note":"C:\\u0000 is a path"}"#);
        assert!(escaped.is_ok(), "an escaped backslash is no NUL");
    }
}
