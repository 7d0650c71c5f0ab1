//! The server's one error type and its mapping to HTTP answers.
//!
//! Every error answer has the body `{"error": "<stable_code>", "message": "…"}`. Internal causes
//! (database failures) are logged and never sent to the client.

use crate::db::DbError;
use crate::domain::{ArsError, LeikaError};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use wire::ErrorBody;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A required query parameter is absent.
    #[error("The query parameter `{0}` is required.")]
    MissingParameter(&'static str),
    /// The query string could not be read at all.
    #[error("The query string is malformed: {0}")]
    BadQuery(String),
    /// `ars` is not a 12-digit Amtlicher Regionalschlüssel.
    #[error(transparent)]
    InvalidArs(#[from] ArsError),
    /// `leika` is not a 14-digit Leistungsschlüssel.
    #[error(transparent)]
    InvalidLeika(#[from] LeikaError),
    /// `lang` names a language the API does not offer.
    #[error("The language `{0}` is not offered; use de, en or de-x-ls (Leichte Sprache).")]
    InvalidLang(String),
    /// A region search needs 2 to 100 characters.
    #[error("Please enter at least 2 characters (a PLZ or the beginning of a place name).")]
    BadSearch,
    /// The request body is not the JSON expected.
    #[error("The request body is not valid: {0}")]
    BadJson(String),
    /// No or an unknown bearer token.
    #[error("A valid bearer token is required (Authorization: Bearer …).")]
    Unauthorized,
    /// The token's scope does not cover this notice.
    #[error("This token may not change notices outside its services and regions.")]
    ForbiddenScope,
    /// A notice breaks a rule.
    #[error("The notice is not valid: {0}")]
    InvalidNotice(#[from] crate::notices::model::NoticeError),
    /// The path does not exist.
    #[error("There is nothing at this address.")]
    NotFound,
    /// The widget's files were not built into this binary.
    #[error("The widget has not been built into this server; run `cargo xtask build`.")]
    WidgetNotBuilt,
    /// The database failed; details go to the log only.
    #[error("The service is temporarily unavailable. Please try again later.")]
    Database(#[from] DbError),
}

impl Error {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingParameter(_) => "missing_parameter",
            Self::BadQuery(_) => "bad_query",
            Self::InvalidArs(_) => "invalid_ars",
            Self::InvalidLeika(_) => "invalid_leika",
            Self::InvalidLang(_) => "invalid_lang",
            Self::BadSearch => "query_too_short",
            Self::BadJson(_) => "invalid_json",
            Self::Unauthorized => "unauthorized",
            Self::ForbiddenScope => "forbidden_scope",
            Self::InvalidNotice(_) => "invalid_notice",
            Self::NotFound => "not_found",
            Self::WidgetNotBuilt => "widget_not_built",
            Self::Database(_) => "database_unavailable",
        }
    }

    /// HTTP status for this error.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::MissingParameter(_)
            | Self::BadQuery(_)
            | Self::InvalidArs(_)
            | Self::InvalidLeika(_)
            | Self::InvalidLang(_)
            | Self::BadSearch
            | Self::BadJson(_) => StatusCode::BAD_REQUEST,
            Self::InvalidNotice(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::ForbiddenScope => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::WidgetNotBuilt | Self::Database(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

impl From<crate::notices::hub::HubError> for Error {
    fn from(e: crate::notices::hub::HubError) -> Self {
        use crate::notices::hub::HubError;
        match e {
            HubError::NotFound(_) => Self::NotFound,
            HubError::Invalid(e) => Self::InvalidNotice(e),
            HubError::Db(e) => Self::Database(e),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        if let Self::Database(cause) = &self {
            tracing::error!(error = %cause, "database error while answering a request");
        }
        let body = ErrorBody {
            error: self.code().to_string(),
            message: self.to_string(),
        };
        let mut response = (self.status(), Json(body)).into_response();
        if matches!(self, Self::Unauthorized) {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}
