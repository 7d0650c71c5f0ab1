//! `GET /api/v1/regions?q=…`: candidate regions by PLZ or place name, for the region picker.

use crate::{AppState, Error};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::Deserialize;
use wire::RegionSearch;

/// Query parameters.
#[derive(Debug, Deserialize)]
pub struct RegionsQuery {
    q: Option<String>,
    limit: Option<usize>,
}

/// Finds regions whose PLZ starts with, or whose name matches, `q` (at least 2 characters).
pub async fn get_regions(
    State(state): State<AppState>,
    query: Result<Query<RegionsQuery>, QueryRejection>,
) -> Result<Json<RegionSearch>, Error> {
    let Query(query) = query.map_err(|e| Error::BadQuery(e.body_text()))?;
    let q = query.q.unwrap_or_default();
    let q = q.trim();
    if q.is_empty() {
        return Err(Error::MissingParameter("q"));
    }
    if q.chars().count() < 2 || q.chars().count() > 100 {
        return Err(Error::BadSearch);
    }
    let limit = query.limit.unwrap_or(10).clamp(1, 50);
    Ok(Json(RegionSearch {
        query: q.to_string(),
        regions: state.index().search(q, limit),
    }))
}
