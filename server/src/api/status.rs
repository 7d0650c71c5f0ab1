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
use axum::http::{HeaderMap, HeaderValue, Uri, header};
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
    /// Reads `leika` (a LeiKa key) and `ars` (an ARS or a prefix of one: `04` is the Land
    /// Bremen, `040110000000` the Stadt Bremen).
    fn parse(query: Result<Query<StatusQuery>, QueryRejection>) -> Result<Self, Error> {
        let Query(q) = query.map_err(|e| Error::BadQuery(e.body_text()))?;
        let (leika, _) = crate::api::scope_keys(q.leika, None)?;
        let ars = match q
            .ars
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
        {
            Some(prefix) => Some(crate::domain::ars_prefix(&prefix)?),
            None => None,
        };
        Ok(Self { leika, ars })
    }

    /// No filter means everything; a filter keeps notices for that service / region and
    /// those for all services / everywhere. A region filter keeps notices for a region
    /// containing it (the Land, for a Gemeinde) and for regions inside it (a Gemeinde, for its
    /// Land).
    fn keeps(&self, n: &StoredNotice) -> bool {
        let service = self
            .leika
            .as_ref()
            .is_none_or(|k| n.services.is_empty() || n.services.contains(k));
        let region = self.ars.as_ref().is_none_or(|a| {
            n.regions.is_empty()
                || n.regions
                    .iter()
                    .any(|p| a.starts_with(p.as_str()) || p.starts_with(a.as_str()))
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

fn with_type(body: String, content_type: &'static str, cache: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// What the status page and its stylesheet are sent with: no script at all, styles only
/// from this server, never framed, never sniffed.
fn page_headers(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
             base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
}

/// `GET /status/style.css`: the status page's stylesheet (a file of its own, so the page's
/// policy needs no inline styles).
pub async fn get_status_style() -> Response {
    let mut response = with_type(
        status_page::STYLE.to_string(),
        "text/css; charset=utf-8",
        "public, max-age=3600",
    );
    page_headers(&mut response);
    response
}

/// `GET /status`: current disruptions, maintenance and information, without JavaScript. A
/// bad filter gets a page too (400), not JSON: people read this one.
pub async fn get_status_page(
    State(state): State<AppState>,
    query: Result<Query<StatusQuery>, QueryRejection>,
) -> Response {
    let mut response = match status_page_html(&state, query) {
        Ok(html) => with_type(html, "text/html; charset=utf-8", "no-cache"),
        Err(e) => {
            let html = status_page::render_error(&e.to_string());
            let mut response = with_type(html, "text/html; charset=utf-8", "no-cache");
            *response.status_mut() = e.status();
            response
        }
    };
    page_headers(&mut response);
    response
}

fn status_page_html(
    state: &AppState,
    query: Result<Query<StatusQuery>, QueryRejection>,
) -> Result<String, Error> {
    let filter = Filter::parse(query)?;
    let now = state.clock.now();
    let notices = filter.select(state, |n| n.visible(now));
    Ok(status_page::render(
        &notices,
        &state.service_names(),
        &StatusFilter {
            leika: filter.leika.as_deref(),
            ars: filter.ars.as_deref(),
        },
        now,
    ))
}

/// `GET /feeds/notices.atom`: every notice of the last 30 days, newest change first.
pub async fn get_notices_atom(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    query: Result<Query<StatusQuery>, QueryRejection>,
) -> Result<Response, Error> {
    let filter = Filter::parse(query)?;
    let public = state.public_url(&headers, &uri)?;
    let now = state.clock.now();
    let since = now.checked_sub(HISTORY).unwrap_or(Timestamp::MIN);
    let notices = filter.select(&state, |n| n.visible(now) || n.updated_at >= since);
    let body = feeds::atom(
        &notices,
        public.base(),
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
    uri: Uri,
    headers: HeaderMap,
    query: Result<Query<StatusQuery>, QueryRejection>,
) -> Result<Response, Error> {
    let filter = Filter::parse(query)?;
    let public = state.public_url(&headers, &uri)?;
    let now = state.clock.now();
    let notices = filter.select(&state, |n| {
        n.visible(now) || (n.kind == NoticeKind::Maintenance && n.state == NoticeState::Scheduled)
    });
    let summary = feeds::statuspage_summary(&notices, public.base(), now);
    Ok(with_type(
        summary.to_string(),
        "application/json",
        "public, max-age=30",
    ))
}
