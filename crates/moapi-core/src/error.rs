//! The two error dialects. MoeGo answers with grpc-gateway's google.rpc.Status body and the
//! gateway's code-to-HTTP mapping; MOGU answers with `{"errors":{field:[messages]}}`.
//! Internal causes are logged here and never reach the client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// gRPC status codes, numbered as on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Cancelled = 1,
    Unknown = 2,
    InvalidArgument = 3,
    DeadlineExceeded = 4,
    NotFound = 5,
    AlreadyExists = 6,
    PermissionDenied = 7,
    ResourceExhausted = 8,
    FailedPrecondition = 9,
    Aborted = 10,
    OutOfRange = 11,
    Unimplemented = 12,
    Internal = 13,
    Unavailable = 14,
    DataLoss = 15,
    Unauthenticated = 16,
}

impl Code {
    /// grpc-gateway's `HTTPStatusFromCode`.
    pub fn http_status(self) -> StatusCode {
        match self {
            Code::Cancelled => StatusCode::from_u16(499).unwrap_or(StatusCode::BAD_REQUEST),
            Code::Unknown | Code::Internal | Code::DataLoss => StatusCode::INTERNAL_SERVER_ERROR,
            Code::InvalidArgument | Code::FailedPrecondition | Code::OutOfRange => {
                StatusCode::BAD_REQUEST
            }
            Code::DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
            Code::NotFound => StatusCode::NOT_FOUND,
            Code::AlreadyExists | Code::Aborted => StatusCode::CONFLICT,
            Code::PermissionDenied => StatusCode::FORBIDDEN,
            Code::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
            Code::Unimplemented => StatusCode::NOT_IMPLEMENTED,
            Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        }
    }
}

/// A MoeGo error: `{"code":N,"message":"...","details":[]}`.
#[derive(Debug, Clone)]
pub struct Status {
    code: Code,
    message: String,
    http: StatusCode,
    /// The vendor's authentication error has no `details` member; every other one has `[]`.
    with_details: bool,
    /// Seconds for a `Retry-After` header.
    retry_after: Option<u64>,
}

impl Status {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Status {
            code,
            message: message.into(),
            http: code.http_status(),
            with_details: true,
            retry_after: None,
        }
    }

    /// RESOURCE_EXHAUSTED for a key over its rate limit.
    pub fn rate_limited(retry_after: u64) -> Self {
        Status {
            retry_after: Some(retry_after),
            ..Status::new(
                Code::ResourceExhausted,
                format!("rate limit exceeded for this API key; retry in {retry_after} s"),
            )
        }
    }

    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Status::new(Code::InvalidArgument, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Status::new(Code::NotFound, message)
    }

    pub fn failed_precondition(message: impl Into<String>) -> Self {
        Status::new(Code::FailedPrecondition, message)
    }

    pub fn unimplemented(message: impl Into<String>) -> Self {
        Status::new(Code::Unimplemented, message)
    }

    /// The vendor's answer for another tenant's resource, byte for byte.
    pub fn no_permission() -> Self {
        Status::new(
            Code::PermissionDenied,
            "no permission to access the resource",
        )
    }

    /// The vendor's answer for a malformed or foreign ID, byte for byte. The vendor's gateway
    /// sends it with HTTP 500; moapi keeps the body and answers 400, because a malformed ID is
    /// the client's mistake (docs/compatibility.md).
    pub fn invalid_obfuscate() -> Self {
        Status {
            http: StatusCode::BAD_REQUEST,
            ..Status::new(Code::Internal, "invalid obfuscate")
        }
    }

    /// The vendor's authentication failure; `cause` completes its sentence.
    pub fn unauthenticated(cause: &str) -> Self {
        Status {
            with_details: false,
            ..Status::new(
                Code::Unauthenticated,
                format!(
                    "Authentication failed. Cause: {cause}. please check your credentials and try again."
                ),
            )
        }
    }

    /// Logs the cause and answers INTERNAL without revealing it.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Status::new(Code::Internal, "internal error")
    }

    /// A request body that stopped arriving (`Config::body_timeout`): DEADLINE_EXCEEDED, the
    /// code of a deadline, with HTTP 408 because the client was too slow, not moapi
    /// (docs/compatibility.md).
    pub fn body_timeout(timeout: std::time::Duration) -> Self {
        Status::new(Code::DeadlineExceeded, body_timeout_message(timeout))
            .with_http_status(StatusCode::REQUEST_TIMEOUT)
    }

    pub fn with_http_status(mut self, http: StatusCode) -> Self {
        self.http = http;
        self
    }

    pub fn code(&self) -> Code {
        self.code
    }

    /// The JSON body, byte for byte as the response carries it; for answers written below the
    /// router, where there is no response to build.
    pub fn body_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&self.body()).unwrap_or_default()
    }

    fn body(&self) -> StatusBody {
        StatusBody {
            code: self.code as i32,
            message: self.message.clone(),
            details: self.with_details.then(Vec::new),
        }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

/// The google.rpc.Status body as grpc-gateway writes it.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = googlerpcStatus)]
pub struct StatusBody {
    pub code: i32,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Vec<serde_json::Value>>,
}

impl IntoResponse for Status {
    fn into_response(self) -> Response {
        with_retry_after(
            (self.http, Json(self.body())).into_response(),
            self.retry_after,
        )
    }
}

/// What every dialect says of a request body that stopped arriving.
pub fn body_timeout_message(timeout: std::time::Duration) -> String {
    format!("the request body stopped arriving: nothing was received for {timeout:?}")
}

fn with_retry_after(mut response: Response, seconds: Option<u64>) -> Response {
    if let Some(seconds) = seconds {
        response
            .headers_mut()
            .insert(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
    }
    response
}

impl From<sqlx::Error> for Status {
    fn from(err: sqlx::Error) -> Self {
        Status::internal(err)
    }
}

/// A MOGU error: `{"errors":{"field":["message", ...]}}` with its HTTP status.
#[derive(Debug, Clone)]
pub struct MoguError {
    status: StatusCode,
    errors: Vec<(String, Vec<String>)>,
    retry_after: Option<u64>,
}

impl MoguError {
    pub fn new(status: StatusCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        MoguError {
            status,
            errors: vec![(field.into(), vec![message.into()])],
            retry_after: None,
        }
    }

    /// 429 for a key over its rate limit.
    pub fn rate_limited(retry_after: u64) -> Self {
        MoguError {
            retry_after: Some(retry_after),
            ..MoguError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate",
                format!("rate limit exceeded for this API key; retry in {retry_after} s"),
            )
        }
    }

    /// 400 naming the offending field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        MoguError::new(StatusCode::BAD_REQUEST, field, message)
    }

    pub fn not_found(field: impl Into<String>, message: impl Into<String>) -> Self {
        MoguError::new(StatusCode::NOT_FOUND, field, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        MoguError::new(StatusCode::UNAUTHORIZED, "authorization", message)
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        MoguError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server",
            "internal error",
        )
    }

    /// 408 for a request body that stopped arriving (`Config::body_timeout`).
    pub fn body_timeout(timeout: std::time::Duration) -> Self {
        MoguError::new(
            StatusCode::REQUEST_TIMEOUT,
            "body",
            body_timeout_message(timeout),
        )
    }

    /// Adds another message, keeping the fields in the order they were first reported.
    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        let field = field.into();
        match self.errors.iter_mut().find(|(name, _)| *name == field) {
            Some((_, messages)) => messages.push(message.into()),
            None => self.errors.push((field, vec![message.into()])),
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }
}

