//! The contact form: `GET /api/v1/messages/token` when the form opens, `POST /api/v1/messages`
//! to send. A message is answered `202` with its reference only after it is committed.
//!
//! The order of checks matters: a submission with invalid fields is refused before its token
//! is looked at, so the citizen can correct it and send again with the same form; a retry of
//! a stored message (same idempotency key) is answered before limits and token reuse count;
//! the token is recorded as used only together with the message it brought.

use crate::db::messages::{Existing, NewMessage, Stored, UsedToken, confirmation_key};
use crate::messages::form::{MAX_LENGTH, RawMessage, validate};
use crate::messages::routing::route;
use crate::messages::spam::TokenError;
use crate::messages::{ClientKey, ConfirmationPlan};
use crate::notices::model::rfc3339;
use crate::{AppState, Error};
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Serialize;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use wire::{FormToken, MessageAccepted};

/// The `202` answer: the shared wire type, plus what becomes of the confirmation mail.
#[derive(Debug, Serialize)]
struct Accepted {
    #[serde(flatten)]
    message: MessageAccepted,
    /// `not_requested`, `will_be_sent` or `skipped_rate_limited`.
    confirmation: ConfirmationPlan,
}

/// `GET /api/v1/messages/token`: a signed token the form sends back with the message.
pub async fn get_form_token(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let intake = &state.messages;
    let privacy = &intake.config.privacy_url;
    let privacy_url = if privacy.starts_with("http://") || privacy.starts_with("https://") {
        privacy.clone()
    } else {
        format!("{}{privacy}", state.public_url(&headers, &uri)?.base())
    };
    let body = FormToken {
        token: intake.tokens.issue(state.clock.now().as_second()),
        min_fill_seconds: u64::try_from(intake.tokens.min_fill_secs()).unwrap_or(0),
        max_length: MAX_LENGTH,
        privacy_url,
    };
    let mut response = Json(body).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `POST /api/v1/messages`.
pub async fn create_message(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Result<Json<RawMessage>, JsonRejection>,
) -> Result<Response, Error> {
    let Json(raw) = body.map_err(|e| Error::BadJson(e.body_text()))?;
    if !raw.website.is_empty() {
        return Err(Error::SpamSuspected);
    }
    let now = state.clock.now();
    let token = raw.token.clone();
    let message = validate(raw).map_err(Error::InvalidMessage)?;
    let verified = state
        .messages
        .tokens
        .verify(&token, now.as_second())
        .map_err(Error::FormToken)?;

    let index = state.index();
    let route =
        route(&index, message.category, message.ars, message.leika).ok_or(Error::NoRecipient)?;
    let new = NewMessage {
        idempotency_key: message.idempotency_key.clone(),
        request_hash: message.hash(),
        received_at: now,
        category: message.category.as_str().to_string(),
        leika: message.leika.map(|k| k.to_string()),
        ars: message.ars.map(|a| a.to_string()),
        form_step: message.form_step.clone(),
        error_code: message.error_code.clone(),
        page_path: message.page_path.clone(),
        lang: message.lang.clone(),
        body: message.body.clone(),
        reply_email: message.reply_email.clone(),
        sender_name: message.name.clone(),
        wants_confirmation: message.wants_confirmation,
        recipient_email: route.email,
        recipient_contact: route.contact_id,
        recipient_name: route.name.clone(),
        routing_reason: route.reason,
        confirmation_key: message
            .reply_email
            .as_deref()
            .filter(|_| message.wants_confirmation)
            .map(confirmation_key),
        token: Some(UsedToken {
            nonce: verified.nonce,
            expires_at: jiff::Timestamp::from_second(verified.expires_at)
                .unwrap_or(jiff::Timestamp::MAX),
        }),
    };

    // A retry of an acknowledged message is answered again without counting against limits.
    if let Some(answer) = replay(&state, &new).await? {
        return Ok(answer);
    }
    // A used token is refused before the limits count it: replaying one must not use up the
    // budget of the client or of the authority's mailbox.
    if let Some(used) = &new.token
        && state.db.form_token_used(&used.nonce).await?
    {
        return Err(Error::FormToken(TokenError::Used));
    }
    // In-process tests have no socket; they all count as one client.
    let peer = connect.map_or(
        IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        |Extension(ConnectInfo(a))| a.ip(),
    );
    let client = ClientKey::from(state.messages.client(&headers, peer));
    if let Err(limited) = state.messages.limits.check(client, &new.recipient_email) {
        let wait = limited.wait.as_secs().max(1);
        let at = now
            // Rounded up to the minute: never a time before the limit lifts.
            .checked_add(jiff::SignedDuration::from_secs(
                i64::try_from(wait.saturating_add(59)).unwrap_or(i64::MAX),
            ))
            .unwrap_or(now)
            .to_zoned(crate::hours::berlin())
            .strftime("%H:%M")
            .to_string();
        return Err(Error::RateLimited {
            wait_secs: wait,
            at,
        });
    }

    match state.db.insert_message(&new).await? {
        Stored::Created {
            reference,
            confirmation,
        } => {
            state.outbox.notify_one();
            Ok(accepted(
                MessageAccepted {
                    reference,
                    received_at: rfc3339(now),
                    recipient: route.name,
                },
                confirmation,
            ))
        }
        Stored::Existing(existing) => answer_existing(existing, &new),
        Stored::TokenUsed => Err(Error::FormToken(TokenError::Used)),
    }
}

/// The earlier answer for a known idempotency key, if any.
async fn replay(state: &AppState, new: &NewMessage) -> Result<Option<Response>, Error> {
    // Looking up and inserting are separate steps; `insert_message` closes the race itself.
    match state.db.message_by_key(&new.idempotency_key).await? {
        Some(existing) => answer_existing(existing, new).map(Some),
        None => Ok(None),
    }
}

/// The answer for a message stored earlier under the same key: the same `202` if it is the
/// same message (a retry), a conflict if the key was reused for different content.
fn answer_existing(existing: Existing, new: &NewMessage) -> Result<Response, Error> {
    if existing.request_hash != new.request_hash {
        return Err(Error::IdempotencyConflict);
    }
    Ok(accepted(
        MessageAccepted {
            received_at: existing
                .received_at
                .parse::<jiff::Timestamp>()
                .map(rfc3339)
                .unwrap_or(existing.received_at),
            reference: existing.reference,
            recipient: existing.recipient_name,
        },
        existing.confirmation,
    ))
}

fn accepted(message: MessageAccepted, confirmation: ConfirmationPlan) -> Response {
    (
        StatusCode::ACCEPTED,
        Json(Accepted {
            message,
            confirmation,
        }),
    )
        .into_response()
}
