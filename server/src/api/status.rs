//! The public status page and the feeds: `/status`, `/feeds/notices.atom`,
//! `/feeds/maintenance.ics` and `/api/v2/summary.json` (Statuspage's public API shape).
//!
//! Unlike a form, which sees only what concerns its own service and region, these views show
//! everything unless the visitor filters by service (`leika`) or region (`ars`).

use crate::feeds::{self, FeedQuery};
use crate::notices::model::StoredNotice;
use crate::status_page::{self, StatusFilter};
use crate::{AppState, Error};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use wire::{NoticeKind, NoticeState};

/// How far back feeds reach for ended notices.
const HISTORY: SignedDuration = SignedDuration::from_hours(24 * 30);

/// Optional filters.
#[derive(Debug, Deserialize)]
pub struct StatusQuery {
    leika: Option<String>,
    ars: Option<String>,
}

struct Filter {
    leika: Option<String>,
    ars: Option<String>,
}

impl Filter {
    fn parse(query: Result<Query<StatusQuery>, QueryRejection>) -> Result<Self, Error> {
        let Query(q) = query.map_err(|e| Error::BadQuery(e.body_text()))?;
        let (leika, ars) = crate::api::scope_keys(q.leika, q.ars)?;
        Ok(Self { leika, ars })
    }

    /// No filter means everything; a filter keeps notices for that service / region and
    /// those for all services / everywhere.
    fn keeps(&self, n: &StoredNotice) -> bool {
        let service = self
            .leika
            .as_ref()
            .is_none_or(|k| n.services.is_empty() || n.services.contains(k));
        let region = self.ars.as_ref().is_none_or(|a| {
            n.regions.is_empty() || n.regions.iter().any(|p| a.starts_with(p.as_str()))
        });
        n.published && service && region
    }

    fn select(
        &self,
        state: &AppState,
        wanted: impl Fn(&StoredNotice) -> bool,
    ) -> Vec<wire::Notice> {
        let mut notices: Vec<_> = state
            .notices
            .all()
            .into_iter()
            .filter(|n| self.keeps(n) && wanted(n))
            .collect();
        notices.sort_by_key(|n| std::cmp::Reverse(n.updated_at));
        notices.iter().map(|n| n.public("de")).collect()
    }
}

/// The server's public base URL, from the request: `X-Forwarded-Proto` (behind a proxy) or
/// `http`, and the `Host` header.
pub(crate) fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

fn with_type(body: String, content_type: &'static str, cache: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// `GET /status`: current disruptions, maintenance and information, without JavaScript.
pub async fn get_status_page(
    State(state): State<AppState>,
    query: Result<Query<StatusQuery>, QueryRejection>,
) -> Result<Response, Error> {
    let filter = Filter::parse(query)?;
    let now = state.clock.now();
    let notices = filter.select(&state, |n| n.visible(now));
    let html = status_page::render(
        &notices,
        &state.service_names(),
        &StatusFilter {
            leika: filter.leika.as_deref(),
            ars: filter.ars.as_deref(),
        },
        now,
    );
    Ok(with_type(html, "text/html; charset=utf-8", "no-cache"))
}

/// `GET /feeds/notices.atom`: every notice of the last 30 days, newest change first.
pub async fn get_notices_atom(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<StatusQuery>, QueryRejection>,
) -> Result<Response, Error> {
    let filter = Filter::parse(query)?;
    let now = state.clock.now();
    let since = now.checked_sub(HISTORY).unwrap_or(Timestamp::MIN);
    let notices = filter.select(&state, |n| n.visible(now) || n.updated_at >= since);
    let body = feeds::atom(
        &notices,
        &base_url(&headers),
        &FeedQuery {
            leika: filter.leika.as_deref(),
            ars: filter.ars.as_deref(),
        },
        now,
    );
    Ok(with_type(
        body,
        "application/atom+xml; charset=utf-8",
        "public, max-age=60",
    ))
}

/// `GET /feeds/maintenance.ics`: maintenance windows for calendars, including those of the
/// last 30 days.
pub async fn get_maintenance_ics(
    State(state): State<AppState>,
    query: Result<Query<StatusQuery>, QueryRejection>,
) -> Result<Response, Error> {
    let filter = Filter::parse(query)?;
    let since = state
        .clock
        .now()
        .checked_sub(HISTORY)
        .unwrap_or(Timestamp::MIN);
    let notices = filter.select(&state, |n| {
        n.kind == NoticeKind::Maintenance && n.ends_at.is_some_and(|e| e >= since)
    });
    let body = feeds::maintenance_ics(
        &notices,
        &FeedQuery {
            leika: filter.leika.as_deref(),
            ars: filter.ars.as_deref(),
        },
    );
    Ok(with_type(
        body,
        "text/calendar; charset=utf-8",
        "public, max-age=300",
    ))
}

/// `GET /api/v2/summary.json`: the shape of Statuspage's public summary.
pub async fn get_summary(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<StatusQuery>, QueryRejection>,
) -> Result<Response, Error> {
    let filter = Filter::parse(query)?;
    let now = state.clock.now();
    let notices = filter.select(&state, |n| {
        n.visible(now) || (n.kind == NoticeKind::Maintenance && n.state == NoticeState::Scheduled)
    });
    let summary = feeds::statuspage_summary(&notices, &base_url(&headers), now);
    Ok(with_type(
        summary.to_string(),
        "application/json",
        "public, max-age=30",
    ))
}
