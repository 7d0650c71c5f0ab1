//! Who is calling: the bearer token on the operator and admin routes. An unknown, revoked or
//! expired token is refused alike (`401`), so a caller cannot tell which of them it holds.

use crate::notices::tokens::{self, Role, TokenRecord};
use crate::{AppState, Error};
use axum::http::{HeaderMap, header};

/// The operator behind a request, from `Authorization: Bearer …` (scheme in any case). Records
/// the token's use, at most once a minute.
pub(crate) async fn operator(state: &AppState, headers: &HeaderMap) -> Result<TokenRecord, Error> {
    let secret = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(tokens::bearer)
        .ok_or(Error::Unauthorized)?;
    let now = state.clock.now();
    let token = state
        .db
        .token_by_hash(&tokens::hash(secret))
        .await?
        .filter(|t| !t.expired(now))
        .ok_or(Error::Unauthorized)?;
    if token.use_worth_recording(now)
        && let Err(e) = state.db.record_token_use(&token, now).await
    {
        // The last-used time helps admins find unused tokens; no request fails over it.
        tracing::warn!(token = token.name.as_str(), error = %e, "cannot record a token's use");
    }
    Ok(token)
}

/// An admin behind a request: a valid token with the admin role, else `403 admin_required`.
pub(crate) async fn admin(state: &AppState, headers: &HeaderMap) -> Result<TokenRecord, Error> {
    let token = operator(state, headers).await?;
    if token.role != Role::Admin {
        return Err(Error::AdminOnly);
    }
    Ok(token)
}
