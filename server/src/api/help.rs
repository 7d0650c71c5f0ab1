//! `GET /api/v1/help`: who helps a citizen of a region with a service.

use crate::domain::{Ars, LeikaKey};
use crate::{AppState, Error};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::Deserialize;
use wire::HelpResponse;

/// Query parameters; parsed into domain keys inside the handler so that each malformed key
/// gets its own error code.
#[derive(Debug, Deserialize)]
pub struct HelpQuery {
    ars: Option<String>,
    leika: Option<String>,
}

/// Resolves the 1st-level contact for `ars` (required) and `leika` (optional).
pub async fn get_help(
    State(state): State<AppState>,
    query: Result<Query<HelpQuery>, QueryRejection>,
) -> Result<Json<HelpResponse>, Error> {
    let Query(query) = query.map_err(|e| Error::BadQuery(e.body_text()))?;
    let ars: Ars = query
        .ars
        .as_deref()
        .filter(|s| !s.is_empty())
        .ok_or(Error::MissingParameter("ars"))?
        .parse()?;
    let leika: Option<LeikaKey> = match query.leika.as_deref() {
        None | Some("") => None,
        Some(key) => Some(key.parse()?),
    };
    state
        .index()
        .help(ars, leika)
        .map(Json)
        .ok_or_else(|| Error::NoContact(ars.to_string()))
}