/// Collects validation messages for one request, then yields one 400 or nothing.
#[derive(Default)]
pub struct MoguValidation(Option<MoguError>);

impl MoguValidation {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        match &mut self.0 {
            Some(err) => err.push(field, message),
            None => self.0 = Some(MoguError::invalid(field, message)),
        }
    }

    pub fn finish(self) -> Result<(), MoguError> {
        self.0.map_or(Ok(()), Err)
    }
}

impl std::fmt::Display for MoguError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .errors
            .iter()
            .map(|(field, messages)| format!("{field}: {}", messages.join(", ")))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

impl MoguError {
    /// The JSON body, byte for byte as the response carries it; for answers written below the
    /// router, where there is no response to build.
    pub fn body_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&self.body()).unwrap_or_default()
    }

    fn body(&self) -> serde_json::Value {
        let errors: serde_json::Map<String, serde_json::Value> = self
            .errors
            .iter()
            .map(|(field, messages)| (field.clone(), messages.clone().into()))
            .collect();
        serde_json::json!({ "errors": errors })
    }
}

impl IntoResponse for MoguError {
    fn into_response(self) -> Response {
        let response = (self.status, Json(self.body())).into_response();
        with_retry_after(response, self.retry_after)
    }
}

impl From<sqlx::Error> for MoguError {
    fn from(err: sqlx::Error) -> Self {
        MoguError::internal(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(response: Response) -> (StatusCode, String) {
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, String::from_utf8(bytes.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn vendor_errors_are_byte_for_byte() {
        let (status, body) =
            body_of(Status::unauthenticated("no authorization found in headers").into_response())
                .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            body,
            r#"{"code":16,"message":"Authentication failed. Cause: no authorization found in headers. please check your credentials and try again."}"#
        );
        let (_, body) = body_of(Status::invalid_obfuscate().into_response()).await;
        assert_eq!(
            body,
            r#"{"code":13,"message":"invalid obfuscate","details":[]}"#
        );
        let (status, body) = body_of(Status::no_permission().into_response()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(
            body,
            r#"{"code":7,"message":"no permission to access the resource","details":[]}"#
        );
    }

    #[tokio::test]
    async fn mogu_errors_group_messages_by_field() {
        let mut validation = MoguValidation::default();
        validation.add("title", "title is required");
        validation.add("countries", "must be ISO 3166-1 alpha-3");
        validation.add("title", "too long");
        let (status, body) = body_of(validation.finish().unwrap_err().into_response()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body,
            r#"{"errors":{"title":["title is required","too long"],"countries":["must be ISO 3166-1 alpha-3"]}}"#
        );
    }
}
