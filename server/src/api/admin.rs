//! Admin endpoints for message delivery: the list of messages by status (without texts or
//! sender data) and the retry of a dead or waiting message. Only a token with the admin role may
//! use them (`anlaufstelle token create --admin`): messages cross every service and region.

use crate::outbox::{MessageStatus, MessageSummary, Requeue};
use crate::{AppState, Error};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

/// The most messages one list answer holds (newest first).
const LIST_LIMIT: u32 = 1000;

/// `?status=queued|delivered|dead|expired`.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    status: Option<String>,
}

/// `GET /api/v1/admin/messages` answer.
#[derive(Debug, Serialize)]
pub struct MessageList {
    /// Newest first, at most 1,000.
    pub messages: Vec<MessageSummary>,
}

/// `POST …/retry` answer.
#[derive(Debug, Serialize)]
pub struct Retried {
    /// The message's reference.
    pub reference: String,
    /// Always `queued`.
    pub status: MessageStatus,
}

/// Checks the bearer token: missing, unknown or expired → 401, not an admin → 403.
async fn admin(state: &AppState, headers: &HeaderMap) -> Result<String, Error> {
    Ok(crate::api::auth::admin(state, headers).await?.name)
}

/// `GET /api/v1/admin/messages[?status=…]`: messages with their delivery state, newest first.
pub async fn list_messages(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<MessageList>, Error> {
    admin(&state, &headers).await?;
    let Query(query) = query.map_err(|e| Error::BadQuery(e.body_text()))?;
    let status = match query.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(name) => Some(MessageStatus::parse(name).ok_or_else(|| {
            Error::BadQuery(format!(
                "`status` must be queued, delivered or dead, not `{}`",
                name.chars().take(20).collect::<String>()
            ))
        })?),
    };
    let messages = state.db.message_summaries(status, LIST_LIMIT).await?;
    Ok(Json(MessageList { messages }))
}

/// `POST /api/v1/admin/messages/{reference}/retry`: a dead or waiting message is due again at
/// once, attempts reset; the worker is woken. `202`; unknown → `404`, delivered → `409`.
pub async fn retry_message(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(reference): Path<String>,
) -> Result<Response, Error> {
    let name = admin(&state, &headers).await?;
    match state
        .db
        .requeue_message(&reference, state.clock.now())
        .await?
    {
        Requeue::Queued => {
            tracing::info!(%reference, token = %name, "message queued again by an admin");
            state.outbox.notify_one();
            Ok((
                StatusCode::ACCEPTED,
                Json(Retried {
                    reference,
                    status: MessageStatus::Queued,
                }),
            )
                .into_response())
        }
        Requeue::AlreadyDelivered => Err(Error::AlreadyDelivered),
        Requeue::Expired => Err(Error::MessageExpired),
        Requeue::NotFound => Err(Error::NotFound),
    }
}
