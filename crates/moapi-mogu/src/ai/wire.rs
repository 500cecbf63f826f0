//! The vendor's AI import types (`AiSource`, `CreateTripFromDocumentRequest`, `AiJobCreated`,
//! `AiJobStatus`, `AiError`), field for field, and the `{"error":{"code","message"}}` body
//! every AI operation answers with when it fails.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where the document comes from, told apart by `type`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "lowercase")]
#[schema(as = AiSource)]
pub enum AiSource {
    /// A document (PDF, plain text, Markdown, HTML) at a public http(s) URL.
    Url { url: String },
    /// Plain text or Markdown, or a JSON object (stringified).
    Text {
        #[serde(alias = "content")]
        #[schema(value_type = Object)]
        text: serde_json::Value,
    },
    /// A base64-encoded document with its filename (the extension tells the format).
    Inline {
        #[serde(alias = "content", alias = "base64")]
        data: String,
        #[serde(alias = "fileName", alias = "name")]
        filename: String,
    },
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = CreateTripFromDocumentRequest)]
pub struct CreateTripFromDocumentRequest {
    pub source: AiSource,
    /// Create the trip as a template.
    #[serde(default)]
    pub is_template: bool,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AiJobLinks {
    /// The trip's public page (a progress page until the trip exists).
    pub public_url: String,
    /// Where the trip is edited (the status API until the trip exists).
    pub builder_url: String,
    /// This job's status operation.
    pub status: String,
    /// This job's cancel operation.
    pub cancel: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = AiJobCreated)]
pub struct AiJobCreated {
    pub job_id: String,
    /// Always `processing`.
    pub status: &'static str,
    pub links: AiJobLinks,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = AiJobStatus)]
pub struct AiJobStatus {
    pub job_id: String,
    /// processing, completed, error or canceled.
    pub status: String,
    /// initializing, extractingText, generatingBlocks or completed.
    pub stage: String,
    pub public_url: String,
    pub builder_url: String,
    pub trip_id: Option<i64>,
    pub trip_slug: Option<String>,
    /// Why the job failed, when its status is `error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// ISO-8601 UTC to the second.
    pub updated_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AiErrorDetail {
    pub code: &'static str,
    pub message: String,
}

/// The AI operations' error body.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AiError)]
pub struct AiErrorBody {
    pub error: AiErrorDetail,
}

/// An AI operation's failure: the HTTP status and the reference's error code.
#[derive(Debug)]
pub struct AiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    retry_after: Option<HeaderValue>,
}

impl AiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        AiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// Outside the reference's codes: the key is over its rate limit (429, `Retry-After`).
    pub fn rate_limited(message: impl Into<String>, retry_after: Option<HeaderValue>) -> Self {
        AiError {
            retry_after,
            ..AiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message)
        }
    }

    /// Outside the reference's codes: an M2M token without the operation's scope (403).
    pub fn insufficient_scope(message: impl Into<String>) -> Self {
        AiError::new(StatusCode::FORBIDDEN, "insufficient_scope", message)
    }

    pub fn invalid_source(message: impl Into<String>) -> Self {
        AiError::new(StatusCode::BAD_REQUEST, "invalid_source", message)
    }

    pub fn invalid_url(message: impl Into<String>) -> Self {
        AiError::new(StatusCode::BAD_REQUEST, "invalid_url", message)
    }

    pub fn unsupported_format(message: impl Into<String>) -> Self {
        AiError::new(StatusCode::BAD_REQUEST, "unsupported_format", message)
    }

    pub fn not_cancelable() -> Self {
        AiError::new(
            StatusCode::BAD_REQUEST,
            "job_not_cancelable",
            "Job is not in processing status",
        )
    }

    pub fn job_not_found() -> Self {
        AiError::new(StatusCode::NOT_FOUND, "job_not_found", "Job not found")
    }

    pub fn missing_api_key() -> Self {
        AiError::new(
            StatusCode::UNAUTHORIZED,
            "missing_api_key",
            "API key is required",
        )
    }

    pub fn invalid_api_key() -> Self {
        AiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_api_key",
            "API key is invalid",
        )
    }

    /// Outside the reference's codes: the request body stopped arriving (408).
    pub fn request_timeout(message: impl Into<String>) -> Self {
        AiError::new(StatusCode::REQUEST_TIMEOUT, "request_timeout", message)
    }

    /// Outside the reference's codes: a database failure, logged with its cause.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        AiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "internal error",
        )
    }
}

impl From<sqlx::Error> for AiError {
    fn from(err: sqlx::Error) -> Self {
        AiError::internal(err)
    }
}

impl IntoResponse for AiError {
    fn into_response(self) -> Response {
        let body = AiErrorBody {
            error: AiErrorDetail {
                code: self.code,
                message: self.message,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(retry_after) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, retry_after);
        }
        response
    }
}
