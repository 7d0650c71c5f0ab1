//! `GET /api/v1/help`: who helps a citizen of a region with a service.

use crate::domain::{Ars, LeikaKey};
use crate::{AppState, Error};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Languages the API accepts; editor-written texts are German and fall back to it.
const LANGUAGES: [&str; 3] = ["de", "en", "de-x-ls"];

/// Longest time a client or proxy may reuse an answer; shorter when an opening state flips
/// sooner.
const MAX_AGE_SECS: i64 = 300;

/// Query parameters; parsed into domain keys inside the handler so that each malformed key
/// gets its own error code.
#[derive(Debug, Deserialize)]
pub struct HelpQuery {
    ars: Option<String>,
    leika: Option<String>,
    lang: Option<String>,
}

/// Resolves every support level for `ars` (required) and `leika` (optional).
pub async fn get_help(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<HelpQuery>, QueryRejection>,
) -> Result<Response, Error> {
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
    if let Some(lang) = query.lang.as_deref()
        && !LANGUAGES.contains(&lang)
    {
        return Err(Error::InvalidLang(lang.chars().take(20).collect()));
    }

    let now = state.clock.now();
    let help = state.index().help(ars, leika, now);
    let body = serde_json::to_vec(&help).expect("wire types always serialise");

    // The answer depends on the clock (open now / next change), so its freshness is bounded
    // by the next change of any contact in it.
    let next_change = [
        &help.first_level,
        &help.second_fachlich,
        &help.second_technisch,
        &help.third,
    ]
    .into_iter()
    .flatten()
    .filter_map(|c| c.availability.next_change.as_deref())
    .filter_map(|t| t.parse::<jiff::Timestamp>().ok())
    .min();
    let max_age = next_change
        .map(|t| (t.as_second() - now.as_second()).clamp(0, MAX_AGE_SECS))
        .unwrap_or(MAX_AGE_SECS);
    Ok(json_with_etag(&headers, body, max_age))
}

/// A JSON answer with a strong ETag over its bytes, `304` when the client has it already.
pub fn json_with_etag(request: &HeaderMap, body: Vec<u8>, max_age: i64) -> Response {
    let digest = Sha256::digest(&body);
    let etag = format!("\"{}\"", crate::hex::encode(&digest[..16]));
    let mut headers = HeaderMap::new();
    headers.insert(
        header::ETAG,
        HeaderValue::from_str(&etag).expect("hex is a valid header value"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_str(&format!("public, max-age={max_age}"))
            .expect("digits are a valid header value"),
    );
    if crate::assets::etag_matches(request, &etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    (StatusCode::OK, headers, body).into_response()
}
