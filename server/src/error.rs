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
    /// Message administration needs a token with the admin role.
    #[error(
        "Only an admin token may administer messages; create one with `anlaufstelle token create --name … --admin`."
    )]
    AdminOnly,
    /// An admin asked to retry a message that was delivered already.
    #[error("This message has been delivered already; there is nothing to retry.")]
    AlreadyDelivered,
    /// An admin asked to retry a message whose content was deleted after the retention period.
    #[error(
        "This message was never delivered and its content was deleted after the retention period; it cannot be delivered any more."
    )]
    MessageExpired,
    /// A notice breaks a rule.
    #[error("The notice is not valid: {0}")]
    InvalidNotice(#[from] crate::notices::model::NoticeError),
    /// A contact-form submission has invalid fields (listed in the body's `fields`).
    #[error("Bitte prüfen Sie Ihre Angaben.")]
    InvalidMessage(Vec<wire::FieldError>),
    /// The form token is missing, forged, too young or too old.
    #[error("{0}")]
    FormToken(crate::messages::spam::TokenError),
    /// The honeypot field was filled in.
    #[error("Die Nachricht konnte nicht angenommen werden.")]
    SpamSuspected,
    /// Too many messages; `at` is the local time when the next one is allowed.
    #[error(
        "Es wurden gerade zu viele Nachrichten gesendet. Bitte versuchen Sie es ab {at} Uhr erneut."
    )]
    RateLimited {
        /// Seconds to wait.
        wait_secs: u64,
        /// Local time (Europe/Berlin, HH:MM) when sending is possible again.
        at: String,
    },
    /// No mailbox is known for this region, service and category.
    #[error(
        "Für Ihre Region ist für dieses Anliegen kein Postfach hinterlegt. Bitte nutzen Sie die angegebene Telefonnummer."
    )]
    NoRecipient,
    /// The idempotency key was used before for a different message.
    #[error(
        "Diese Nachricht wurde bereits mit anderem Inhalt gesendet. Bitte laden Sie die Seite neu. (idempotency key reused)"
    )]
    IdempotencyConflict,
    /// The path does not exist.
    #[error("There is nothing at this address.")]
    NotFound,
    /// The widget's files were not built into this binary.
    #[error("The widget has not been built into this server; run `cargo xtask build`.")]
    WidgetNotBuilt,
    /// A widget URL names a version this server does not have (an older pinned release, or a
    /// typo). Answered instead of the current files, which would fail a pinned integrity hash.
    #[error(
        "This server has no such widget version; the current one is `{version}` (or the alias `{alias}`), as listed in /widget/manifest.json.",
        version = crate::assets::WIDGET_VERSION,
        alias = crate::assets::ALIAS
    )]
    UnknownWidgetVersion,
    /// The server cannot tell its own public address (no `Host` header, no `--public-url`).
    #[error(
        "This server cannot tell its public address: send a Host header or start it with --public-url."
    )]
    UnknownOrigin,
    /// The notice stream's caps are reached (in total or for this client); the widget polls.
    #[error(
        "Too many open notice streams. Please fetch /api/v1/notices instead, or try again later."
    )]
    TooManyStreams,
    /// The request (its body included) did not arrive in time.
    #[error("The request took too long to arrive. Please send it again.")]
    RequestTimeout,
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
            Self::AdminOnly => "admin_required",
            Self::AlreadyDelivered => "already_delivered",
            Self::MessageExpired => "message_expired",
            Self::InvalidNotice(_) => "invalid_notice",
            Self::InvalidMessage(_) => "invalid_message",
            Self::FormToken(crate::messages::spam::TokenError::Invalid) => "token_invalid",
            Self::FormToken(crate::messages::spam::TokenError::TooFast) => "token_too_fast",
            Self::FormToken(crate::messages::spam::TokenError::Expired) => "token_expired",
            Self::FormToken(crate::messages::spam::TokenError::Used) => "token_used",
            Self::SpamSuspected => "spam_suspected",
            Self::RateLimited { .. } => "rate_limited",
            Self::NoRecipient => "no_recipient",
            Self::IdempotencyConflict => "idempotency_conflict",
            Self::NotFound => "not_found",
            Self::WidgetNotBuilt => "widget_not_built",
            Self::UnknownWidgetVersion => "widget_version_unknown",
            Self::UnknownOrigin => "origin_unknown",
            Self::TooManyStreams => "too_many_streams",
            Self::RequestTimeout => "request_timeout",
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
            | Self::BadJson(_)
            | Self::UnknownOrigin => StatusCode::BAD_REQUEST,
            Self::InvalidNotice(_)
            | Self::InvalidMessage(_)
            | Self::FormToken(_)
            | Self::SpamSuspected
            | Self::NoRecipient => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::IdempotencyConflict | Self::AlreadyDelivered | Self::MessageExpired => {
                StatusCode::CONFLICT
            }
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::ForbiddenScope | Self::AdminOnly => StatusCode::FORBIDDEN,
            Self::NotFound | Self::UnknownWidgetVersion => StatusCode::NOT_FOUND,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::WidgetNotBuilt | Self::Database(_) | Self::TooManyStreams => {
                StatusCode::SERVICE_UNAVAILABLE
            }
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
        let fields = match &self {
            Self::InvalidMessage(fields) => fields.clone(),
            _ => Vec::new(),
        };
        let retry_after = match &self {
            Self::RateLimited { wait_secs, .. } => Some(*wait_secs),
            // Long enough that a crowd of refused widgets does not come back at once.
            Self::TooManyStreams => Some(30),
            _ => None,
        };
        let body = ErrorBody {
            error: self.code().to_string(),
            message: self.to_string(),
            fields,
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let Some(secs) = retry_after {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(secs),
            );
        }
        if matches!(self, Self::Unauthorized) {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}
